// Command e2elocalnames memoizes functions whose names make memogen's
// package-level names (the cache variable memo<F>) equal the names of the
// locals, receivers and parameters generated code declares (a handle's
// receiver memoH when a parameter is h, the key writer's parameter memoW
// when a parameter is w); the handles' Clear and Stats must reach the
// caches, and the Begin functions must compile.
package main

import (
	"context"
	"fmt"
)

var calls = map[string]int{}

// H has a parameter h, which renames handles' receivers to memoH.
//
//memo:cache
func H(h int) int {
	calls["H"]++
	return h * 2
}

// W has a parameter w, which renames the Begin function's parameter to
// memoW.
//
//memo:cache
func W(w int) int {
	calls["W"]++
	return w * 3
}

// Ctx has a keyed parameter ctx besides its context, which renames the
// Begin function's context to memoCtx.
//
//memo:cache
func Ctx(memoCtx context.Context, ctx string) string {
	calls["Ctx"]++
	return "ctx " + ctx
}

// Call has parameters named after generated names.
//
//memo:cache
func Call(memoH, memoW, memoHBegin int, memoCall string) string {
	calls["Call"]++
	return fmt.Sprint(memoH, memoW, memoHBegin, memoCall)
}

// R has parameters h and w and results the wrapper names memoR.
//
//memo:cache
func R(h, w int) (int, error) {
	calls["R"]++
	return h + w, nil
}

func main() {
	ctx := context.Background()
	for range 2 {
		r, _ := RCached(1, 2)
		fmt.Println(HCached(1), WCached(1), CtxCached(ctx, "a"), CallCached(1, 2, 3, "x"), r)
	}
	for _, clear := range []func(context.Context) error{HMemo().Clear, WMemo().Clear, CtxMemo().Clear, CallMemo().Clear, RMemo().Clear} {
		if err := clear(ctx); err != nil {
			panic(err)
		}
	}
	r, _ := RCached(1, 2)
	fmt.Println(HCached(1), WCached(1), CtxCached(ctx, "a"), CallCached(1, 2, 3, "x"), r)
	fmt.Println("H hits", HMemo().Stats().Hits, "W hits", WMemo().Stats().Hits)
	for _, name := range []string{"H", "W", "Ctx", "Call", "R"} {
		fmt.Printf("%s ran %d times\n", name, calls[name])
	}
}
