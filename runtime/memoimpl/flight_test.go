package memoimpl_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
)

// result is what the functions of these tests return; a pointer, so that a
// test can tell whether callers share one result or got equal ones.
type result struct{ v string }

func TestRunConcurrentCallsShareOneRun(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const n = 100
		f := newFunc(t, memoimpl.FuncInfo{})
		var runs atomic.Int64
		release := make(chan struct{})
		compute := func() (*result, error) {
			runs.Add(1)
			<-release
			return &result{"value"}, nil
		}

		start := make(chan struct{})
		got := make([]*result, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				<-start
				got[i], _ = get(f, "cold", compute)
			})
		}
		close(start)
		synctest.Wait() // the leader blocks in compute, the others wait for it in memoimpl.Run
		close(release)
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		within(t, done, "concurrent calls")

		if r := runs.Load(); r != 1 {
			t.Errorf("%d concurrent calls ran the function %d times; want 1", n, r)
		}
		for i, r := range got {
			if r != got[0] {
				t.Fatalf("call %d got %p; want the shared result %p", i, r, got[0])
			}
		}
		if got[0] == nil || got[0].v != "value" {
			t.Errorf("result = %+v; want value", got[0])
		}
		want := memo.Stats{Misses: 1, Shared: n - 1}
		if st := f.Stats(); st != want {
			t.Errorf("Stats() = %+v; want %+v", st, want)
		}
		if r, _ := get(f, "cold", compute); r != got[0] {
			t.Errorf("next call got %p; want the cached %p", r, got[0])
		}
		if st := f.Stats(); st.Hits != 1 || runs.Load() != 1 {
			t.Errorf("after one more call: Hits = %d, runs = %d; want 1, 1", st.Hits, runs.Load())
		}
	})
}

func TestRunConcurrentCallsWithDistinctKeysGetTheirOwnResults(t *testing.T) {
	t.Parallel()
	f := newFunc(t, memoimpl.FuncInfo{})
	keys := []string{"a", "b", "c", "d"}
	var wg sync.WaitGroup
	for range 10 {
		for _, k := range keys {
			wg.Go(func() {
				got, err := get(f, k, func() (string, error) { return "v" + k, nil })
				if got != "v"+k || err != nil {
					t.Errorf("get(%q) = %q, %v; want %q, nil", k, got, err, "v"+k)
				}
			})
		}
	}
	wg.Wait()
}

func TestRunPanicReachesEveryCaller(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const waiters = 3
		f := newFunc(t, memoimpl.FuncInfo{Errors: true})
		errBoom := errors.New("boom")
		started, release := make(chan struct{}), make(chan struct{})

		leaderPanic := make(chan any, 1)
		go func() {
			defer func() { leaderPanic <- recover() }()
			get(f, "k", func() (string, error) {
				close(started)
				<-release
				panic(errBoom)
			})
		}()
		<-started

		waiterPanics := make(chan any, waiters)
		for range waiters {
			go func() {
				defer func() { waiterPanics <- recover() }()
				get(f, "k", func() (string, error) {
					t.Error("a waiter ran the function while the leader ran it")
					return "", nil
				})
			}()
		}
		synctest.Wait() // the leader blocks in its function, the others wait for it
		close(release)

		if p := <-leaderPanic; p != errBoom {
			t.Errorf("leader recovered %#v; want the original value %v", p, errBoom)
		}
		for range waiters {
			p := <-waiterPanics
			err, ok := p.(error)
			var pe *memo.PanicError
			if !ok || !errors.As(err, &pe) {
				t.Errorf("waiter recovered %#v; want a *memo.PanicError", p)
				continue
			}
			if pe.Value != errBoom {
				t.Errorf("PanicError.Value = %v; want %v", pe.Value, errBoom)
			}
			if !errors.Is(err, errBoom) {
				t.Errorf("errors.Is(%v, errBoom) = false; want true (Unwrap returns an error value)", err)
			}
			if len(pe.Stack) == 0 {
				t.Error("PanicError.Stack is empty; want the stack of the goroutine that panicked")
			}
		}

		if contains(f, "k") {
			t.Error("Contains after a panic = true; want nothing cached")
		}
		var c counter
		if got, err := get(f, "k", c.fn("fresh")); got != "fresh" || err != nil || c.runs() != 1 {
			t.Errorf("call after the panic = %q, %v with %d runs; want fresh, nil, 1", got, err, c.runs())
		}
	})
}

func TestRunPanicWithNonErrorValue(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newFunc(t, memoimpl.FuncInfo{})
		started, release := make(chan struct{}), make(chan struct{})
		leader := make(chan any, 1)
		go func() {
			defer func() { leader <- recover() }()
			get(f, "k", func() (int, error) {
				close(started)
				<-release
				panic(42)
			})
		}()
		<-started
		waiter := make(chan any, 1)
		go func() {
			defer func() { waiter <- recover() }()
			get(f, "k", func() (int, error) { return 0, nil })
		}()
		synctest.Wait() // the leader blocks in its function, the others wait for it
		close(release)

		if p := <-leader; p != 42 {
			t.Errorf("leader recovered %#v; want 42", p)
		}
		pe, ok := (<-waiter).(*memo.PanicError)
		if !ok || pe.Value != 42 {
			t.Fatalf("waiter recovered %#v; want *memo.PanicError with Value 42", pe)
		}
		if pe.Unwrap() != nil {
			t.Errorf("Unwrap() = %v; want nil for a value that is not an error", pe.Unwrap())
		}
	})
}

func TestRunGoexitLetsWaitersTakeOver(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const waiters = 5
		f := newFunc(t, memoimpl.FuncInfo{})
		started, release := make(chan struct{}), make(chan struct{})

		leaderDone := make(chan struct{})
		var leaderReturned atomic.Bool
		go func() {
			defer close(leaderDone)
			get(f, "k", func() (string, error) {
				close(started)
				<-release
				runtime.Goexit()
				return "", nil
			})
			leaderReturned.Store(true)
		}()
		<-started

		var runs atomic.Int64
		got := make([]string, waiters)
		var wg sync.WaitGroup
		for i := range waiters {
			wg.Go(func() {
				got[i], _ = get(f, "k", func() (string, error) {
					runs.Add(1)
					return "fresh", nil
				})
			})
		}
		synctest.Wait() // the leader blocks in its function, the others wait for it
		close(release)
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		within(t, done, "waiters of a leader that called runtime.Goexit")
		within(t, leaderDone, "the leader")

		if leaderReturned.Load() {
			t.Error("the leader's call returned; want its goroutine to exit")
		}
		for i, g := range got {
			if g != "fresh" {
				t.Errorf("waiter %d got %q; want fresh, computed by a waiter", i, g)
			}
		}
		if r := runs.Load(); r < 1 {
			t.Errorf("waiters ran the function %d times; want at least 1", r)
		}
	})
}

func TestRunCancelledWaiterReturnsContextError(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newFunc(t, memoimpl.FuncInfo{Errors: true})
		ctx := context.Background()
		started, release := make(chan struct{}), make(chan struct{})

		leader := make(chan string, 1)
		go func() {
			r, _ := cached(ctx, f, "k", false, func() (string, error) {
				close(started)
				<-release
				return "value", nil
			})
			leader <- r
		}()
		<-started

		waiterCtx, cancel := context.WithCancel(ctx)
		cancelled := make(chan error, 1)
		go func() {
			_, err := cached(waiterCtx, f, "k", false, func() (string, error) {
				t.Error("a cancelled waiter of a function returning errors ran it")
				return "", nil
			})
			cancelled <- err
		}()
		synctest.Wait() // the leader blocks in its function, the others wait for it
		cancel()
		// The leader is still blocked: the waiter must not depend on it.
		select {
		case err := <-cancelled:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("cancelled waiter got %v; want context.Canceled", err)
			}
		case <-time.After(deadline):
			t.Fatal("a cancelled waiter still waits for the leader")
		}

		patient := make(chan string, 1)
		go func() {
			r, _ := cached(ctx, f, "k", false, func() (string, error) {
				t.Error("a second waiter ran the function")
				return "", nil
			})
			patient <- r
		}()
		synctest.Wait() // the leader blocks in its function, the others wait for it
		close(release)
		if r := <-leader; r != "value" {
			t.Errorf("leader got %q; want value", r)
		}
		if r := <-patient; r != "value" {
			t.Errorf("patient waiter got %q; want value", r)
		}
		if st := f.Stats(); st.Misses != 1 || st.Shared != 1 {
			t.Errorf("Stats() = %+v; want 1 miss and 1 shared", st)
		}
	})
}

func TestRunCancelledWaiterWithoutErrorResultRunsFunction(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newFunc(t, memoimpl.FuncInfo{Errors: false})
		started, release := make(chan struct{}), make(chan struct{})
		leader := make(chan string, 1)
		go func() {
			r, _ := cached(context.Background(), f, "k", false, func() (string, error) {
				close(started)
				<-release
				return "leader's", nil
			})
			leader <- r
		}()
		<-started

		ctx, cancel := context.WithCancel(context.Background())
		own := make(chan string, 1)
		go func() {
			r, _ := cached(ctx, f, "k", false, func() (string, error) { return "own", nil })
			own <- r
		}()
		synctest.Wait() // the leader blocks in its function, the others wait for it
		cancel()
		// The leader is still blocked: the waiter must not depend on it.
		if r := <-own; r != "own" {
			t.Errorf("cancelled waiter got %q; want own (it runs the function itself)", r)
		}
		close(release)
		if r := <-leader; r != "leader's" {
			t.Errorf("leader got %q; want leader's", r)
		}
	})
}

func TestRunLeaderContextErrorIsNotShared(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newFunc(t, memoimpl.FuncInfo{Errors: true})
		leaderCtx, cancelLeader := context.WithCancel(context.Background())
		started, release := make(chan struct{}), make(chan struct{})

		type outcome struct {
			r   string
			err error
		}
		leader := make(chan outcome, 1)
		go func() {
			r, err := cached(leaderCtx, f, "k", false, func() (string, error) {
				close(started)
				<-release
				return "", leaderCtx.Err()
			})
			leader <- outcome{r, err}
		}()
		<-started

		var waiterRuns atomic.Int64
		waiter := make(chan outcome, 1)
		go func() {
			r, err := cached(context.Background(), f, "k", false, func() (string, error) {
				waiterRuns.Add(1)
				return "fresh", nil
			})
			waiter <- outcome{r, err}
		}()
		synctest.Wait() // the leader blocks in its function, the others wait for it
		cancelLeader()
		close(release)

		if o := <-leader; !errors.Is(o.err, context.Canceled) {
			t.Errorf("leader got %q, %v; want context.Canceled", o.r, o.err)
		}
		if o := <-waiter; o.r != "fresh" || o.err != nil {
			t.Errorf("waiter with a live context got %q, %v; want fresh, nil", o.r, o.err)
		}
		if n := waiterRuns.Load(); n != 1 {
			t.Errorf("waiter ran the function %d times; want 1", n)
		}
		if !contains(f, "k") {
			t.Error("Contains after the waiter's run = false; want its result cached")
		}
	})
}

// A context error that the function returns while its caller's context is
// live (a downstream call of its own timed out) is its result: the waiters
// share it, rather than each running the function again in turn.
func TestRunFunctionsOwnContextErrorIsShared(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const n = 20
		f := newFunc(t, memoimpl.FuncInfo{Errors: true})
		errDownstream := fmt.Errorf("fetching the rate: %w", context.DeadlineExceeded)
		var runs atomic.Int64
		release := make(chan struct{})
		compute := func() (string, error) {
			runs.Add(1)
			<-release
			return "", errDownstream
		}
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { _, errs[i] = cached(context.Background(), f, "k", false, compute) })
		}
		synctest.Wait() // the leader blocks in its function, the others wait for it
		close(release)
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		within(t, done, "concurrent calls")

		if r := runs.Load(); r != 1 {
			t.Errorf("%d concurrent calls ran the function %d times; want 1", n, r)
		}
		for i, err := range errs {
			if err != errDownstream {
				t.Errorf("call %d got %v; want the shared %v", i, err, errDownstream)
			}
		}
		if st := f.Stats(); st.Misses != 1 || st.Shared != n-1 || st.Errors != 1 {
			t.Errorf("Stats() = %+v; want 1 miss, %d shared, 1 error", st, n-1)
		}
	})
}

func TestRunSharesErrorsWithWaiters(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newFunc(t, memoimpl.FuncInfo{Errors: true})
		errFailed := errors.New("failed")
		started, release := make(chan struct{}), make(chan struct{})
		leader := make(chan error, 1)
		go func() {
			_, err := get(f, "k", func() (string, error) {
				close(started)
				<-release
				return "", errFailed
			})
			leader <- err
		}()
		<-started
		waiter := make(chan error, 1)
		go func() {
			_, err := get(f, "k", func() (string, error) { return "", nil })
			waiter <- err
		}()
		synctest.Wait() // the leader blocks in its function, the others wait for it
		close(release)
		if err := <-leader; err != errFailed {
			t.Errorf("leader got %v; want %v", err, errFailed)
		}
		if err := <-waiter; err != errFailed {
			t.Errorf("waiter got %v; want the leader's %v", err, errFailed)
		}
		if contains(f, "k") {
			t.Error("Contains after an error = true; want errors not cached")
		}
	})
}

// TestRunAfterAnotherCallStoredSharesItsResult interleaves two calls by
// hand: the first misses, the second runs and stores, and only then does the
// first reach Run. It must find the stored result instead of running the
// function a second time.
func TestRunAfterAnotherCallStoredSharesItsResult(t *testing.T) {
	f := newFunc(t, memoimpl.FuncInfo{})
	var c counter
	first := f.Begin(context.Background())
	first.Key().Text("k")
	if _, ok := memoimpl.Lookup[string](first, false); ok {
		t.Fatal("Lookup on an empty cache reported a hit")
	}
	if got, _ := get(f, "k", c.fn("second")); got != "second" {
		t.Fatalf("second call = %q; want %q", got, "second")
	}
	got, err := memoimpl.Run(first, c.fn("first"))
	if got != "second" || err != nil {
		t.Errorf("Run after the result was stored = %q, %v; want the stored %q", got, err, "second")
	}
	if c.runs() != 1 {
		t.Errorf("function ran %d times; want 1", c.runs())
	}
	if st := f.Stats(); st.Hits != 1 || st.Misses != 1 {
		t.Errorf("Stats() = %+v; want 1 hit and 1 miss", st)
	}
}
