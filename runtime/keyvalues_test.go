package runtime_test

import (
	"errors"
	"testing"

	memo "github.com/memogen/memogen/runtime"
)

// dagNode is a node of a graph whose nodes share their children.
type dagNode struct {
	id          int
	left, right *dagNode
}

// writeDAG keys n as generated code keys a recursive type.
func writeDAG(w *memo.KeyWriter, n *dagNode) {
	if !w.Enter() {
		return
	}
	defer w.Leave()
	w.Int(int64(n.id))
	for _, c := range []*dagNode{n.left, n.right} {
		w.Present(c != nil)
		if c != nil {
			writeDAG(w, c)
		}
	}
}

// TestKeyWriterBoundsValues keys a graph of 40 nodes whose every node
// points twice to the next, which has 2^40 paths: the key fails with
// ErrKeyTooLarge after MaxKeyValues values instead of running for ever,
// and a Reset writer keys a small graph again.
func TestKeyWriterBoundsValues(t *testing.T) {
	t.Parallel()
	var head *dagNode
	for i := range 40 {
		head = &dagNode{id: i, left: head, right: head}
	}
	var w memo.KeyWriter
	writeDAG(&w, head)
	if !errors.Is(w.Err(), memo.ErrKeyTooLarge) {
		t.Fatalf("Err() = %v; want ErrKeyTooLarge", w.Err())
	}
	w.Reset()
	small := &dagNode{id: 1, left: &dagNode{id: 2}}
	writeDAG(&w, small)
	if w.Err() != nil {
		t.Fatalf("after Reset, a small graph: Err() = %v; want nil", w.Err())
	}
}
