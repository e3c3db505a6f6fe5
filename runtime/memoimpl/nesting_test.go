package memoimpl

import (
	"errors"
	"testing"
)

type listNode struct {
	Val        int
	Prev, Next *listNode
}

type treeNode struct {
	Kids []*treeNode
	Meta map[string]*treeNode
	Any  any
	up   *treeNode // unexported: no codec follows it
}

// linkedList returns a singly linked list of n nodes.
func linkedList(n int) *listNode {
	var head *listNode
	for range n {
		head = &listNode{Next: head}
	}
	return head
}

func TestCheckNesting(t *testing.T) {
	t.Parallel()
	doubly := &listNode{Val: 1}
	doubly.Next = &listNode{Val: 2, Prev: doubly}

	self := []any{1}
	self[0] = self

	loop := map[string]*treeNode{}
	loop["me"] = &treeNode{Meta: loop}

	shared := &treeNode{}
	dag := &treeNode{Kids: []*treeNode{shared, shared}, Meta: map[string]*treeNode{"again": shared}}

	root := &treeNode{}
	root.Kids = []*treeNode{{up: root}, {up: root}}

	viaAny := &treeNode{}
	viaAny.Any = viaAny

	backing := make([]any, 2)
	prefix := backing[:1] // the same array, a shorter slice
	backing[1] = prefix
	backing[0] = 7

	deep := linkedList(100)
	deepShared := &treeNode{Kids: []*treeNode{{Any: deep}}, Any: &treeNode{Any: &treeNode{Any: deep}}}

	tests := []struct {
		name  string
		v     any
		limit int
		want  error
	}{
		{"nil", nil, 10, nil},
		{"a tree", &treeNode{Kids: []*treeNode{{}, {Kids: []*treeNode{{}}}}}, 10, nil},
		{"a DAG", dag, 10, nil},
		{"a cycle through unexported fields", root, 10, nil},
		{"a slice holding a shorter slice of its own array", backing, 10, nil},
		{"a doubly linked list", doubly, 10, errCycle},
		{"a slice holding itself", self, 10, errCycle},
		{"a map holding itself", loop, 10, errCycle},
		{"a pointer held in an interface", viaAny, 10, errCycle},
		{"a list as deep as the limit", linkedList(99), 100, nil},
		{"a list deeper than the limit", linkedList(101), 100, errTooDeep},
		{"a shared list met deeper the second time", deepShared, 102, errTooDeep},
		{"the same within the limit", deepShared, 110, nil},
	}
	for _, tt := range tests {
		if err := checkNesting(tt.v, tt.limit); !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("checkNesting(%s) = %v; want %v", tt.name, err, tt.want)
		}
	}
}

func TestNestingLimit(t *testing.T) {
	t.Parallel()
	for spec, want := range map[string]int{"json": 10000, "json+gzip": 10000, "msgpack": 1 << 16, "gob+zstd": 1 << 16, "mine": 1 << 16} {
		if got := nestingLimit(spec); got != want {
			t.Errorf("nestingLimit(%q) = %d; want %d", spec, got, want)
		}
	}
}
