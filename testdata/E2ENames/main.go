// Command e2enames memoizes functions whose parameters, results and names
// could clash with generated code, across two files; execution counters
// prove which calls ran the function.
package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

var calls = map[string]int{}

// Label is a named string.
type Label string

// Shadow names its parameters after the packages, generated names and
// predeclared identifiers generated code uses.
//
//memo:cache ignore=time nocache=memo
func Shadow(context context.Context, time time.Duration, memo bool, w string, h int, len int, string Label, parts []int, error bool) string {
	calls["Shadow"]++
	return fmt.Sprint(time, " ", w, " ", h, " ", len, " ", string, " ", parts, " ", error)
}

// Anonymous has unnamed parameters.
//
//memo:cache
func Anonymous(int, string) string {
	calls["Anonymous"]++
	return "anonymous"
}

// Blank has blank parameters, which are not part of the key.
//
//memo:cache
func Blank(_ int, s string, _ bool) string {
	calls["Blank"]++
	return s
}

// Named has named results, err among them.
//
//memo:cache
func Named(n int) (half int, err error) {
	calls["Named"]++
	if n%2 != 0 {
		return 0, errors.New("odd")
	}
	return n / 2, nil
}

// Three has three results and an error.
//
//memo:cache
func Three(s string) (int, string, []byte, error) {
	calls["Three"]++
	if s == "" {
		return 0, "", nil, errors.New("empty")
	}
	return len(s), s + s, []byte(s), nil
}

func main() {
	ctx := context.Background()
	show := func(what string, got any, fn string) {
		fmt.Printf("%-44s = %-24s calls=%d\n", what, fmt.Sprint(got), calls[fn])
	}

	fmt.Println("# parameters named like packages and generated names")
	show("Shadow(1s, false, w, 1, 2, s, [1], false)", ShadowCached(ctx, time.Second, false, "w", 1, 2, "s", []int{1}, false), "Shadow")
	show("Shadow(2s, ..): time ignored", ShadowCached(ctx, 2*time.Second, false, "w", 1, 2, "s", []int{1}, false), "Shadow")
	show("Shadow(1s, true, ..): refresh", ShadowCached(ctx, time.Second, true, "w", 1, 2, "s", []int{1}, false), "Shadow")
	show("Shadow(.., x, ..)", ShadowCached(ctx, time.Second, false, "x", 1, 2, "s", []int{1}, false), "Shadow")
	show("Shadow(.., h=2, ..)", ShadowCached(ctx, time.Second, false, "w", 2, 2, "s", []int{1}, false), "Shadow")
	show("Shadow(.., len=3, ..)", ShadowCached(ctx, time.Second, false, "w", 1, 3, "s", []int{1}, false), "Shadow")
	show("Shadow(.., string=t, ..)", ShadowCached(ctx, time.Second, false, "w", 1, 2, "t", []int{1}, false), "Shadow")
	show("Shadow(.., parts=[1 2], ..)", ShadowCached(ctx, time.Second, false, "w", 1, 2, "s", []int{1, 2}, false), "Shadow")
	show("Shadow(.., error=true)", ShadowCached(ctx, time.Second, false, "w", 1, 2, "s", []int{1}, true), "Shadow")
	show("ShadowMemo().Contains(first arguments)", ShadowMemo().Contains(ctx, 0, false, "w", 1, 2, "s", []int{1}, false), "Shadow")

	fmt.Println("# unnamed and blank parameters")
	show("Anonymous(1, a)", AnonymousCached(1, "a"), "Anonymous")
	show("Anonymous(1, a) again", AnonymousCached(1, "a"), "Anonymous")
	show("Anonymous(2, a)", AnonymousCached(2, "a"), "Anonymous")
	show("Blank(1, a, true)", BlankCached(1, "a", true), "Blank")
	show("Blank(2, a, false): blanks not keyed", BlankCached(2, "a", false), "Blank")
	show("Blank(1, b, true)", BlankCached(1, "b", true), "Blank")

	fmt.Println("# named results, several results")
	half, err := NamedCached(4)
	show("Named(4)", fmt.Sprint(half, " ", err), "Named")
	half, err = NamedCached(4)
	show("Named(4) again", fmt.Sprint(half, " ", err), "Named")
	half, err = NamedCached(3)
	show("Named(3)", fmt.Sprint(half, " ", err), "Named")
	half, err = NamedCached(3)
	show("Named(3) again: errors not cached", fmt.Sprint(half, " ", err), "Named")
	n, s, b, err := ThreeCached("ab")
	show("Three(ab)", fmt.Sprint(n, " ", s, " ", string(b), " ", err), "Three")
	n, s, b, err = ThreeCached("ab")
	show("Three(ab) again", fmt.Sprint(n, " ", s, " ", string(b), " ", err), "Three")
	_, _, _, err = ThreeCached("")
	show("Three()", err, "Three")

	fmt.Println("# second file, unexported and renamed wrappers")
	show("lower(3)", lowerCached(3), "lower")
	show("lower(3) again", lowerCached(3), "lower")
	show("lowerMemo().Stats().Hits", lowerMemo().Stats().Hits, "lower")
	show("fetchPrice(apple)", fetchPrice("apple"), "price")
	show("fetchPrice(apple) again", fetchPrice("apple"), "price")
	show("fetchPriceMemo().Contains(apple)", fetchPriceMemo().Contains("apple"), "price")
	show("Lookup(k)", Lookup("k"), "Lookup")
	show("Lookup(k) again", Lookup("k"), "Lookup")
	show("LookupMemo().Stats().Hits", LookupMemo().Stats().Hits, "Lookup")
	show("KeyItem({a 1})", KeyItemCached(Item{"a", 1}), "KeyItem")
	show("KeyItem({a 1}) again", KeyItemCached(Item{"a", 1}), "KeyItem")
	svc := &Svc{N: 1}
	show("(memo *Svc{1}).Get(1, false)", svc.GetCached(1, false), "Get")
	show("(memo *Svc{1}).Get(1, false) again", svc.GetCached(1, false), "Get")
	show("(memo *Svc{1}).Get(1, true): refresh", svc.GetCached(1, true), "Get")
	show("(memo *Svc{2}).Get(1, false)", (&Svc{N: 2}).GetCached(1, false), "Get")
	show("(time *Svc).Since(1)", svc.SinceCached(1), "Since")
	show("(time *Svc).Since(1) again", (&Svc{}).SinceCached(1), "Since")
	show("(w Svc{1}).Plus(2)", Svc{N: 1}.PlusCached(2), "Plus")
	show("(w Svc{1}).Plus(2) again", Svc{N: 1}.PlusCached(2), "Plus")
	show("(w Svc{2}).Plus(2)", Svc{N: 2}.PlusCached(2), "Plus")
	show("(h Handler{hi }).Greet(ann)", Handler{Prefix: "hi "}.GreetCached("ann"), "Greet")
	show("(h Handler{hi }).Greet(ann) again", Handler{Prefix: "hi "}.GreetCached("ann"), "Greet")
	greeted, outcome := Handler{Prefix: "hi "}.GreetMemo().WithOutcome("ann")
	show("(h Handler{hi }).GreetMemo().WithOutcome(ann)", fmt.Sprint(greeted, " ", outcome), "Greet")
	c := &cart{}
	show("cart.total([{a 1} {b 2}])", c.totalCached([]Item{{"a", 1}, {"b", 2}}), "total")
	show("cart.total([{a 1} {b 2}]) again", c.totalCached([]Item{{"a", 1}, {"b", 2}}), "total")

	fmt.Println("# internal names that a function, a method and a variable share")
	show("Box_Get(1)", Box_GetCached(1), "Box_Get")
	show("Box_Get(1) again", Box_GetCached(1), "Box_Get")
	show("Box{1}.Get(1)", Box{N: 1}.GetCached(1), "Box.Get")
	show("Box{1}.Get(1) again", Box{N: 1}.GetCached(1), "Box.Get")
	show("Box_GetMemo().Stats().Hits", Box_GetMemo().Stats().Hits, "Box_Get")
	show("Box{}.GetMemo().Stats().Hits", Box{}.GetMemo().Stats().Hits, "Box.Get")
	show("Taken(1)", TakenCached(1), "Taken")
	show("Taken(1) again", TakenCached(1), "Taken")
	show("memoTaken", memoTaken, "Taken")
}
