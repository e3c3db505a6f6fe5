package memoimpl_test

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/memogen/memogen/backends/memory"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
)

// TestUnreachableBoundIsReportedOnce checks that a size= above the store's
// own bound is reported once, to the hook and the logger, naming both
// bounds and the URL parameter that raises the store's, and that calls are
// still cached.
func TestUnreachableBoundIsReportedOnce(t *testing.T) {
	var rec recorder
	var logs safeBuffer
	configure(t, memo.Config{Hook: rec.Hook, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	name := uniqueName(t)
	register(t, name, memory.New(memory.Options{MaxEntries: 100}))
	f := newFunc(t, memoimpl.FuncInfo{Backend: name, MaxEntries: 2000})

	var c counter
	for i := range 5 {
		for range 2 {
			if _, err := get(f, fmt.Sprint(i), c.fn("v")); err != nil {
				t.Fatal(err)
			}
		}
	}
	if c.runs() != 5 {
		t.Errorf("runs = %d; want 5: an unreachable bound must not stop caching", c.runs())
	}
	var reported []error
	for _, call := range rec.Calls() {
		if errors.Is(call.Err, memo.ErrUnreachableBound) {
			reported = append(reported, call.Err)
		}
	}
	if len(reported) != 1 {
		t.Fatalf("hook saw ErrUnreachableBound %d times; want once", len(reported))
	}
	msg := reported[0].Error()
	for _, want := range []string{"size=2000", "at most 100 entries", "max_entries", "MEMO_BACKEND_" + strings.ToUpper(name)} {
		if !strings.Contains(msg, want) {
			t.Errorf("hook's error %q does not say %q", msg, want)
		}
	}
	if n := strings.Count(logs.String(), "size= bound never reached"); n != 1 {
		t.Errorf("logger got %d warnings; want 1:\n%s", n, logs.String())
	}
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "at most 100 entries") {
		t.Errorf("log = %q; want a warning naming the store's bound", logs.String())
	}
}

// TestReachableBoundIsNotReported checks the bounds that can be reached:
// size= at or below the store's, a store without a bound, no size=.
func TestReachableBoundIsNotReported(t *testing.T) {
	for _, tc := range []struct {
		store, size int
	}{{100, 100}, {100, 50}, {-1, 1_000_000}, {100, 0}, {0, memory.DefaultMaxEntries}} {
		t.Run(fmt.Sprintf("store=%d,size=%d", tc.store, tc.size), func(t *testing.T) {
			var rec recorder
			var logs safeBuffer
			configure(t, memo.Config{Hook: rec.Hook, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			name := uniqueName(t)
			register(t, name, memory.New(memory.Options{MaxEntries: tc.store}))
			f := newFunc(t, memoimpl.FuncInfo{Backend: name, MaxEntries: tc.size})
			var c counter
			get(f, "a", c.fn("v"))
			get(f, "a", c.fn("v"))
			for _, call := range rec.Calls() {
				if call.Err != nil {
					t.Errorf("hook saw %v; want no error", call.Err)
				}
			}
			if logs.String() != "" {
				t.Errorf("log = %q; want nothing", logs.String())
			}
		})
	}
}

// TestDefaultStoreBoundCapsSize checks the case users meet: the default
// backend, a memory store with memory.DefaultMaxEntries, under a size=
// above it.
func TestDefaultStoreBoundCapsSize(t *testing.T) {
	var rec recorder
	configure(t, memo.Config{Hook: rec.Hook, Logger: slog.New(slog.DiscardHandler)})
	name := uniqueName(t)
	register(t, name, memory.New(memory.Options{}))
	f := newFunc(t, memoimpl.FuncInfo{Backend: name, MaxEntries: 2_000_000})
	get(f, "a", (&counter{}).fn("v"))
	calls := rec.Calls()
	if len(calls) != 1 || !errors.Is(calls[0].Err, memo.ErrUnreachableBound) {
		t.Fatalf("hook saw %+v; want one call reporting ErrUnreachableBound", calls)
	}
	if msg := calls[0].Err.Error(); !strings.Contains(msg, "size=2000000") || !strings.Contains(msg, "at most 100000 entries") {
		t.Errorf("error = %q; want both bounds", msg)
	}
}

// TestUnreachableBoundOnceForAllInstances checks that a generic function,
// whose instantiations each have a cache, is reported once, not once per
// instantiation.
func TestUnreachableBoundOnceForAllInstances(t *testing.T) {
	var rec recorder
	var logs safeBuffer
	configure(t, memo.Config{Hook: rec.Hook, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	name := uniqueName(t)
	register(t, name, memory.New(memory.Options{MaxEntries: 10}))
	g := memoimpl.NewGeneric(memoimpl.FuncInfo{Package: testPackage, Name: uniqueName(t), Backend: name, MaxEntries: 11})
	for _, f := range []*memoimpl.Func{memoimpl.Instance[int](g), memoimpl.Instance[string](g)} {
		get(f, "a", (&counter{}).fn("v"))
	}
	n := 0
	for _, call := range rec.Calls() {
		if errors.Is(call.Err, memo.ErrUnreachableBound) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("hook saw ErrUnreachableBound %d times over two instantiations; want once", n)
	}
	if n := strings.Count(logs.String(), "size= bound never reached"); n != 1 {
		t.Errorf("logger got %d warnings; want 1", n)
	}
}
