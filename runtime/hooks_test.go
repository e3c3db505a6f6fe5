package runtime_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
)

// A library adds its own hook, and the application configures its own:
// both receive every call, whichever is set first.
func ExampleAddHook() {
	memoDouble.Clear(context.Background()) // start empty, however often the example runs

	remove := memo.AddHook(func(c memo.CallInfo) { fmt.Println("library:", c.Func.Name, c.Outcome) })
	defer remove()
	memo.Configure(memo.Config{Hook: func(c memo.CallInfo) { fmt.Println("application:", c.Func.Name, c.Outcome) }})
	defer memo.Configure(memo.Config{})

	DoubleCached(4)
	DoubleCached(4)
	// Output:
	// computing 4
	// application: Double miss
	// library: Double miss
	// application: Double hit
	// library: Double hit
}

func TestAddHookComposesWithConfigureAndRemoves(t *testing.T) {
	f := newFunc(t, memoimpl.FuncInfo{Backend: memo.DefaultBackend})
	var app, lib1, lib2 atomic.Int64
	configure(t, memo.Config{Hook: func(memo.CallInfo) { app.Add(1) }})
	remove1 := memo.AddHook(func(memo.CallInfo) { lib1.Add(1) })
	remove2 := memo.AddHook(func(memo.CallInfo) { lib2.Add(1) })
	t.Cleanup(remove1)
	t.Cleanup(remove2)
	var c counter

	get(f, "a", c.fn("A"))
	configure(t, memo.Config{Hook: func(memo.CallInfo) { app.Add(10) }}) // replaces only Config.Hook
	get(f, "a", c.fn("A"))
	remove1()
	remove1() // a second call does nothing
	get(f, "a", c.fn("A"))

	if got, want := [3]int64{app.Load(), lib1.Load(), lib2.Load()}, [3]int64{21, 2, 3}; got != want {
		t.Errorf("calls seen by the application's hook, library 1's and library 2's = %v; want %v", got, want)
	}
}

func TestAddHookIsSafeWhileCallsRun(t *testing.T) {
	f := newFunc(t, memoimpl.FuncInfo{Backend: memo.DefaultBackend})
	var seen atomic.Int64
	var c counter
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for range 100 {
				get(f, fmt.Sprint(i), c.fn("v"))
			}
		}()
		go func() {
			defer wg.Done()
			for range 100 {
				remove := memo.AddHook(func(memo.CallInfo) { seen.Add(1) })
				remove()
			}
		}()
	}
	wg.Wait()
	remove := memo.AddHook(func(memo.CallInfo) { seen.Store(-1) })
	defer remove()
	get(f, "0", c.fn("v"))
	if seen.Load() != -1 {
		t.Error("a hook added after the others were removed did not see the call")
	}
}
