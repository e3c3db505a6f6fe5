package memoimpl_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
)

// These tests hold the freshness options to the no-wrong-value rule, as an
// adversarial round found them breaking it.

// refreshGet is a call with its nocache argument set.
func refreshGet(f *memoimpl.Func, arg string, compute func(context.Context) (int64, error)) int64 {
	c := f.Begin(context.Background())
	c.Key().Text(arg)
	memoimpl.LookupFresh[int64](c, true)
	r, _ := memoimpl.RunFresh(c, compute)
	return r
}

// A hit under ttl_refresh=true extends its entry, but never brings back a
// result that a Forget or a newer result replaced while it ran.
func TestTTLRefreshNeverRestoresReplacedResults(t *testing.T) {
	forEachBackend(t, memoimpl.FuncInfo{TTL: time.Hour, TTLRefresh: true, Errors: true}, func(t *testing.T, f *memoimpl.Func, clock *fakeClock, rec *recorder) {
		var epoch atomic.Int64
		compute := func(context.Context) (int64, error) { return epoch.Load(), nil }
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() { // the recorder reports refreshes on a channel of its own
			for {
				select {
				case <-rec.refreshed:
				case <-stop:
					return
				}
			}
		})
		for range 4 {
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
						freshGet(context.Background(), f, "k", compute)
					}
				}
			})
		}
		defer func() { close(stop); wg.Wait() }()
		for r := int64(1); r <= 40; r++ {
			epoch.Store(r)
			if r%2 == 0 {
				if err := forget(f, "k"); err != nil {
					t.Fatal(err)
				}
			} else {
				refreshGet(f, "k", compute)
			}
			time.Sleep(time.Millisecond) // let the hitters run
			// A hitter's run that began before this round may finish
			// after the Forget or the refresh and store epoch r-1: calls
			// share a run in flight. Nothing older may come back.
			if got, _, _ := freshGet(context.Background(), f, "k", compute); got < r-1 {
				t.Fatalf("round %d: served the result of epoch %d, replaced before", r, got)
			}
			clock.Advance(31 * time.Minute) // past half the ttl: hits extend the entry
		}
	})
}

// An early= recompute that fails leaves the caller the still-fresh result,
// and caches no error over it.
func TestEarlyRefreshFailureServesFreshResult(t *testing.T) {
	forEachBackend(t, memoimpl.FuncInfo{TTL: time.Hour, Early: 1e9, ErrTTL: time.Hour, Errors: true}, func(t *testing.T, f *memoimpl.Func, clock *fakeClock, rec *recorder) {
		down := errors.New("down")
		var fail atomic.Bool
		compute := func(context.Context) (string, error) {
			clock.Advance(time.Second) // the function takes a second: early= weighs that
			if fail.Load() {
				return "", down
			}
			return "v1", nil
		}
		freshGet(context.Background(), f, "k", compute)
		fail.Store(true)
		for i := range 2 {
			if v, _, err := freshGet(context.Background(), f, "k", compute); v != "v1" || err != nil {
				t.Fatalf("call %d after a failed early recompute = %q, %v; want v1, nil", i, v, err)
			}
		}
	})
}

// errttl= caches no error over an expired result that stale_if_error= or
// stale= would serve.
func TestErrTTLKeepsStaleResults(t *testing.T) {
	forEachBackend(t, memoimpl.FuncInfo{TTL: 10 * time.Second, StaleIfError: time.Minute, ErrTTL: 30 * time.Second, Errors: true}, func(t *testing.T, f *memoimpl.Func, clock *fakeClock, rec *recorder) {
		down := errors.New("down")
		var fail atomic.Bool
		compute := func(context.Context) (string, error) {
			if fail.Load() {
				return "", down
			}
			return "v1", nil
		}
		freshGet(context.Background(), f, "k", compute)
		clock.Advance(11 * time.Second)
		fail.Store(true)
		for i, step := range []time.Duration{0, 0, 5 * time.Second} {
			clock.Advance(step)
			if v, o, err := freshGet(context.Background(), f, "k", compute); v != "v1" || o != memo.Stale || err != nil {
				t.Fatalf("failing call %d within stale_if_error = %q, %v, %v; want v1, stale, nil", i, v, o, err)
			}
		}
	})
}

// An error returned with results that are not zero values is not cached:
// a cached error comes back with zero results.
func TestErrTTLCachesOnlyErrorsWithZeroResults(t *testing.T) {
	forEachBackend(t, memoimpl.FuncInfo{ErrTTL: time.Minute, Errors: true}, func(t *testing.T, f *memoimpl.Func, clock *fakeClock, rec *recorder) {
		var runs atomic.Int64
		partial := func(context.Context) (int, error) { runs.Add(1); return -3, errNotFound }
		for range 2 {
			if v, _, err := freshGet(context.Background(), f, "partial", partial); v != -3 || !errors.Is(err, errNotFound) {
				t.Fatalf("partial = %d, %v; want -3, not found", v, err)
			}
		}
		if runs.Load() != 2 {
			t.Errorf("a partial result with its error ran %d times; want 2 (not cached)", runs.Load())
		}
		runs.Store(0)
		zero := func(context.Context) (int, error) { runs.Add(1); return 0, errNotFound }
		for range 2 {
			freshGet(context.Background(), f, "zero", zero)
		}
		if runs.Load() != 1 {
			t.Errorf("an error with zero results ran %d times; want 1 (cached)", runs.Load())
		}
	})
}

// A process waiting on another's lease shares the error that process
// cached under errttl=, rather than running the function in turn.
func TestLeaseSharesCachedErrors(t *testing.T) {
	for _, b := range freshBackends[1:] { // file and Redis offer leases
		t.Run(b.name, func(t *testing.T) {
			name := uniqueName(t)
			register(t, name, b.open(t))
			configure(t, memo.Config{})
			info := memoimpl.FuncInfo{Name: uniqueName(t), Backend: name, TTL: time.Minute, ErrTTL: time.Minute, Errors: true,
				Sentinels: map[string]error{"errNotFound": errNotFound}}
			first, second := newFunc(t, info), newFunc(t, info) // two processes: two flight groups, one store
			var runs atomic.Int64
			started, finish := make(chan struct{}), make(chan struct{})
			slowFail := func(context.Context) (int, error) {
				if runs.Add(1) == 1 {
					close(started)
					<-finish
				}
				return 0, errNotFound
			}
			done := make(chan error)
			go func() {
				_, _, err := freshGet(context.Background(), first, "k", slowFail)
				done <- err
			}()
			<-started
			go func() {
				time.Sleep(20 * time.Millisecond) // the second process waits on the lease
				close(finish)
			}()
			if _, _, err := freshGet(context.Background(), second, "k", slowFail); !errors.Is(err, errNotFound) {
				t.Errorf("second process: %v; want not found", err)
			}
			if err := <-done; !errors.Is(err, errNotFound) {
				t.Errorf("first process: %v; want not found", err)
			}
			if runs.Load() != 1 {
				t.Errorf("the failing function ran %d times; want 1", runs.Load())
			}
		})
	}
}
