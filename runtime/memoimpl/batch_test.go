package memoimpl_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/memogen/memogen/backends/memory"
	"github.com/memogen/memogen/internal/fakeclock"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
)

// batchBegin is what memogen generates to start a call for one ID of
// func(ctx, ids []string) (map[string]int, error): the key of a memoized
// func(ctx, id string) (int, error).
func batchBegin(ctx context.Context) func(f *memoimpl.Func, id string) *memoimpl.Call {
	return func(f *memoimpl.Func, id string) *memoimpl.Call {
		c := f.Begin(ctx)
		c.Key().Text(id)
		c.Summarize(func() string { return memoimpl.Describe("id", id) })
		return c
	}
}

// lengths is a batch function: it returns len(id) for each ID but those in
// absent, and records every batch of IDs it is asked for.
type lengths struct {
	mu      sync.Mutex
	absent  map[string]bool
	batches [][]string
	err     error
}

func (l *lengths) fetch(ids []string) (map[string]int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.batches = append(l.batches, slices.Clone(ids))
	if l.err != nil {
		return nil, l.err
	}
	m := make(map[string]int)
	for _, id := range ids {
		if !l.absent[id] {
			m[id] = len(id)
		}
	}
	return m, nil
}

func (l *lengths) asked() [][]string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.batches)
}

// newBatch returns a Batch of its own for t.
func newBatch(t *testing.T, info memoimpl.FuncInfo, errTTL time.Duration) *memoimpl.Batch {
	if info.Package == "" {
		info.Package = testPackage
	}
	if info.Name == "" {
		info.Name = uniqueName(t)
	}
	info.Errors = true
	return memoimpl.NewBatch(info, errTTL)
}

func batchMap(t *testing.T, b *memoimpl.Batch, l *lengths, refresh bool, ids ...string) map[string]int {
	t.Helper()
	m, err := memoimpl.BatchMap(context.Background(), b, ids, refresh, batchBegin(context.Background()), l.fetch)
	if err != nil {
		t.Fatalf("BatchMap(%q) error: %v", ids, err)
	}
	return m
}

func wantBatches(t *testing.T, l *lengths, want ...[]string) {
	t.Helper()
	if got := l.asked(); !reflect.DeepEqual(got, want) {
		t.Fatalf("the function was asked for %q; want %q", got, want)
	}
}

func TestBatchFetchesOnlyWhatIsNotCached(t *testing.T) {
	b := newBatch(t, memoimpl.FuncInfo{}, 0)
	l := &lengths{}
	if got, want := batchMap(t, b, l, false, "a", "bb", "a"), map[string]int{"a": 1, "bb": 2}; !maps.Equal(got, want) {
		t.Fatalf("first batch = %v; want %v", got, want)
	}
	if got, want := batchMap(t, b, l, false, "bb", "ccc", "a"), map[string]int{"a": 1, "bb": 2, "ccc": 3}; !maps.Equal(got, want) {
		t.Fatalf("second batch = %v; want %v", got, want)
	}
	batchMap(t, b, l, false, "ccc")
	// Duplicates are asked for once; cached IDs are not asked for again.
	wantBatches(t, l, []string{"a", "bb"}, []string{"ccc"})
	s := b.Stats()
	if s.Hits != 3 || s.Misses != 3 {
		t.Fatalf("Stats() = %+v; want 3 hits (bb, a, ccc) and 3 misses (a, bb, ccc)", s)
	}
}

func TestBatchEmpty(t *testing.T) {
	b := newBatch(t, memoimpl.FuncInfo{}, 0)
	l := &lengths{}
	if got := batchMap(t, b, l, false); got == nil || len(got) != 0 {
		t.Fatalf("BatchMap(no IDs) = %#v; want an empty, non-nil map", got)
	}
	wantBatches(t, l)
}

// An entry a batch stores is the entry of a memoized call with the same
// key: a per-ID call finds it, and a batch finds what a per-ID call stored.
func TestBatchSharesEntriesWithPerIDCalls(t *testing.T) {
	b := newBatch(t, memoimpl.FuncInfo{}, 0)
	l := &lengths{}
	batchMap(t, b, l, false, "abc")
	var c counter
	if got, err := cached(context.Background(), b.Func(), "abc", false, func() (int, error) { c.n.Add(1); return -1, nil }); got != 3 || err != nil || c.runs() != 0 {
		t.Fatalf("per-ID call = %d, %v after %d runs; want 3, nil from the batch's entry", got, err, c.runs())
	}
	cached(context.Background(), b.Func(), "xy", false, func() (int, error) { return 2, nil })
	if got := batchMap(t, b, l, false, "xy"); got["xy"] != 2 {
		t.Fatalf("batch = %v; want xy:2 from the per-ID call's entry", got)
	}
	wantBatches(t, l, []string{"abc"})
}

func TestBatchMissingWithoutErrTTLIsAskedAgain(t *testing.T) {
	b := newBatch(t, memoimpl.FuncInfo{}, 0)
	l := &lengths{absent: map[string]bool{"zz": true}}
	for range 2 {
		if got, want := batchMap(t, b, l, false, "a", "zz"), map[string]int{"a": 1}; !maps.Equal(got, want) {
			t.Fatalf("batch = %v; want %v (zz absent)", got, want)
		}
	}
	wantBatches(t, l, []string{"a", "zz"}, []string{"zz"})
}

func TestBatchMissingCachedForErrTTL(t *testing.T) {
	clock := newFakeClock()
	configure(t, memo.Config{Now: clock.Now})
	b := newBatch(t, memoimpl.FuncInfo{TTL: time.Hour}, time.Minute)
	l := &lengths{absent: map[string]bool{"zz": true}}
	batchMap(t, b, l, false, "a", "zz")
	clock.Advance(59 * time.Second)
	if got, want := batchMap(t, b, l, false, "zz", "a"), map[string]int{"a": 1}; !maps.Equal(got, want) {
		t.Fatalf("batch = %v; want %v", got, want)
	}
	wantBatches(t, l, []string{"a", "zz"}) // zz is known missing
	if !b.Contains(func(f *memoimpl.Func) *memoimpl.Call { return batchBegin(context.Background())(f, "zz") }) {
		t.Fatal("Contains(zz) = false while it is marked missing; want true")
	}
	clock.Advance(time.Second)
	batchMap(t, b, l, false, "zz", "a")
	wantBatches(t, l, []string{"a", "zz"}, []string{"zz"}) // the marker expired; a lives an hour
	l.mu.Lock()
	l.absent = nil
	l.mu.Unlock()
	if got := batchMap(t, b, l, true, "zz"); got["zz"] != 2 {
		t.Fatalf("refreshed batch = %v; want zz:2", got)
	}
	if got := batchMap(t, b, l, false, "zz"); got["zz"] != 2 {
		t.Fatalf("batch after refresh = %v; want zz:2 cached", got)
	}
	wantBatches(t, l, []string{"a", "zz"}, []string{"zz"}, []string{"zz"})
}

func TestBatchForgetAndClear(t *testing.T) {
	b := newBatch(t, memoimpl.FuncInfo{}, time.Minute)
	l := &lengths{absent: map[string]bool{"zz": true}}
	batchMap(t, b, l, false, "a", "zz", "bb")
	one := func(id string) func(*memoimpl.Func) *memoimpl.Call {
		return func(f *memoimpl.Func) *memoimpl.Call { return batchBegin(context.Background())(f, id) }
	}
	for _, id := range []string{"a", "zz"} {
		if err := b.Forget(one(id)); err != nil {
			t.Fatalf("Forget(%s): %v", id, err)
		}
	}
	batchMap(t, b, l, false, "a", "zz", "bb")
	if err := b.Clear(context.Background()); err != nil {
		t.Fatalf("Clear: %v", err)
	}
	if b.Contains(one("bb")) {
		t.Fatal("Contains(bb) after Clear = true; want false")
	}
	batchMap(t, b, l, false, "a", "zz", "bb")
	wantBatches(t, l, []string{"a", "zz", "bb"}, []string{"a", "zz"}, []string{"a", "zz", "bb"})
}

func TestBatchErrorIsReturnedNotCached(t *testing.T) {
	b := newBatch(t, memoimpl.FuncInfo{}, time.Minute)
	errBoom := errors.New("boom")
	l := &lengths{err: errBoom}
	m, err := memoimpl.BatchMap(context.Background(), b, []string{"a", "zz"}, false, batchBegin(context.Background()), l.fetch)
	if !errors.Is(err, errBoom) || m != nil {
		t.Fatalf("BatchMap = %v, %v; want nil, boom", m, err)
	}
	l.mu.Lock()
	l.err = nil
	l.mu.Unlock()
	batchMap(t, b, l, false, "a", "zz")
	wantBatches(t, l, []string{"a", "zz"}, []string{"a", "zz"})
	if s := b.Stats(); s.Errors != 2 {
		t.Fatalf("Stats().Errors = %d; want 2 (one per ID of the failed fetch)", s.Errors)
	}
}

func TestBatchSlice(t *testing.T) {
	b := newBatch(t, memoimpl.FuncInfo{}, 0)
	var asked [][]string
	fetch := func(ids []string) ([]string, error) {
		asked = append(asked, slices.Clone(ids))
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = id + id
		}
		return out, nil
	}
	ctx := context.Background()
	got, err := memoimpl.BatchSlice(ctx, b, []string{"a", "b", "a"}, false, batchBegin(ctx), fetch)
	if want := []string{"aa", "bb", "aa"}; err != nil || !slices.Equal(got, want) {
		t.Fatalf("BatchSlice = %q, %v; want %q: result i answers ids[i], duplicates included", got, err, want)
	}
	got, err = memoimpl.BatchSlice(ctx, b, []string{"c", "b"}, false, batchBegin(ctx), fetch)
	if want := []string{"cc", "bb"}; err != nil || !slices.Equal(got, want) {
		t.Fatalf("BatchSlice = %q, %v; want %q", got, err, want)
	}
	if want := [][]string{{"a", "b"}, {"c"}}; !reflect.DeepEqual(asked, want) {
		t.Fatalf("asked %q; want %q", asked, want)
	}
	short := func(ids []string) ([]string, error) { return []string{"x"}, nil }
	got, err = memoimpl.BatchSlice(ctx, b, []string{"d", "e"}, false, batchBegin(ctx), short)
	if !errors.Is(err, memo.ErrBatchLength) || got != nil {
		t.Fatalf("BatchSlice with a short result = %q, %v; want nil, ErrBatchLength", got, err)
	}
	if b.Contains(func(f *memoimpl.Func) *memoimpl.Call { return batchBegin(ctx)(f, "d") }) {
		t.Fatal("an ID of a failed batch is cached; want nothing stored")
	}
}

// Concurrent batches that ask for overlapping IDs fetch each ID once: the
// second waits for the ID the first is fetching and fetches only the rest.
func TestBatchSharesInFlightIDs(t *testing.T) {
	b := newBatch(t, memoimpl.FuncInfo{}, 0)
	var mu sync.Mutex
	var asked [][]string
	started, release := make(chan struct{}), make(chan struct{})
	slow := func(ids []string) (map[string]int, error) {
		mu.Lock()
		asked = append(asked, slices.Clone(ids))
		mu.Unlock()
		if ids[0] == "a" {
			close(started)
			<-release
		}
		m := map[string]int{}
		for _, id := range ids {
			m[id] = len(id)
		}
		return m, nil
	}
	ctx := context.Background()
	first := make(chan map[string]int)
	go func() {
		m, _ := memoimpl.BatchMap(ctx, b, []string{"a", "bb"}, false, batchBegin(ctx), slow)
		first <- m
	}()
	within(t, started, "the first batch's fetch")
	second := make(chan map[string]int)
	fetchedRest := make(chan struct{})
	go func() {
		m, _ := memoimpl.BatchMap(ctx, b, []string{"bb", "ccc"}, false, batchBegin(ctx), func(ids []string) (map[string]int, error) {
			defer close(fetchedRest)
			return slow(ids)
		})
		second <- m
	}()
	// The second batch fetches ccc, then waits for bb, which the first holds.
	within(t, fetchedRest, "the second batch's fetch")
	close(release)
	var m1, m2 map[string]int
	for m1 == nil || m2 == nil {
		select {
		case m1 = <-first:
		case m2 = <-second:
		case <-time.After(deadline):
			t.Fatal("batches still running")
		}
	}
	if want := map[string]int{"a": 1, "bb": 2}; !maps.Equal(m1, want) {
		t.Fatalf("first batch = %v; want %v", m1, want)
	}
	if want := map[string]int{"bb": 2, "ccc": 3}; !maps.Equal(m2, want) {
		t.Fatalf("second batch = %v; want %v", m2, want)
	}
	if want := [][]string{{"a", "bb"}, {"ccc"}}; !reflect.DeepEqual(asked, want) {
		t.Fatalf("asked %q; want %q: bb fetched once", asked, want)
	}
	if s := b.Stats(); s.Shared != 1 || s.Misses != 3 {
		t.Fatalf("Stats() = %+v; want 1 shared (bb) and 3 misses", s)
	}
}

// Many concurrent batches over overlapping IDs run each ID once.
func TestBatchConcurrentRunsEachIDOnce(t *testing.T) {
	b := newBatch(t, memoimpl.FuncInfo{}, time.Minute)
	var mu sync.Mutex
	runs := map[string]int{}
	fetch := func(ids []string) (map[string]int, error) {
		mu.Lock()
		defer mu.Unlock()
		m := map[string]int{}
		for _, id := range ids {
			runs[id]++
			if id != "x3" {
				m[id] = len(id)
			}
		}
		return m, nil
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := range 16 {
		wg.Go(func() {
			ids := []string{fmt.Sprint("x", g%4), fmt.Sprint("x", (g+1)%4), fmt.Sprint("x", (g+2)%4)}
			m, err := memoimpl.BatchMap(context.Background(), b, ids, false, batchBegin(context.Background()), fetch)
			if err == nil && len(m) != 2 && len(m) != 3 {
				err = fmt.Errorf("batch %q = %v", ids, m)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for id, n := range runs {
		if n != 1 {
			t.Errorf("%s fetched %d times; want 1", id, n)
		}
	}
}

// A panic in the function reaches the batch that fetched and the batches
// that waited for its IDs.
func TestBatchPanicReachesWaiters(t *testing.T) {
	b := newBatch(t, memoimpl.FuncInfo{}, 0)
	ctx := context.Background()
	started, release := make(chan struct{}), make(chan struct{})
	boom := func(ids []string) (map[string]int, error) {
		close(started)
		<-release
		panic("boom")
	}
	leaderPanic := make(chan any)
	go func() {
		defer func() { leaderPanic <- recover() }()
		memoimpl.BatchMap(ctx, b, []string{"a"}, false, batchBegin(ctx), boom)
	}()
	within(t, started, "the fetch")
	waiterPanic := make(chan any)
	waiting := make(chan struct{})
	go func() {
		defer func() { waiterPanic <- recover() }()
		memoimpl.BatchMap(ctx, b, []string{"a", "b"}, false, batchBegin(ctx), func(ids []string) (map[string]int, error) {
			close(waiting) // b fetched; a is the first batch's
			return map[string]int{"b": 1}, nil
		})
	}()
	within(t, waiting, "the second batch")
	close(release)
	if p := <-leaderPanic; p != "boom" {
		t.Fatalf("fetching batch recovered %v; want boom", p)
	}
	var pe *memo.PanicError
	if p, _ := (<-waiterPanic).(error); !errors.As(p, &pe) || pe.Value != "boom" {
		t.Fatalf("waiting batch recovered %v; want a *memo.PanicError of boom", p)
	}
}

// Bound to a byte-level backend, each ID is an entry of its own, found
// again by a Batch of another "process" with the same identity.
func TestBatchByteBackend(t *testing.T) {
	// The store expires entries by the real clock, the runtime by the fake
	// one: start the fake one at the real time.
	clock := fakeclock.New(time.Now())
	configure(t, memo.Config{Now: clock.Now})
	name := uniqueName(t)
	register(t, name, byteOnly{memory.New(memory.Options{})})
	info := memoimpl.FuncInfo{Backend: name, Codec: "json", Name: uniqueName(t)}
	l := &lengths{absent: map[string]bool{"zz": true}}
	batchMap(t, newBatch(t, info, time.Minute), l, false, "a", "zz", "bb")
	again := newBatch(t, info, time.Minute)
	if got, want := batchMap(t, again, l, false, "bb", "zz", "a", "dddd"), map[string]int{"a": 1, "bb": 2, "dddd": 4}; !maps.Equal(got, want) {
		t.Fatalf("batch = %v; want %v", got, want)
	}
	clock.Advance(time.Minute)
	batchMap(t, again, l, false, "zz")
	wantBatches(t, l, []string{"a", "zz", "bb"}, []string{"dddd"}, []string{"zz"})
}

// A batch that waits for another's IDs stops waiting when its context
// ends; a batch whose leader gave up because its own context ended fetches
// the IDs itself.
func TestBatchWaitersAndContexts(t *testing.T) {
	b := newBatch(t, memoimpl.FuncInfo{}, 0)
	leaderCtx, cancelLeader := context.WithCancel(context.Background())
	started, release := make(chan struct{}), make(chan struct{})
	leaderDone := make(chan error)
	go func() {
		_, err := memoimpl.BatchMap(leaderCtx, b, []string{"a"}, false, batchBegin(leaderCtx), func(ids []string) (map[string]int, error) {
			close(started)
			<-release
			return nil, leaderCtx.Err()
		})
		leaderDone <- err
	}()
	within(t, started, "the first batch's fetch")

	// A waiter whose context ends returns its context's error.
	waitCtx, cancelWait := context.WithCancel(context.Background())
	cancelWait()
	l := &lengths{}
	if m, err := memoimpl.BatchMap(waitCtx, b, []string{"a", "bb"}, false, batchBegin(waitCtx), l.fetch); !errors.Is(err, context.Canceled) || m != nil {
		t.Fatalf("BatchMap with an ended context = %v, %v; want nil, context.Canceled", m, err)
	}
	wantBatches(t, l, []string{"bb"}) // it fetched what it led before waiting

	// A waiter with a live context takes over when the leader gives up.
	waiterDone := make(chan map[string]int)
	waiting := make(chan struct{})
	var once sync.Once
	go func() {
		ctx := context.Background()
		m, _ := memoimpl.BatchMap(ctx, b, []string{"a", "ccc"}, false, batchBegin(ctx), func(ids []string) (map[string]int, error) {
			once.Do(func() { close(waiting) })
			return l.fetch(ids)
		})
		waiterDone <- m
	}()
	within(t, waiting, "the second batch's fetch of ccc")
	cancelLeader()
	close(release)
	if err := <-leaderDone; !errors.Is(err, context.Canceled) {
		t.Fatalf("leader's BatchMap error = %v; want context.Canceled", err)
	}
	var m map[string]int
	select {
	case m = <-waiterDone:
	case <-time.After(deadline):
		t.Fatal("the waiter is still waiting")
	}
	if want := map[string]int{"a": 1, "ccc": 3}; !maps.Equal(m, want) {
		t.Fatalf("waiter's batch = %v; want %v", m, want)
	}
	wantBatches(t, l, []string{"bb"}, []string{"ccc"}, []string{"a"})
}
