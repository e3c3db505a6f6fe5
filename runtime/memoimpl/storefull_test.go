package memoimpl_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/memogen/memogen/internal/testservers"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
	"github.com/memogen/memogen/runtime/store"
)

// TestFullStoreIsNotAnOutage binds two functions to a file store bounded
// to 1 KiB, one returning a result larger than the whole store: its calls
// run uncached, each counted as a failure and reported with store.ErrFull,
// and the other function's calls are still served from the store, since a
// store that refuses an entry is not a backend that is down.
func TestFullStoreIsNotAnOutage(t *testing.T) {
	name := uniqueName(t)
	register(t, name, testservers.Open(t, testservers.FileURL(t)+"?max_bytes=1KiB"))
	var rec recorder
	configure(t, memo.Config{Hook: rec.Hook})
	big := newFunc(t, memoimpl.FuncInfo{Backend: name, Codec: "json", Errors: true})
	small := newFunc(t, memoimpl.FuncInfo{Backend: name, Codec: "json", Errors: true})

	var bigRuns, smallRuns counter
	large := strings.Repeat("r", 4096)
	for range 3 {
		if v, err := get(big, "k", bigRuns.fn(large)); v != large || err != nil {
			t.Fatalf("big = %d bytes, %v; want the result, nil", len(v), err)
		}
		if v, err := get(small, "k", smallRuns.fn("s")); v != "s" || err != nil {
			t.Fatalf("small = %q, %v; want s, nil", v, err)
		}
	}
	if n := bigRuns.runs(); n != 3 {
		t.Errorf("big ran %d times; want 3: the store refuses its result", n)
	}
	if n := smallRuns.runs(); n != 1 {
		t.Errorf("small ran %d times; want 1: the store still serves it", n)
	}
	if s := big.Stats(); s.Failures != 3 || s.Misses != 3 {
		t.Errorf("big stats = %+v; want 3 misses, 3 failures", s)
	}
	if s := small.Stats(); s.Hits != 2 || s.Misses != 1 || s.Failures != 0 {
		t.Errorf("small stats = %+v; want 1 miss, 2 hits, no failure", s)
	}
	var full int
	for _, c := range rec.Calls() {
		if c.Err != nil {
			if !errors.Is(c.Err, store.ErrFull) || errors.Is(c.Err, memo.ErrCoolingDown) {
				t.Errorf("hook error %v; want store.ErrFull and no cooldown", c.Err)
			}
			full++
		}
	}
	if full != 3 {
		t.Errorf("the hook saw %d refusals; want 3", full)
	}
}

// TestReusedCallKeysItsOwnArguments calls a function on a byte store with
// one argument after another, from one goroutine, so that each call reuses
// the pooled Call the last one released: each must read and store under
// its own key (a Call clears the byte-level key it computed only when it
// was set), never return the previous argument's result.
func TestReusedCallKeysItsOwnArguments(t *testing.T) {
	name := uniqueName(t)
	register(t, name, testservers.Open(t, testservers.FileURL(t)))
	f := newFunc(t, memoimpl.FuncInfo{Backend: name, Codec: "json", Errors: true})
	for round := range 2 {
		for _, arg := range []string{"a", "b", "c"} {
			if v, err := get(f, arg, func() (string, error) { return "v" + arg, nil }); v != "v"+arg || err != nil {
				t.Fatalf("round %d: call of %s = %q, %v; want %q", round, arg, v, err, "v"+arg)
			}
		}
	}
	if s := f.Stats(); s.Misses != 3 || s.Hits != 3 {
		t.Errorf("stats = %+v; want 3 misses then 3 hits", s)
	}
}
