package memoimpl_test

import (
	"context"
	"fmt"
	"github.com/memogen/memogen/runtime/memoimpl"
	"github.com/memogen/memogen/runtime/store"
	"sync/atomic"
	"testing"
	"time"

	"github.com/memogen/memogen/backends/memory"
	memo "github.com/memogen/memogen/runtime"
)

// lenFunc is a memoized "length of s" of its own name, bound to backend.
func lenFunc(t *testing.T, backend string, runs *atomic.Int64) func(s string) {
	t.Helper()
	f := newFunc(t, memoimpl.FuncInfo{Backend: backend, Codec: "json", Errors: true})
	return func(s string) {
		t.Helper()
		got, err := get(f, s, func() (int, error) { runs.Add(1); return len(s), nil })
		if got != len(s) || err != nil {
			t.Fatalf("call(%q) = %d, %v; want %d, nil", s, got, err, len(s))
		}
	}
}

// The cooldown is the backend's, not each function's: once one function
// found the backend failing, the others skip it too, and when the cooldown
// ends one call among all of them probes it.
func TestCooldownIsSharedByTheBackendsFunctions(t *testing.T) {
	backend := &faulty{}
	name := uniqueName(t)
	memo.Register(name, backend)
	t.Cleanup(func() { memo.Unregister(name) })
	clock := newFakeClock()
	configure(t, memo.Config{Cooldown: time.Minute, Now: clock.Now})

	var runs atomic.Int64
	funcs := make([]func(string), 10)
	for i := range funcs {
		funcs[i] = lenFunc(t, name, &runs)
	}
	for _, call := range funcs {
		call("hello")
	}
	if n := backend.calls.Load(); n != 1 {
		t.Errorf("10 functions called during an outage made %d backend operations; want 1", n)
	}
	clock.Advance(time.Minute + time.Second)
	for _, call := range funcs {
		call("hello")
	}
	if n := backend.calls.Load(); n != 2 {
		t.Errorf("10 functions called after the cooldown made %d backend operations; want 1 probe", n-1)
	}
	if runs.Load() != 20 {
		t.Errorf("the functions ran %d times; want 20, all uncached", runs.Load())
	}
}

// Binding the name anew starts the new backend without a cooldown.
func TestRegisterEndsTheCooldown(t *testing.T) {
	backend := &faulty{}
	name := uniqueName(t)
	memo.Register(name, backend)
	t.Cleanup(func() { memo.Unregister(name) })
	configure(t, memo.Config{Cooldown: time.Hour})
	var runs atomic.Int64
	call := lenFunc(t, name, &runs)
	call("a")
	memo.Register(name, byteOnly{memory.New(memory.Options{})})
	call("a")
	call("a")
	if runs.Load() != 2 {
		t.Errorf("the function ran %d times; want 2: once on the failing backend, once to fill the new one", runs.Load())
	}
}

// tooLarge is a byte store whose Get refuses every entry as over the
// limit, as the file, Redis and S3 stores refuse an entry they will not
// read whole; it counts its deletes.
type tooLarge struct {
	store.Backend
	deletes atomic.Int64
}

func (b *tooLarge) Get(ctx context.Context, k store.Key) ([]byte, error) {
	if _, err := b.Backend.Get(ctx, k); err != nil {
		return nil, err
	}
	return nil, fmt.Errorf("test: get: %w", store.EntryTooLarge(1<<40, store.DefaultLimits().MaxBytes))
}

func (b *tooLarge) Delete(ctx context.Context, k store.Key) error {
	b.deletes.Add(1)
	return b.Backend.Delete(ctx, k)
}

// An entry that a backend refuses as too large is a corrupt entry: deleted,
// counted and recomputed, and the backend is not taken for a failing one.
func TestBackendTooLargeIsCorrupt(t *testing.T) {
	backend := &tooLarge{Backend: byteOnly{memory.New(memory.Options{})}}
	name := uniqueName(t)
	memo.Register(name, backend)
	t.Cleanup(func() { memo.Unregister(name) })
	configure(t, memo.Config{Cooldown: time.Hour})
	var runs atomic.Int64
	f := newFunc(t, memoimpl.FuncInfo{Backend: name, Codec: "json", Errors: true})
	call := func(s string) {
		t.Helper()
		if got, err := get(f, s, func() (int, error) { runs.Add(1); return len(s), nil }); got != len(s) || err != nil {
			t.Fatalf("call(%q) = %d, %v; want %d, nil", s, got, err, len(s))
		}
	}
	call("a") // stored
	call("a") // refused as too large: deleted, recomputed, stored
	call("b") // not cooling down, which would count a failure
	if st := f.Stats(); st.Corrupt != 1 || st.Failures != 0 || runs.Load() != 3 || backend.deletes.Load() != 1 {
		t.Errorf("Stats = %+v after %d runs and %d deletes; want 1 corrupt, no failure, 3 runs, 1 delete", st, runs.Load(), backend.deletes.Load())
	}
}

// An entry longer than Config.MaxEntryBytes that a backend returns whole is
// corrupt too.
func TestEntryOverTheLimitIsCorrupt(t *testing.T) {
	st := byteOnly{memory.New(memory.Options{})}
	name := uniqueName(t)
	memo.Register(name, st)
	t.Cleanup(func() { memo.Unregister(name) })
	var runs atomic.Int64
	f := newFunc(t, memoimpl.FuncInfo{Backend: name, Codec: "json", Errors: true})
	call := func() {
		t.Helper()
		if got, err := get(f, "abc", func() (int, error) { runs.Add(1); return 3, nil }); got != 3 || err != nil {
			t.Fatalf("call = %d, %v; want 3, nil", got, err)
		}
	}
	configure(t, memo.Config{})
	call() // stored under the default limit
	configure(t, memo.Config{MaxEntryBytes: 20})
	call() // over the new limit: corrupt, recomputed, not stored
	if st := f.Stats(); st.Corrupt != 1 || st.Failures != 0 || runs.Load() != 2 {
		t.Errorf("Stats = %+v after %d runs; want 1 corrupt, no failure, 2 runs", st, runs.Load())
	}
}
