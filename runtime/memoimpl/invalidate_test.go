package memoimpl_test

import (
	"context"
	"sync/atomic"
	"testing"

	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
)

// heldRun starts a call of f for "alice" whose run reads db and then
// waits for release; it returns once the run has read db, and the call's
// result arrives on the channel returned. Later runs of compute do not
// wait.
func heldRun(t *testing.T, f *memoimpl.Func, db *atomic.Int64) (compute func() (int64, error), release func(), old <-chan int64) {
	t.Helper()
	started, held := make(chan struct{}), make(chan struct{})
	var first atomic.Bool
	compute = func() (int64, error) {
		v := db.Load()
		if first.CompareAndSwap(false, true) {
			close(started)
			<-held
		}
		return v, nil
	}
	result := make(chan int64, 1)
	go func() {
		v, _ := get(f, "alice", compute)
		result <- v
	}()
	<-started
	return compute, func() { close(held) }, result
}

// TestInvalidationStopsARunInProgress invalidates a key while a run that
// read the old data is computing it, by Forget, Clear and InvalidateTags,
// on the memory store and on real file and Redis backends: a call begun
// after the invalidation returned computes anew instead of sharing the old
// run, and the old run, once it returns, does not store its result over
// the new one. Its own caller, whose call overlapped the invalidation,
// gets the old value.
func TestInvalidationStopsARunInProgress(t *testing.T) {
	invalidations := []struct {
		name string
		do   func(t *testing.T, f *memoimpl.Func, tag string)
	}{
		{"Forget", func(t *testing.T, f *memoimpl.Func, _ string) {
			if err := forget(f, "alice"); err != nil {
				t.Fatal(err)
			}
		}},
		{"Clear", func(t *testing.T, f *memoimpl.Func, _ string) {
			if err := f.Clear(context.Background()); err != nil {
				t.Fatal(err)
			}
		}},
		{"InvalidateTags", func(t *testing.T, _ *memoimpl.Func, tag string) {
			if err := memo.InvalidateTags(context.Background(), tag); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, b := range freshBackends {
		for _, inv := range invalidations {
			t.Run(b.name+"/"+inv.name, func(t *testing.T) {
				name := uniqueName(t)
				register(t, name, b.open(t))
				tag := uniqueName(t)
				f := newFunc(t, memoimpl.FuncInfo{Backend: name, Codec: "json", Errors: true, Tags: []string{tag}})
				var db atomic.Int64
				db.Store(100)
				compute, release, old := heldRun(t, f, &db)
				db.Store(200) // the write, then the invalidation
				inv.do(t, f, tag)
				// Begun after the invalidation returned, the call may wait
				// for the older run's lease (lock=), which that run holds
				// until it returns: release it meanwhile.
				during := make(chan int64, 1)
				go func() {
					v, _ := get(f, "alice", compute)
					during <- v
				}()
				release()
				if v := <-during; v != 200 {
					t.Errorf("call begun after the invalidation = %d; want 200, not the older run's 100", v)
				}
				if v := <-old; v != 100 {
					t.Errorf("the older run's caller got %d; want 100, what it read", v)
				}
				if v, _ := get(f, "alice", compute); v != 200 {
					t.Errorf("a later call = %d; want 200: the older run must not store its result", v)
				}
			})
		}
	}
}

// TestRefreshLeadsARunOfItsOwn makes a refresh call (nocache=) while a run
// of the same key that read old data is in progress: the refresh computes
// a result of its own instead of sharing the older run's, and that result
// stays stored when the older run returns.
func TestRefreshLeadsARunOfItsOwn(t *testing.T) {
	for _, b := range freshBackends {
		t.Run(b.name, func(t *testing.T) {
			name := uniqueName(t)
			register(t, name, b.open(t))
			f := newFunc(t, memoimpl.FuncInfo{Backend: name, Codec: "json", Errors: true})
			var db atomic.Int64
			db.Store(100)
			compute, release, old := heldRun(t, f, &db)
			db.Store(200)
			c := f.Begin(context.Background())
			var o memo.Outcome
			c.TrackOutcome(&o)
			c.Key().Text("alice")
			if _, ok := memoimpl.Lookup[int64](c, true); ok {
				t.Fatal("a refresh call read the cache")
			}
			if v, _ := memoimpl.Run(c, compute); v != 200 || o != memo.Refresh {
				t.Errorf("refresh call = %d, %v; want 200, refresh", v, o)
			}
			release()
			if v := <-old; v != 100 {
				t.Errorf("the older run's caller got %d; want 100", v)
			}
			if v, _ := get(f, "alice", compute); v != 200 {
				t.Errorf("a later call = %d; want 200, the refresh's result", v)
			}
		})
	}
}
