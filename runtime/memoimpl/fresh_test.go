package memoimpl_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/memogen/memogen/backends/file" // testservers.FileURL
	"github.com/memogen/memogen/backends/memory"
	_ "github.com/memogen/memogen/backends/redis" // testservers.RedisURL
	_ "github.com/memogen/memogen/codecs/msgpack"
	"github.com/memogen/memogen/internal/fakeclock"
	"github.com/memogen/memogen/internal/testservers"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
	"github.com/memogen/memogen/runtime/store"
)

// freshGet is what memogen generates for func(ctx, arg string) (R, error)
// with a freshness option, reporting the outcome as WithOutcome does.
func freshGet[R any](ctx context.Context, f *memoimpl.Func, arg string, compute func(ctx context.Context) (R, error)) (R, memo.Outcome, error) {
	c := f.Begin(ctx)
	var o memo.Outcome
	c.TrackOutcome(&o)
	c.Key().Text(arg)
	if r, ok, err := memoimpl.LookupFresh[R](c, false); ok {
		return r, o, err
	}
	r, err := memoimpl.RunFresh(c, compute)
	return r, o, err
}

// freshBackends are the stores every freshness test runs on: the memory
// store, and real file and Redis backends, which keep bytes.
var freshBackends = []struct {
	name string
	open func(t *testing.T) store.Backend
}{
	{"Memory", func(t *testing.T) store.Backend { return memory.New(memory.Options{}) }},
	{"File", func(t *testing.T) store.Backend { return testservers.Open(t, testservers.FileURL(t)) }},
	{"Redis", func(t *testing.T) store.Backend { return testservers.Open(t, testservers.RedisURL(t)) }},
}

// forEachBackend runs test on every store, with a fake clock that starts
// at the real time (byte-level backends judge their own expiry by it) and
// a recorder of the hook.
func forEachBackend(t *testing.T, info memoimpl.FuncInfo, test func(t *testing.T, f *memoimpl.Func, clock *fakeClock, rec *recorder)) {
	for _, b := range freshBackends {
		t.Run(b.name, func(t *testing.T) {
			name := uniqueName(t)
			register(t, name, b.open(t))
			clock := fakeclock.New(time.Now())
			rec := &recorder{refreshed: make(chan memo.CallInfo, 16)}
			configure(t, memo.Config{Now: clock.Now, Hook: rec.Hook})
			info := info
			info.Backend = name
			test(t, newFunc(t, info), clock, rec)
		})
	}
}

// waitRefresh waits for the hook to see a background refresh.
func waitRefresh(t *testing.T, rec *recorder) memo.CallInfo {
	t.Helper()
	select {
	case info := <-rec.refreshed:
		return info
	case <-time.After(deadline):
		t.Fatal("no background refresh reported")
	}
	return memo.CallInfo{}
}

func TestStaleServesExpiredAndRefreshesOncePerKey(t *testing.T) {
	forEachBackend(t, memoimpl.FuncInfo{TTL: time.Minute, Stale: 30 * time.Second, Errors: true}, func(t *testing.T, f *memoimpl.Func, clock *fakeClock, rec *recorder) {
		var runs atomic.Int64
		release := make(chan struct{})
		compute := func(ctx context.Context) (string, error) {
			n := runs.Add(1)
			if n == 2 {
				<-release // the background refresh waits until every stale call is served
				if ctx.Err() != nil {
					return "", ctx.Err()
				}
			}
			return fmt.Sprint("v", n), nil
		}
		if v, o, _ := freshGet(context.Background(), f, "k", compute); v != "v1" || o != memo.Miss {
			t.Fatalf("first call = %q, %v; want v1, miss", v, o)
		}
		clock.Advance(61 * time.Second)
		canceled, cancel := context.WithCancel(context.Background())
		cancel()
		for i := range 5 {
			if v, o, err := freshGet(canceled, f, "k", compute); v != "v1" || o != memo.Stale || err != nil {
				t.Fatalf("stale call %d = %q, %v, %v; want v1, stale, nil", i, v, o, err)
			}
		}
		close(release)
		if info := waitRefresh(t, rec); info.Err != nil {
			t.Fatalf("background refresh failed: %v", info.Err)
		}
		if v, o, _ := freshGet(context.Background(), f, "k", compute); v != "v2" || o != memo.Hit {
			t.Errorf("after the refresh = %q, %v; want v2, hit", v, o)
		}
		if n := runs.Load(); n != 2 {
			t.Errorf("%d runs; want 2: one background refresh for five stale calls", n)
		}
		if s := f.Stats(); s.Stale != 5 {
			t.Errorf("Stats().Stale = %d; want 5", s.Stale)
		}
		clock.Advance(2 * time.Minute) // past ttl and stale
		if v, o, _ := freshGet(context.Background(), f, "k", compute); v != "v3" || o != memo.Miss {
			t.Errorf("past the stale window = %q, %v; want v3, miss", v, o)
		}
	})
}

func TestStaleIfErrorServesExpiredOnFailure(t *testing.T) {
	forEachBackend(t, memoimpl.FuncInfo{TTL: time.Minute, StaleIfError: 10 * time.Minute, Errors: true}, func(t *testing.T, f *memoimpl.Func, clock *fakeClock, rec *recorder) {
		boom := errors.New("boom")
		var fail atomic.Bool
		compute := func(context.Context) (int, error) {
			if fail.Load() {
				return 0, boom
			}
			return 7, nil
		}
		freshGet(context.Background(), f, "k", compute)
		clock.Advance(2 * time.Minute)
		fail.Store(true)
		if v, o, err := freshGet(context.Background(), f, "k", compute); v != 7 || o != memo.Stale || err != nil {
			t.Fatalf("failing after expiry = %d, %v, %v; want 7, stale, nil", v, o, err)
		}
		calls := rec.Calls()
		if last := calls[len(calls)-1]; last.Outcome != memo.Stale || !errors.Is(last.Err, boom) {
			t.Errorf("hook saw %v, %v; want stale, boom", last.Outcome, last.Err)
		}
		clock.Advance(10 * time.Minute)
		if _, o, err := freshGet(context.Background(), f, "k", compute); o != memo.Miss || !errors.Is(err, boom) {
			t.Errorf("past stale_if_error = %v, %v; want miss, boom", o, err)
		}
	})
}

// errNotFound is a sentinel of the package under test.
var errNotFound = errors.New("not found")

func TestErrTTLCachesErrors(t *testing.T) {
	info := memoimpl.FuncInfo{ErrTTL: time.Minute, Errors: true, Sentinels: map[string]error{"errNotFound": errNotFound}}
	forEachBackend(t, info, func(t *testing.T, f *memoimpl.Func, clock *fakeClock, rec *recorder) {
		var runs atomic.Int64
		compute := func(err error) func(context.Context) (string, error) {
			return func(context.Context) (string, error) {
				runs.Add(1)
				return "", err
			}
		}
		cases := []struct {
			arg     string
			err     error
			wantMsg string
			same    bool // the cached error is the sentinel itself
		}{
			{"sentinel", errNotFound, "not found", true},
			{"wrapped", fmt.Errorf("user 3: %w", errNotFound), "user 3: not found", false},
			{"other", errors.New("boom"), "boom", false},
		}
		for _, tc := range cases {
			freshGet(context.Background(), f, tc.arg, compute(tc.err))
			_, o, err := freshGet(context.Background(), f, tc.arg, compute(tc.err))
			if o != memo.Hit || err == nil || err.Error() != tc.wantMsg {
				t.Fatalf("%s: second call = %v, %v; want hit, %q", tc.arg, o, err, tc.wantMsg)
			}
			if is := errors.Is(err, errNotFound); is != errors.Is(tc.err, errNotFound) {
				t.Errorf("%s: errors.Is(%v, errNotFound) = %v; want %v", tc.arg, err, is, !is)
			}
			if tc.same && err != errNotFound {
				t.Errorf("%s: cached error %#v; want the sentinel itself", tc.arg, err)
			}
		}
		if n := runs.Load(); n != 3 {
			t.Errorf("%d runs; want 3, each error cached", n)
		}
		clock.Advance(time.Minute)
		if _, o, _ := freshGet(context.Background(), f, "sentinel", compute(errNotFound)); o != memo.Miss {
			t.Errorf("after errttl = %v; want miss", o)
		}
	})
}

func TestTTLRefreshExtendsOnHit(t *testing.T) {
	forEachBackend(t, memoimpl.FuncInfo{TTL: time.Minute, TTLRefresh: true}, func(t *testing.T, f *memoimpl.Func, clock *fakeClock, rec *recorder) {
		var runs atomic.Int64
		compute := func(context.Context) (int64, error) { return runs.Add(1), nil }
		steps := []struct {
			advance time.Duration
			want    memo.Outcome
		}{{0, memo.Miss}, {50 * time.Second, memo.Hit}, {50 * time.Second, memo.Hit}, {59 * time.Second, memo.Hit}, {61 * time.Second, memo.Miss}}
		for i, s := range steps {
			clock.Advance(s.advance)
			if _, o, _ := freshGet(context.Background(), f, "k", compute); o != s.want {
				t.Errorf("step %d (+%v) = %v; want %v", i, s.advance, o, s.want)
			}
		}
	})
}

func TestEarlyRecomputesNearExpiry(t *testing.T) {
	forEachBackend(t, memoimpl.FuncInfo{TTL: time.Hour, Early: 1}, func(t *testing.T, f *memoimpl.Func, clock *fakeClock, rec *recorder) {
		var runs atomic.Int64
		compute := func(context.Context) (int64, error) {
			clock.Advance(10 * time.Second) // the function takes 10s
			return runs.Add(1), nil
		}
		freshGet(context.Background(), f, "k", compute)
		// An hour from expiry, XFetch recomputes with probability e^-360.
		if _, o, _ := freshGet(context.Background(), f, "k", compute); o != memo.Hit {
			t.Errorf("far from expiry = %v; want hit", o)
		}
		// A nanosecond from expiry, it keeps the entry with probability 1e-10.
		clock.Advance(time.Hour - time.Nanosecond)
		if v, o, _ := freshGet(context.Background(), f, "k", compute); v != 2 || o != memo.Refresh {
			t.Errorf("next to expiry = %d, %v; want 2, refresh", v, o)
		}
	})
}

func TestMaxRefreshesBoundsBackgroundRefreshes(t *testing.T) {
	clock := fakeclock.New(time.Now())
	rec := &recorder{refreshed: make(chan memo.CallInfo, 16)}
	configure(t, memo.Config{Now: clock.Now, Hook: rec.Hook, MaxRefreshes: 1})
	f := newFunc(t, memoimpl.FuncInfo{TTL: time.Minute, Stale: time.Minute})
	release, started := make(chan struct{}), make(chan struct{})
	var runs atomic.Int64
	compute := func(context.Context) (int64, error) {
		if runs.Add(1) > 2 {
			close(started)
			<-release
		}
		return runs.Load(), nil
	}
	freshGet(context.Background(), f, "a", compute)
	freshGet(context.Background(), f, "b", compute)
	clock.Advance(61 * time.Second)
	freshGet(context.Background(), f, "a", compute) // starts the one refresh allowed, which waits
	<-started
	if _, o, _ := freshGet(context.Background(), f, "b", compute); o != memo.Stale {
		t.Errorf("b = %v; want stale", o)
	}
	close(release)
	waitRefresh(t, rec)
	if n := runs.Load(); n != 3 {
		t.Errorf("%d runs; want 3: b's refresh was not started while a's ran", n)
	}
}

func TestWithOutcomeUncachedWhenDisabled(t *testing.T) {
	configure(t, memo.Config{Disabled: true})
	f := newFunc(t, memoimpl.FuncInfo{TTL: time.Minute, Stale: time.Minute})
	if _, o, _ := freshGet(context.Background(), f, "k", func(context.Context) (int, error) { return 1, nil }); o != memo.Uncached {
		t.Errorf("outcome = %v; want uncached", o)
	}
}
