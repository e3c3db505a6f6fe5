// Command e2egenerics memoizes generic functions and the methods of a
// generic type; execution counters prove which calls ran the function.
package main

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	memo "github.com/memogen/memogen/runtime"
)

var calls = map[string]int{}

// Keys returns a map's keys in order; K and V appear in a map.
//
//memo:cache
func Keys[K cmp.Ordered, V any](m map[K]V) []K {
	calls["Keys"]++
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Group groups values by a key; T appears in a slice and a map.
//
//memo:cache
func Group[T any, K comparable](xs []T, key map[int]K) map[K][]T {
	calls["Group"]++
	out := map[K][]T{}
	for i, x := range xs {
		out[key[i]] = append(out[key[i]], x)
	}
	return out
}

// MinMax is generic, variadic, and has two named results.
//
//memo:cache
func MinMax[T cmp.Ordered](xs ...T) (lo, hi T) {
	calls["MinMax"]++
	if len(xs) == 0 {
		return lo, hi
	}
	return slices.Min(xs), slices.Max(xs)
}

// Pair is a generic struct.
type Pair[A, B any] struct {
	First  A
	Second B
}

// Swap takes an instantiated generic type; the two instantiations get
// helpers of their own.
//
//memo:cache
func Swap(p Pair[int, string], q Pair[string, int]) (Pair[string, int], Pair[int, string]) {
	calls["Swap"]++
	return Pair[string, int]{p.Second, p.First}, Pair[int, string]{q.Second, q.First}
}

// Tree is a recursive generic type, keyed at run time.
type Tree[T any] struct {
	V    T
	Kids []*Tree[T]
}

// Depth takes a recursive generic type.
//
//memo:cache
func Depth[T any](t *Tree[T]) int {
	calls["Depth"]++
	return depthOf(t, map[*Tree[T]]bool{})
}

// depthOf does not count a node twice on one path, so a cyclic tree ends.
func depthOf[T any](t *Tree[T], onPath map[*Tree[T]]bool) int {
	if t == nil || onPath[t] {
		return 0
	}
	onPath[t] = true
	defer delete(onPath, t)
	d := 0
	for _, k := range t.Kids {
		d = max(d, depthOf(k, onPath))
	}
	return d + 1
}

// Zero returns the zero value of T, whatever x is; each instantiation has a
// cache of its own.
//
//memo:cache
func Zero[T any](x T) T {
	calls["Zero"]++
	var zero T
	return zero
}

// Quad has more type parameters than the runtime's allocation-free
// instance lookups take.
//
//memo:cache
func Quad[A, B, C, D any](a A, b B, c C, d D) string {
	calls["Quad"]++
	return fmt.Sprint(a, b, c, d)
}

// Named has type parameters named as the locals that generated code
// declares (memoCall, memoR, k, ctx) and as a package it refers to
// (context): the generated code names them otherwise, and compiles.
//
//memo:cache
func Named[memoCall comparable, memoR any, k ~string, ctx any, context any](a memoCall, b memoR, c k, d ctx, e context) string {
	calls["Named"]++
	return fmt.Sprint(a, b, c, d, e)
}

// List is a generic type with memoized methods.
type List[T any] struct {
	Name  string
	Items []T
}

// Join keys by the receiver's fields.
//
//memo:cache receiver=fields
func (l List[T]) Join(sep string) string {
	calls["Join"]++
	parts := make([]string, len(l.Items))
	for i, it := range l.Items {
		parts[i] = fmt.Sprint(it)
	}
	return l.Name + ":" + strings.Join(parts, sep)
}

// Label's receiver names its type parameter _, which generated code names
// for itself.
//
//memo:cache receiver=fields
func (l List[_]) Label(prefix string) string {
	calls["Label"]++
	return prefix + l.Name
}

// Repeat shares entries between all lists of one element type.
//
//memo:cache receiver=ignore
func (l *List[T]) Repeat(x T, n int) []T {
	calls["Repeat"]++
	out := make([]T, n)
	for i := range out {
		out[i] = x
	}
	return out
}

func main() {
	show := func(what string, got any, fn string) {
		fmt.Printf("%-46s = %-22s calls=%d\n", what, fmt.Sprint(got), calls[fn])
	}

	fmt.Println("# type parameters in maps and slices")
	show("Keys({b:1 a:2})", KeysCached(map[string]int{"b": 1, "a": 2}), "Keys")
	show("Keys({a:2 b:1}) again", KeysCached(map[string]int{"a": 2, "b": 1}), "Keys")
	show("Keys({a:2 b:3})", KeysCached(map[string]int{"a": 2, "b": 3}), "Keys")
	show("Keys[string,int64]({a:2 b:1}): other types", KeysCached(map[string]int64{"a": 2, "b": 1}), "Keys")
	show("Keys[int,[]string]({1:[x]})", KeysCached(map[int][]string{1: {"x"}}), "Keys")
	show("Keys[int,[]string]({1:[x]}) again", KeysCached(map[int][]string{1: {"x"}}), "Keys")
	show("Group([a b c], {0:x 1:y 2:x})", GroupCached([]string{"a", "b", "c"}, map[int]string{0: "x", 1: "y", 2: "x"}), "Group")
	show("Group(same) again", GroupCached([]string{"a", "b", "c"}, map[int]string{2: "x", 1: "y", 0: "x"}), "Group")
	show("Group[string,int]([a b c], {0:1 1:2 2:1})", GroupCached([]string{"a", "b", "c"}, map[int]int{0: 1, 1: 2, 2: 1}), "Group")
	show("Group[Pair]([{1 a}], {0:true})", GroupCached([]Pair[int, string]{{1, "a"}}, map[int]bool{0: true}), "Group")
	show("Group[Pair]([{1 a}], {0:true}) again", GroupCached([]Pair[int, string]{{1, "a"}}, map[int]bool{0: true}), "Group")
	show("Group[Pair]([{1 b}], {0:true})", GroupCached([]Pair[int, string]{{1, "b"}}, map[int]bool{0: true}), "Group")

	lo, hi := MinMaxCached(3, 1, 2)
	show("MinMax(3, 1, 2)", fmt.Sprint(lo, " ", hi), "MinMax")
	lo, hi = MinMaxCached([]int{3, 1, 2}...)
	show("MinMax([3 1 2]...) again", fmt.Sprint(lo, " ", hi), "MinMax")
	flo, fhi := MinMaxCached(3.0, 1, 2)
	show("MinMax[float64](3, 1, 2)", fmt.Sprint(flo, " ", fhi), "MinMax")
	lo, hi = MinMaxCached[int]()
	show("MinMax[int]()", fmt.Sprint(lo, " ", hi), "MinMax")

	fmt.Println("# instantiated generic types")
	a, b := SwapCached(Pair[int, string]{1, "x"}, Pair[string, int]{"y", 2})
	show("Swap({1 x}, {y 2})", fmt.Sprint(a, b), "Swap")
	a, b = SwapCached(Pair[int, string]{1, "x"}, Pair[string, int]{"y", 2})
	show("Swap({1 x}, {y 2}) again", fmt.Sprint(a, b), "Swap")
	a, b = SwapCached(Pair[int, string]{1, "x"}, Pair[string, int]{"y", 3})
	show("Swap({1 x}, {y 3})", fmt.Sprint(a, b), "Swap")

	fmt.Println("# recursive generic type")
	t := &Tree[int]{1, []*Tree[int]{{2, nil}, {3, []*Tree[int]{{4, nil}}}}}
	show("Depth(1(2 3(4)))", DepthCached(t), "Depth")
	show("Depth(1(2 3(4))) again", DepthCached(&Tree[int]{1, []*Tree[int]{{2, nil}, {3, []*Tree[int]{{4, nil}}}}}), "Depth")
	show("Depth(1(2 3))", DepthCached(&Tree[int]{1, []*Tree[int]{{2, nil}, {3, nil}}}), "Depth")
	show("Depth[string](nil)", DepthCached[string](nil), "Depth")
	show("Depth[int](nil): other type", DepthCached[int](nil), "Depth")
	cyclic := &Tree[int]{V: 1}
	cyclic.Kids = []*Tree[int]{{V: 2, Kids: []*Tree[int]{cyclic}}}
	cyclic.Kids = append(cyclic.Kids, cyclic.Kids[0])
	show("Depth(cyclic), keyed by reflection", DepthCached(cyclic), "Depth")
	show("Depth(cyclic) again: uncached", DepthCached(cyclic), "Depth")
	show("DepthMemo[int]().Stats().Failures", DepthMemo[int]().Stats().Failures, "Depth")

	fmt.Println("# methods of a generic type")
	l1 := List[int]{"l", []int{1, 2}}
	show("List[int]{l [1 2]}.Join(,)", l1.JoinCached(","), "Join")
	show("copy .Join(,) again", List[int]{"l", []int{1, 2}}.JoinCached(","), "Join")
	show("List[int]{m [1 2]}.Join(,)", List[int]{"m", []int{1, 2}}.JoinCached(","), "Join")
	show("List[int64]{l [1 2]}.Join(,): other type", List[int64]{"l", []int64{1, 2}}.JoinCached(","), "Join")
	show("List[int]{l [1 2]}.Join(;)", l1.JoinCached(";"), "Join")
	show("l1.Repeat(7, 2)", l1.RepeatCached(7, 2), "Repeat")
	show("other List[int] .Repeat(7, 2): shared", (&List[int]{Name: "z"}).RepeatCached(7, 2), "Repeat")
	show("List[string].Repeat(a, 2)", (&List[string]{}).RepeatCached("a", 2), "Repeat")
	show("JoinMemo().Contains(,)", l1.JoinMemo().Contains(","), "Join")
	show("RepeatMemo().Stats().Hits", l1.RepeatMemo().Stats().Hits, "Repeat")

	fmt.Println("# one cache per instantiation")
	ctx := context.Background()
	show("Zero[int](5)", ZeroCached(5), "Zero")
	show("Zero[string](a)", fmt.Sprintf("%q", ZeroCached("a")), "Zero")
	show("Zero[float64](5)", ZeroCached(5.0), "Zero")
	show("Zero[int](5) again", ZeroCached(5), "Zero")
	show("ZeroMemo[int]().Stats()", hitsMisses(ZeroMemo[int]().Stats()), "Zero")
	show("ZeroMemo[string]().Stats()", hitsMisses(ZeroMemo[string]().Stats()), "Zero")
	show("ZeroMemo[float64]().Stats()", hitsMisses(ZeroMemo[float64]().Stats()), "Zero")
	show("ZeroMemo[int]().Clear(ctx)", ZeroMemo[int]().Clear(ctx), "Zero")
	show("ZeroMemo[int]().Contains(5)", ZeroMemo[int]().Contains(5), "Zero")
	show("ZeroMemo[string]().Contains(a)", ZeroMemo[string]().Contains("a"), "Zero")
	show("Zero[string](a) again: kept by Clear[int]", fmt.Sprintf("%q", ZeroCached("a")), "Zero")
	show("Zero[int](5) after Clear", ZeroCached(5), "Zero")
	show("ZeroMemo[string]().Stats()", hitsMisses(ZeroMemo[string]().Stats()), "Zero")

	show("Quad(1, a, true, 2.5)", QuadCached(1, "a", true, 2.5), "Quad")
	show("Quad(1, a, true, 2.5) again", QuadCached(1, "a", true, 2.5), "Quad")
	show("Quad(1, a, true, int 2)", QuadCached(1, "a", true, 2), "Quad")
	show("QuadMemo[int, string, bool, int]().Stats()", hitsMisses(QuadMemo[int, string, bool, int]().Stats()), "Quad")

	show("Named(1, a, k, 2.5, true)", NamedCached(1, "a", "k", 2.5, true), "Named")
	show("Named(1, a, k, 2.5, true) again", NamedCached(1, "a", "k", 2.5, true), "Named")
	show("NamedMemo[int, string, string, float64, bool]().Contains(1, a, k, 2.5, true)", NamedMemo[int, string, string, float64, bool]().Contains(1, "a", "k", 2.5, true), "Named")

	fmt.Println("# a method's handle per receiver instantiation")
	l64 := List[int64]{"l", []int64{1, 2}}
	show("List[int] JoinMemo().Stats()", hitsMisses(l1.JoinMemo().Stats()), "Join")
	show("List[int64] JoinMemo().Stats()", hitsMisses(l64.JoinMemo().Stats()), "Join")
	show("List[int] JoinMemo().Clear(ctx)", l1.JoinMemo().Clear(ctx), "Join")
	show("List[int] JoinMemo().Contains(,)", l1.JoinMemo().Contains(","), "Join")
	show("List[int64] JoinMemo().Contains(,)", l64.JoinMemo().Contains(","), "Join")
	show("List[int64]{l [1 2]}.Join(,) again: kept", l64.JoinCached(","), "Join")
	show("List[int]{l [1 2]}.Join(,) after Clear", l1.JoinCached(","), "Join")
	show("List[int]{a}.Label(x)", List[int]{Name: "a"}.LabelCached("x"), "Label")
	show("List[int]{a}.Label(x) again", List[int]{Name: "a"}.LabelCached("x"), "Label")
	show("List[string]{a}.Label(x): another instance", List[string]{Name: "a"}.LabelCached("x"), "Label")
	show("List[string] RepeatMemo().Stats()", hitsMisses((&List[string]{}).RepeatMemo().Stats()), "Repeat")
}

// hitsMisses shows the counters the program checks.
func hitsMisses(s memo.Stats) string { return fmt.Sprintf("hits=%d misses=%d", s.Hits, s.Misses) }
