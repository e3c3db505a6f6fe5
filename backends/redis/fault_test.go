package redis_test

import (
	"context"
	"errors"
	"fmt"
	"github.com/memogen/memogen/runtime/memoimpl"
	"github.com/memogen/memogen/runtime/store"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/memogen/memogen/codecs/msgpack"
	"github.com/memogen/memogen/internal/fakeclock"
	"github.com/memogen/memogen/internal/testservers"
	memo "github.com/memogen/memogen/runtime"
)

// These tests drive a Store through the runtime, the way generated wrappers
// do, while Redis misbehaves. They change the global memo.Config, so none
// runs in parallel.

// opTimeout is the memo.Config.Timeout of the fault tests.
const opTimeout = 300 * time.Millisecond

// callBound bounds a wrapper call whose two backend operations (a get and a
// set) each end by opTimeout. It is ten times that, to absorb a loaded
// machine, and below go-redis's own timeouts, which the tests' URLs raise
// to 10s, so that only Config.Timeout can keep a call within it.
const callBound = 10 * opTimeout

// wrapper is a memoized function square(n) = n*n bound to a backend, called
// as generated code calls it.
type wrapper struct {
	f     *memoimpl.Func
	execs atomic.Int64 // runs of square
}

// newWrapper binds store to a backend name of t's own and returns a
// memoized function that uses it.
func newWrapper(t *testing.T, st store.Backend) *wrapper {
	t.Helper()
	name := "redis-" + unsafeInName.ReplaceAllString(t.Name(), "_")
	memo.Register(name, st)
	t.Cleanup(func() { memo.Unregister(name) })
	return &wrapper{f: memoimpl.NewFunc(memoimpl.FuncInfo{
		Package: "example.com/p",
		Name:    "F",
		Backend: name,
		Errors:  true,
		TTL:     time.Hour,
	})}
}

// call is the generated wrapper's body: Begin, Key, Lookup, Summarize, Run.
func (w *wrapper) call(ctx context.Context, n int64) (int64, error) {
	c := w.f.Begin(ctx)
	c.Key().Int(n)
	if r, ok := memoimpl.Lookup[int64](c, false); ok {
		return r, nil
	}
	c.Summarize(func() string { return memoimpl.Describe("n", n) })
	return memoimpl.Run(c, func() (int64, error) {
		w.execs.Add(1)
		return n * n, nil
	})
}

// mustCall calls the wrapper, and fails t unless it returns n*n within
// callBound.
func (w *wrapper) mustCall(t *testing.T, n int64) {
	t.Helper()
	start := time.Now()
	got, err := w.call(context.Background(), n)
	if elapsed := time.Since(start); elapsed > callBound {
		t.Errorf("call(%d) took %v; want at most %v with Config.Timeout %v", n, elapsed, callBound, opTimeout)
	}
	if got != n*n || err != nil {
		t.Fatalf("call(%d) = %d, %v; want %d, nil", n, got, err, n*n)
	}
}

// wantExecs fails t unless square has run want times.
func (w *wrapper) wantExecs(t *testing.T, want int64) {
	t.Helper()
	if got := w.execs.Load(); got != want {
		t.Errorf("square ran %d times; want %d", got, want)
	}
}

// hookLog records what Config.Hook receives.
type hookLog struct {
	mu    sync.Mutex
	calls []memo.CallInfo // guarded by mu
}

func (h *hookLog) hook(ci memo.CallInfo) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls = append(h.calls, ci)
}

// errs returns the errors of the calls recorded.
func (h *hookLog) errs() []error {
	h.mu.Lock()
	defer h.mu.Unlock()
	var errs []error
	for _, ci := range h.calls {
		if ci.Err != nil {
			errs = append(errs, ci.Err)
		}
	}
	return errs
}

// configure sets the shared runtime settings for t, and restores the
// defaults when t ends.
func configure(t *testing.T, c memo.Config) {
	t.Helper()
	if c.Timeout == 0 {
		c.Timeout = opTimeout
	}
	memo.Configure(c)
	t.Cleanup(func() { memo.Configure(memo.Config{}) })
}

// slowParams raise go-redis's own timeouts far above opTimeout and turn off
// its retries, so that only Config.Timeout can end an operation quickly.
var slowParams = []string{"dial_timeout", "10s", "read_timeout", "10s", "write_timeout", "10s", "max_retries", "-1"}

func TestUnreachableFailsOpen(t *testing.T) {
	var log hookLog
	configure(t, memo.Config{Hook: log.hook})
	s := openURL(t, fmt.Sprintf("redis://127.0.0.1:%d/0?dial_timeout=100ms", testservers.ClosedPort(t)))
	w := newWrapper(t, s)

	w.mustCall(t, 3)
	w.mustCall(t, 3)
	w.wantExecs(t, 2) // nothing could be cached
	if st := w.f.Stats(); st.Failures == 0 {
		t.Errorf("Stats().Failures = 0 after calls on an unreachable Redis; want > 0 (%+v)", st)
	}
	errs := log.errs()
	if len(errs) == 0 {
		t.Fatal("the hook received no CallInfo with Err set; want the backend's error")
	}
	if msg := errs[0].Error(); !strings.Contains(msg, "redis: ") {
		t.Errorf("CallInfo.Err = %q; want the Store's \"redis: \" error", msg)
	}
}

func TestUnreachableStrict(t *testing.T) {
	configure(t, memo.Config{Strict: true})
	s := openURL(t, fmt.Sprintf("redis://127.0.0.1:%d/0?dial_timeout=100ms", testservers.ClosedPort(t)))
	w := newWrapper(t, s)

	start := time.Now()
	got, err := w.call(context.Background(), 3)
	if elapsed := time.Since(start); elapsed > callBound {
		t.Errorf("call took %v; want at most %v", elapsed, callBound)
	}
	if err == nil || !strings.Contains(err.Error(), "redis: ") {
		t.Errorf("call under Config.Strict = %d, %v; want the Store's \"redis: \" error", got, err)
	}
	w.wantExecs(t, 0)
}

func TestServerStops(t *testing.T) {
	// No cooldown: the calls right after the restart must reach Redis
	// rather than skip it after the failures.
	configure(t, memo.Config{Cooldown: -1})
	srv := startRedis(t)
	s := openURL(t, srv.url(append([]string{"prefix", testPrefix(t)}, slowParams...)...))
	w := newWrapper(t, s)

	w.mustCall(t, 4)
	w.mustCall(t, 4)
	w.wantExecs(t, 1)

	srv.stop()
	before := w.f.Stats().Failures
	w.mustCall(t, 4)
	w.mustCall(t, 5)
	w.wantExecs(t, 3)
	if after := w.f.Stats().Failures; after <= before {
		t.Errorf("Stats().Failures = %d after calls on a stopped Redis, %d before; want more", after, before)
	}

	if err := srv.start(); err != nil {
		t.Fatalf("restarting redis-server: %v", err)
	}
	w.mustCall(t, 4) // the restarted server is empty
	w.mustCall(t, 4)
	w.wantExecs(t, 4)
}

// silentServer accepts connections on loopback and never answers.
func silentServer(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn // guarded by mu
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Go(func() { _, _ = io.Copy(io.Discard, c) })
		}
	})
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return l.Addr().String()
}

func TestSilentServer(t *testing.T) {
	var log hookLog
	configure(t, memo.Config{Hook: log.hook})
	s := openURL(t, withParams(t, "redis://"+silentServer(t)+"/0", slowParams...))
	w := newWrapper(t, s)

	w.mustCall(t, 6)
	w.mustCall(t, 6)
	w.wantExecs(t, 2)
	if st := w.f.Stats(); st.Failures == 0 {
		t.Errorf("Stats().Failures = 0 after calls on a silent server; want > 0 (%+v)", st)
	}
	if errs := log.errs(); len(errs) == 0 || !isTimeout(errs[0]) {
		t.Errorf("CallInfo errors = %v; want the first to be a timeout", errs)
	}
}

// isTimeout reports whether err is a context's deadline or a connection's,
// which go-redis sets from the context's.
func isTimeout(err error) bool {
	var netErr net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &netErr) && netErr.Timeout()
}

func TestCorruptEntry(t *testing.T) {
	configure(t, memo.Config{})
	s, prefix := openStore(t)
	raw := rawClient(t)
	ctx := context.Background()
	w := newWrapper(t, s)

	w.mustCall(t, 7)
	var keys []string
	iter := raw.Scan(ctx, 0, prefix+":*", 1000).Iterator()
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil || len(keys) != 1 {
		t.Fatalf("keys under %s = %q, %v; want the one entry stored", prefix, keys, iter.Err())
	}
	name := keys[0]
	valid, err := raw.Get(ctx, name).Bytes()
	if err != nil {
		t.Fatal(err)
	}

	for i, bad := range [][]byte{[]byte("garbage"), valid[:len(valid)-1]} {
		if err := raw.Set(ctx, name, bad, 0).Err(); err != nil {
			t.Fatal(err)
		}
		w.mustCall(t, 7)
		w.wantExecs(t, int64(i+2))
		if got := w.f.Stats().Corrupt; got != uint64(i+1) {
			t.Errorf("Stats().Corrupt = %d after reading %q; want %d", got, bad, i+1)
		}
		data, err := raw.Get(ctx, name).Bytes()
		if err != nil {
			t.Fatalf("GET %s after the recomputation = %v; want a fresh entry", name, err)
		}
		if _, err := store.DecodeEntry(data); err != nil {
			t.Errorf("the entry stored after the recomputation: %v; want a valid entry", err)
		}
	}
	w.mustCall(t, 7)
	w.wantExecs(t, 3) // served from the fresh entry
}

// A key of another type where an entry belongs (a list) is a corrupt entry:
// a miss that replaces it, said once, not a backend outage.
func TestWrongTypeUnderEntryKey(t *testing.T) {
	var (
		mu   sync.Mutex
		errs []error
	)
	configure(t, memo.Config{Hook: func(ci memo.CallInfo) {
		if ci.Err != nil {
			mu.Lock()
			errs = append(errs, ci.Err)
			mu.Unlock()
		}
	}})
	s, prefix := openStore(t)
	raw := rawClient(t)
	ctx := context.Background()
	w := newWrapper(t, s)

	w.mustCall(t, 5)
	keys, err := raw.Keys(ctx, prefix+":*").Result()
	if err != nil || len(keys) != 1 {
		t.Fatalf("keys under %s = %q, %v; want the one entry stored", prefix, keys, err)
	}
	if err := raw.Del(ctx, keys[0]).Err(); err != nil {
		t.Fatal(err)
	}
	if err := raw.LPush(ctx, keys[0], "x").Err(); err != nil {
		t.Fatal(err)
	}
	w.mustCall(t, 5)
	w.wantExecs(t, 2)
	if st := w.f.Stats(); st.Corrupt != 1 || st.Failures != 0 {
		t.Errorf("Stats() = %+v; want one corrupt entry, no failure", st)
	}
	if typ := raw.Type(ctx, keys[0]).Val(); typ != "string" {
		t.Errorf("TYPE %s after the recomputation = %s; want the fresh entry, a string", keys[0], typ)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(errs) != 1 || !errors.Is(errs[0], store.ErrCorrupt) || strings.Count(errs[0].Error(), "corrupt entry") != 1 || !strings.Contains(errs[0].Error(), "WRONGTYPE") {
		t.Errorf("hook errors = %v; want one store.ErrCorrupt saying WRONGTYPE and \"corrupt entry\" once", errs)
	}
}

// countingBackend counts the operations of the backend it wraps, and those
// that failed other than for an absent key: the timeouts, on a hung server.
type countingBackend struct {
	store.Backend
	gets, sets, failed atomic.Int64
}

func (b *countingBackend) Get(ctx context.Context, key store.Key) ([]byte, error) {
	b.gets.Add(1)
	v, err := b.Backend.Get(ctx, key)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		b.failed.Add(1)
	}
	return v, err
}

func (b *countingBackend) Set(ctx context.Context, key store.Key, value []byte, expires time.Time) error {
	b.sets.Add(1)
	err := b.Backend.Set(ctx, key, value, expires)
	if err != nil {
		b.failed.Add(1)
	}
	return err
}

// want fails t unless the backend saw gets reads, sets writes and failed
// failures.
func (b *countingBackend) want(t *testing.T, when string, gets, sets, failed int64) {
	t.Helper()
	if g, s, f := b.gets.Load(), b.sets.Load(), b.failed.Load(); g != gets || s != sets || f != failed {
		t.Errorf("%s: %d gets, %d sets, %d failed; want %d, %d, %d", when, g, s, f, gets, sets, failed)
	}
}

// callAll makes n concurrent calls, with keys from first on.
func (w *wrapper) callAll(t *testing.T, first int64, n int) {
	t.Helper()
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			n := first + int64(i)
			if got, err := w.call(context.Background(), n); got != n*n || err != nil {
				t.Errorf("call(%d) = %d, %v; want %d, nil", n, got, err, n*n)
			}
		})
	}
	wg.Wait()
}

// An outage costs a call one timeout, not a failed read and then a failed
// write; once a failure is recorded, the others skip the server during the
// cooldown, and when it is over one call probes the server while the others
// keep skipping it.
func TestHungServerCostsOneTimeout(t *testing.T) {
	clock := fakeclock.New(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	configure(t, memo.Config{Now: clock.Now, Cooldown: time.Minute})
	hung := &countingBackend{Backend: openURL(t, withParams(t, "redis://"+silentServer(t)+"/0", slowParams...))}
	w := newWrapper(t, hung)

	w.mustCall(t, 1)
	hung.want(t, "one call", 1, 0, 1)

	w.callAll(t, 10, 8)
	hung.want(t, "8 calls during the cooldown", 1, 0, 1)

	clock.Advance(2 * time.Minute)
	w.callAll(t, 20, 8)
	hung.want(t, "8 calls after the cooldown", 2, 0, 2)
	w.wantExecs(t, 17)
	if st := w.f.Stats(); st.Failures != 17 {
		t.Errorf("Stats().Failures = %d; want 17: 2 timeouts and 15 calls that rested", st.Failures)
	}
}

// Calls whose reads began before the first failure was recorded each wait
// for their own deadline, but none of them writes.
func TestHungServerConcurrentCalls(t *testing.T) {
	configure(t, memo.Config{Cooldown: time.Hour})
	hung := &countingBackend{Backend: openURL(t, withParams(t, "redis://"+silentServer(t)+"/0", slowParams...))}
	w := newWrapper(t, hung)
	var started sync.WaitGroup
	started.Add(4)
	hung.Backend = &startGate{Backend: hung.Backend, started: &started}
	w.callAll(t, 1, 4)
	hung.want(t, "4 calls that began together", 4, 0, 4)
}

// startGate holds each Get until the number of Gets its WaitGroup counts
// have begun, so that they are all under way before any fails.
type startGate struct {
	store.Backend
	started *sync.WaitGroup
}

func (g *startGate) Get(ctx context.Context, key store.Key) ([]byte, error) {
	g.started.Done()
	g.started.Wait()
	return g.Backend.Get(ctx, key)
}
