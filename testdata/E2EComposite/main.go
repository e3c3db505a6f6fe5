// Command e2ecomposite keys slices, maps, pointers, structs and recursive
// types; execution counters prove which calls ran the function, and the
// hook shows a cyclic value running uncached.
package main

import (
	"fmt"
	"strings"

	memo "github.com/memogen/memogen/runtime"
)

var calls = map[string]int{}

// Item is a plain struct.
type Item struct {
	SKU string
	Qty int
}

// Total takes a slice of structs.
//
//memo:cache
func Total(items []Item) int {
	calls["Total"]++
	n := 0
	for _, it := range items {
		n += it.Qty
	}
	return n
}

// Sizes takes a map of slices.
//
//memo:cache
func Sizes(m map[string][]int) int {
	calls["Sizes"]++
	n := 0
	for _, v := range m {
		n += len(v)
	}
	return n
}

// Deep takes nested maps.
//
//memo:cache
func Deep(m map[string]map[int]string) int {
	calls["Deep"]++
	return len(m)
}

// Deref takes pointers, to a scalar and to a struct.
//
//memo:cache
func Deref(p *int, it *Item) string {
	calls["Deref"]++
	s := "nil"
	if p != nil {
		s = fmt.Sprint(*p)
	}
	if it != nil {
		s += "/" + it.SKU
	}
	return s
}

// secret is an unexported type of this package.
type secret struct{ pin int }

// Account has unexported fields of the package's own types.
type Account struct {
	Owner string
	key   secret
	tags  []string
}

// Describe takes a struct with unexported fields.
//
//memo:cache
func Describe(a Account) string {
	calls["Describe"]++
	return fmt.Sprint(a.Owner, a.key.pin, a.tags)
}

// Base is embedded.
type Base struct{ ID int }

// Meta is embedded by pointer.
type Meta struct{ Rev int }

// Doc embeds Base and *Meta and has blank fields, which are not keyed.
type Doc struct {
	Base
	*Meta
	_     func() // not keyable, but blank
	Title string
	_     int
}

// Render takes a struct with embedded and blank fields.
//
//memo:cache
func Render(d Doc) string {
	calls["Render"]++
	rev := -1
	if d.Meta != nil {
		rev = d.Rev
	}
	return fmt.Sprintf("%d/%d/%s", d.ID, rev, d.Title)
}

// List is a linked list.
type List struct {
	V    int
	Next *List
}

// Sum walks a list; it stops after 5 nodes so that a cyclic list ends.
//
//memo:cache
func Sum(l *List) int {
	calls["Sum"]++
	n := 0
	for i := 0; l != nil && i < 5; i, l = i+1, l.Next {
		n += l.V
	}
	return n
}

// Tree has children and a parent pointer, so every tree with children is
// cyclic.
type Tree struct {
	Name   string
	Parent *Tree
	Kids   []*Tree
}

// Names lists a tree's names without following parents.
//
//memo:cache
func Names(t *Tree) string {
	calls["Names"]++
	var b strings.Builder
	var walk func(t *Tree)
	walk = func(t *Tree) {
		b.WriteString(t.Name)
		for _, k := range t.Kids {
			walk(k)
		}
	}
	walk(t)
	return b.String()
}

// Node is a tree without parent pointers.
type Node struct {
	V    int
	Kids []Node
}

// Count counts nodes.
//
//memo:cache
func Count(n Node) int {
	calls["Count"]++
	return size(n)
}

func size(n Node) int {
	c := 1
	for _, k := range n.Kids {
		c += size(k)
	}
	return c
}

// Dir is a recursive map type.
type Dir map[string]Dir

// Entries counts a directory's entries.
//
//memo:cache
func Entries(d Dir) int {
	calls["Entries"]++
	return len(d)
}

// Bill takes a variadic parameter of structs.
//
//memo:cache
func Bill(customer string, items ...Item) int {
	calls["Bill"]++
	return len(items)
}

// Set is a set of names, the usual map with struct{} values.
type Set map[string]struct{}

// Members takes values that add nothing to the key but their length or
// presence: struct{} values, slices and arrays of struct{}.
//
//memo:cache
func Members(s Set, marks []struct{}, pair [2]struct{}, byUnit map[struct{}]int, flags map[string]struct{}) int {
	calls["Members"]++
	return len(s) + len(marks) + len(pair) + byUnit[struct{}{}] + len(flags)
}

// Zeros takes maps whose keys or values are zero-length arrays, which key
// to nothing.
//
//memo:cache
func Zeros(m map[string][0]int, k map[struct{ A [0]int }]bool, both map[[0]int][0]string) int {
	calls["Zeros"]++
	return len(m) + len(k) + len(both)
}

func main() {
	var outcomes []string
	memo.Configure(memo.Config{
		Hook: func(c memo.CallInfo) {
			s := c.Func.Name + ":" + c.Outcome.String()
			if c.Err != nil {
				s += " (" + c.Err.Error() + ")"
			}
			outcomes = append(outcomes, s)
		},
	})
	show := func(what string, got any, fn string) {
		fmt.Printf("%-40s = %-10v calls=%d\n", what, got, calls[fn])
	}

	fmt.Println("# slices of structs")
	show("Total([a:1 b:2])", TotalCached([]Item{{"a", 1}, {"b", 2}}), "Total")
	show("Total([a:1 b:2]) again", TotalCached([]Item{{"a", 1}, {"b", 2}}), "Total")
	show("Total([b:2 a:1]): order matters", TotalCached([]Item{{"b", 2}, {"a", 1}}), "Total")
	show("Total(nil)", TotalCached(nil), "Total")
	show("Total([]): nil = empty", TotalCached([]Item{}), "Total")

	fmt.Println("# maps")
	m1 := map[string][]int{}
	m2 := map[string][]int{}
	for i := range 50 {
		m1[fmt.Sprint("k", i)] = []int{i}
		m2[fmt.Sprint("k", 49-i)] = []int{49 - i}
	}
	show("Sizes(50 keys)", SizesCached(m1), "Sizes")
	show("Sizes(same, other insertion order)", SizesCached(m2), "Sizes")
	m2["k0"] = []int{0, 0}
	show("Sizes(one value longer)", SizesCached(m2), "Sizes")
	show("Sizes({a:[] b:[1]})", SizesCached(map[string][]int{"a": nil, "b": {1}}), "Sizes")
	show("Sizes({a:[1] b:[]}): no ambiguity", SizesCached(map[string][]int{"a": {1}, "b": nil}), "Sizes")
	show("Sizes(nil)", SizesCached(nil), "Sizes")
	show("Sizes({}): nil = empty", SizesCached(map[string][]int{}), "Sizes")
	d1 := map[string]map[int]string{"x": {1: "a", 2: "b"}, "y": {3: "c"}}
	d2 := map[string]map[int]string{"y": {3: "c"}, "x": {2: "b", 1: "a"}}
	show("Deep({x:{1:a 2:b} y:{3:c}})", DeepCached(d1), "Deep")
	show("Deep(same, other order)", DeepCached(d2), "Deep")
	show("Deep({x:{1:a 2:b 3:c} y:{}})", DeepCached(map[string]map[int]string{"x": {1: "a", 2: "b", 3: "c"}, "y": {}}), "Deep")

	fmt.Println("# pointers")
	zero, one, otherOne := 0, 1, 1
	show("Deref(nil, nil)", DerefCached(nil, nil), "Deref")
	show("Deref(&0, nil): differs from nil", DerefCached(&zero, nil), "Deref")
	show("Deref(&1, nil)", DerefCached(&one, nil), "Deref")
	show("Deref(&1 elsewhere, nil): by value", DerefCached(&otherOne, nil), "Deref")
	show("Deref(nil, &{})", DerefCached(nil, &Item{}), "Deref")
	show("Deref(nil, &{a 0})", DerefCached(nil, &Item{SKU: "a"}), "Deref")
	show("Deref(nil, &{a 0}) again", DerefCached(nil, &Item{SKU: "a"}), "Deref")

	fmt.Println("# unexported fields")
	show("Describe(ann 1 [x])", DescribeCached(Account{"ann", secret{1}, []string{"x"}}), "Describe")
	show("Describe(ann 1 [x]) again", DescribeCached(Account{"ann", secret{1}, []string{"x"}}), "Describe")
	show("Describe(ann 2 [x])", DescribeCached(Account{"ann", secret{2}, []string{"x"}}), "Describe")
	show("Describe(ann 1 [y])", DescribeCached(Account{"ann", secret{1}, []string{"y"}}), "Describe")

	fmt.Println("# embedded and blank fields")
	show("Render({1} nil t)", RenderCached(Doc{Base: Base{1}, Title: "t"}), "Render")
	show("Render({1} nil t) again", RenderCached(Doc{Base: Base{1}, Title: "t"}), "Render")
	show("Render({1} &{0} t)", RenderCached(Doc{Base: Base{1}, Meta: &Meta{}, Title: "t"}), "Render")
	show("Render({1} &{2} t)", RenderCached(Doc{Base: Base{1}, Meta: &Meta{2}, Title: "t"}), "Render")
	show("Render({1} &{2} t) again", RenderCached(Doc{Base: Base{1}, Meta: &Meta{2}, Title: "t"}), "Render")

	fmt.Println("# recursive types")
	list := &List{1, &List{2, &List{3, nil}}}
	show("Sum(1->2->3)", SumCached(list), "Sum")
	show("Sum(1->2->3) again, new nodes", SumCached(&List{1, &List{2, &List{3, nil}}}), "Sum")
	show("Sum(1->2)", SumCached(&List{1, &List{2, nil}}), "Sum")
	ring := &List{V: 1}
	ring.Next = &List{2, ring}
	show("Sum(cyclic 1->2->1...)", SumCached(ring), "Sum")
	show("Sum(cyclic) again: uncached", SumCached(ring), "Sum")
	show("Sum(1->2->3) still cached", SumCached(list), "Sum")
	tree := func() *Tree {
		root := &Tree{Name: "r"}
		for _, n := range []string{"a", "b", "c"} {
			kid := &Tree{Name: n, Parent: root}
			kid.Kids = []*Tree{{Name: n + "1", Parent: kid}, {Name: n + "2", Parent: kid}}
			root.Kids = append(root.Kids, kid)
		}
		return root
	}
	show("Names(tree with parent links)", NamesCached(tree()), "Names")
	show("Names(same) again: uncached", NamesCached(tree()), "Names")
	show("Names(lone root)", NamesCached(&Tree{Name: "r"}), "Names")
	show("Names(lone root) again", NamesCached(&Tree{Name: "r"}), "Names")
	n1 := Node{1, []Node{{2, nil}, {3, []Node{{4, nil}}}}}
	n2 := Node{1, []Node{{2, nil}, {3, []Node{{4, nil}}}}}
	show("Count(1(2 3(4)))", CountCached(n1), "Count")
	show("Count(1(2 3(4))) again", CountCached(n2), "Count")
	show("Count(1(2(4) 3))", CountCached(Node{1, []Node{{2, []Node{{4, nil}}}, {3, nil}}}), "Count")
	show("Entries({a:{b:{}} c:{}})", EntriesCached(Dir{"a": {"b": {}}, "c": {}}), "Entries")
	show("Entries(same) again", EntriesCached(Dir{"c": nil, "a": {"b": nil}}), "Entries")
	show("Entries({a:{} c:{b:{}}})", EntriesCached(Dir{"a": {}, "c": {"b": {}}}), "Entries")

	fmt.Println("# variadic structs")
	show("Bill(x, a:1, b:2)", BillCached("x", Item{"a", 1}, Item{"b", 2}), "Bill")
	show("Bill(x, []Item{a:1, b:2}...)", BillCached("x", []Item{{"a", 1}, {"b", 2}}...), "Bill")
	show("Bill(x)", BillCached("x"), "Bill")
	show("Bill(x, a:1)", BillCached("x", Item{"a", 1}), "Bill")

	fmt.Println("# zero-length arrays")
	show("Zeros({a}, {true}, {})", ZerosCached(map[string][0]int{"a": {}}, map[struct{ A [0]int }]bool{{}: true}, nil), "Zeros")
	show("Zeros(same)", ZerosCached(map[string][0]int{"a": {}}, map[struct{ A [0]int }]bool{{}: true}, nil), "Zeros")
	show("Zeros({b}, {true}, {})", ZerosCached(map[string][0]int{"b": {}}, map[struct{ A [0]int }]bool{{}: true}, nil), "Zeros")
	show("Zeros({a}, {false}, {})", ZerosCached(map[string][0]int{"a": {}}, map[struct{ A [0]int }]bool{{}: false}, nil), "Zeros")

	fmt.Println("# sets and empty structs")
	unit := map[struct{}]int{{}: 1}
	show("Members({a b}, [2], 1, {c})", MembersCached(Set{"a": {}, "b": {}}, make([]struct{}, 2), [2]struct{}{}, unit, map[string]struct{}{"c": {}}), "Members")
	show("Members(same)", MembersCached(Set{"b": {}, "a": {}}, make([]struct{}, 2), [2]struct{}{}, unit, map[string]struct{}{"c": {}}), "Members")
	show("Members({a c}, ...): other set", MembersCached(Set{"a": {}, "c": {}}, make([]struct{}, 2), [2]struct{}{}, unit, map[string]struct{}{"c": {}}), "Members")
	show("Members(..., [3], ...): other length", MembersCached(Set{"a": {}, "b": {}}, make([]struct{}, 3), [2]struct{}{}, unit, map[string]struct{}{"c": {}}), "Members")
	show("Members(..., unit 2, ...)", MembersCached(Set{"a": {}, "b": {}}, make([]struct{}, 2), [2]struct{}{}, map[struct{}]int{{}: 2}, map[string]struct{}{"c": {}}), "Members")

	fmt.Println("# hook outcomes of the cyclic calls")
	for _, o := range outcomes {
		if strings.Contains(o, "uncached") {
			fmt.Println(o)
		}
	}
}
