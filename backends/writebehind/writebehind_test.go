package writebehind

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/memogen/memogen/backends/backendtest"
	"github.com/memogen/memogen/backends/memory"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/store"
)

var (
	ctx   = context.Background()
	funcA = store.FuncID{Package: "example.com/p", Name: "A"}
	funcB = store.FuncID{Package: "example.com/p", Name: "B"}
)

// newStore returns a store in front of back, closed when the test ends.
func newStore(t *testing.T, back store.Backend, opts Options) *Store {
	t.Helper()
	s := New(back, opts)
	t.Cleanup(func() { s.Close() })
	return s
}

// gate makes back's Set of the keys that hold returns true wait until the
// returned release is called. Release may be called more than once; defer
// it, so that the Close of a failed test can drain the queue.
func gate(back *backendtest.Recorder, hold func(store.Key) bool) (release func()) {
	open := make(chan struct{})
	var once sync.Once
	back.BeforeSet = func(k store.Key, _ []byte) {
		if hold(k) {
			<-open
		}
	}
	return func() { once.Do(func() { close(open) }) }
}

func holdAll(store.Key) bool { return true }

func mustSet(t *testing.T, b store.Backend, k store.Key, value string) {
	t.Helper()
	if err := b.Set(ctx, k, []byte(value), time.Time{}); err != nil {
		t.Fatalf("Set(%v) = %v; want nil", k, err)
	}
}

func mustDelete(t *testing.T, b store.Backend, k store.Key) {
	t.Helper()
	if err := b.Delete(ctx, k); err != nil {
		t.Fatalf("Delete(%v) = %v; want nil", k, err)
	}
}

func mustFlush(t *testing.T, s *Store) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := s.Flush(ctx); err != nil {
		t.Fatalf("Flush = %v; want nil", err)
	}
}

func wantValue(t *testing.T, b store.Backend, k store.Key, want string) {
	t.Helper()
	got, err := b.Get(ctx, k)
	if err != nil || string(got) != want {
		t.Fatalf("Get(%v) = %q, %v; want %q", k, got, err, want)
	}
}

// wantStored checks what the back itself holds under k: want, or nothing
// if want is "".
func wantStored(t *testing.T, back *backendtest.Recorder, k store.Key, want string) {
	t.Helper()
	got, ok := back.Stored(k)
	switch {
	case want == "" && ok:
		t.Fatalf("the back holds %q under %v; want nothing", got, k)
	case want != "" && (!ok || string(got) != want):
		t.Fatalf("the back holds %q (present: %v) under %v; want %q", got, ok, k, want)
	}
}

func TestConformance(t *testing.T) {
	backendtest.RunInBubble(t, func(t *testing.T) store.Backend {
		return newStore(t, new(backendtest.Recorder), Options{})
	})
}

func TestSetReturnsBeforeTheWrite(t *testing.T) {
	t.Parallel()
	back := new(backendtest.Recorder)
	release := gate(back, holdAll)
	defer release()
	s := newStore(t, back, Options{})
	k := backendtest.Key(funcA, 1)
	mustSet(t, s, k, "v") // returns although the back is held
	wantStored(t, back, k, "")
	wantValue(t, s, k, "v")
	release()
	mustFlush(t, s)
	wantStored(t, back, k, "v")
}

func TestGetSeesPendingDelete(t *testing.T) {
	t.Parallel()
	back := new(backendtest.Recorder)
	k := backendtest.Key(funcA, 1)
	mustSet(t, back, k, "old")
	release := gate(back, func(key store.Key) bool { return key != k })
	defer release()
	s := newStore(t, back, Options{})
	mustSet(t, s, backendtest.Key(funcA, 2), "x") // occupies the only worker
	mustDelete(t, s, k)
	backendtest.WantMissing(t, s, k)
	wantStored(t, back, k, "old")
	release()
	mustFlush(t, s)
	wantStored(t, back, k, "")
}

func TestPendingSetExpires(t *testing.T) {
	t.Parallel()
	back := new(backendtest.Recorder)
	defer gate(back, holdAll)()
	s := newStore(t, back, Options{})
	k := backendtest.Key(funcA, 1)
	if err := s.Set(ctx, k, []byte("v"), time.Now().Add(-time.Second)); err != nil {
		t.Fatalf("Set = %v; want nil", err)
	}
	backendtest.WantMissing(t, s, k)
}

func TestSetCopiesValue(t *testing.T) {
	t.Parallel()
	back := new(backendtest.Recorder)
	release := gate(back, holdAll)
	defer release()
	s := newStore(t, back, Options{})
	k, buf := backendtest.Key(funcA, 1), []byte("abc")
	if err := s.Set(ctx, k, buf, time.Time{}); err != nil {
		t.Fatal(err)
	}
	copy(buf, "xyz")
	wantValue(t, s, k, "abc")
	got, _ := s.Get(ctx, k)
	copy(got, "xyz")
	wantValue(t, s, k, "abc")
	release()
	mustFlush(t, s)
	wantStored(t, back, k, "abc")
}

// The last change to a key wins, whether the earlier one is still queued
// or already being written when the later one arrives.
func TestLastChangeWins(t *testing.T) {
	t.Parallel()
	type step struct {
		del   bool
		value string
	}
	set := func(v string) step { return step{value: v} }
	del := step{del: true}
	tests := []struct {
		name     string
		inFlight bool // whether the first change is being written when the others arrive
		steps    []step
		want     string // "" for missing
	}{
		{"delete after queued set", false, []step{set("a"), del}, ""},
		{"delete after set being written", true, []step{set("a"), del}, ""},
		{"set after queued delete", false, []step{del, set("b")}, "b"},
		{"set after set being written", true, []step{set("a"), set("b")}, "b"},
		{"set, delete, set", false, []step{set("a"), del, set("c")}, "c"},
		{"set being written, set, delete", true, []step{set("a"), set("b"), del}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			back := new(backendtest.Recorder)
			k := backendtest.Key(funcA, 1)
			mustSet(t, back, k, "before")
			started := make(chan struct{}, 1)
			release := gate(back, func(store.Key) bool {
				select {
				case started <- struct{}{}:
				default:
				}
				return true
			})
			defer release()
			s := newStore(t, back, Options{Workers: 1})
			if !tt.inFlight {
				mustSet(t, s, backendtest.Key(funcB, 1), "x") // holds the worker, so k waits in the queue
			}
			for i, st := range tt.steps {
				if st.del {
					mustDelete(t, s, k)
				} else {
					mustSet(t, s, k, st.value)
				}
				if i == 0 && tt.inFlight {
					<-started
				}
			}
			if tt.want == "" {
				backendtest.WantMissing(t, s, k)
			} else {
				wantValue(t, s, k, tt.want)
			}
			release()
			mustFlush(t, s)
			wantStored(t, back, k, tt.want)
		})
	}
}

func TestClearDropsQueuedChanges(t *testing.T) {
	t.Parallel()
	back := new(backendtest.Recorder)
	for i := range 3 {
		mustSet(t, back, backendtest.Key(funcA, i), "old")
	}
	mustSet(t, back, backendtest.Key(funcB, 0), "b")
	started := make(chan struct{})
	release := gate(back, func(k store.Key) bool {
		if k == backendtest.Key(funcA, 0) {
			close(started)
		}
		return true
	})
	defer release()
	s := newStore(t, back, Options{})
	mustSet(t, s, backendtest.Key(funcA, 0), "new") // being written when Clear runs
	<-started
	mustSet(t, s, backendtest.Key(funcA, 1), "new") // queued
	mustSet(t, s, backendtest.Key(funcB, 1), "b")   // another function's
	if err := s.Clear(ctx, funcA); err != nil {
		t.Fatalf("Clear = %v; want nil", err)
	}
	for i := range 3 {
		backendtest.WantMissing(t, s, backendtest.Key(funcA, i))
	}
	wantValue(t, s, backendtest.Key(funcB, 1), "b")
	release()
	mustFlush(t, s)
	for i := range 3 {
		wantStored(t, back, backendtest.Key(funcA, i), "")
	}
	wantStored(t, back, backendtest.Key(funcB, 0), "b")
	wantStored(t, back, backendtest.Key(funcB, 1), "b")
}

func TestFlush(t *testing.T) {
	t.Parallel()
	back := new(backendtest.Recorder)
	release := gate(back, holdAll)
	defer release()
	s := newStore(t, back, Options{Workers: 2})
	for i := range 10 {
		mustSet(t, s, backendtest.Key(funcA, i), "v")
	}
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if err := s.Flush(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Flush while the back is held = %v; want context.DeadlineExceeded", err)
	}
	release()
	mustFlush(t, s)
	for i := range 10 {
		wantStored(t, back, backendtest.Key(funcA, i), "v")
	}
}

func TestFullQueueWaits(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		back := new(backendtest.Recorder)
		release := gate(back, holdAll)
		defer release()
		s := newStore(t, back, Options{QueueSize: 1})
		mustSet(t, s, backendtest.Key(funcA, 1), "1")
		mustSet(t, s, backendtest.Key(funcA, 1), "2") // the same key always has room
		start := time.Now()
		short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
		defer cancel()
		if err := s.Set(short, backendtest.Key(funcA, 2), []byte("x"), time.Time{}); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Set with a full queue = %v; want context.DeadlineExceeded", err)
		}
		if waited := time.Since(start); waited != 20*time.Millisecond {
			t.Errorf("Set with a full queue returned after %v; want 20ms, when its context ended", waited)
		}
		backendtest.WantMissing(t, s, backendtest.Key(funcA, 2))
		done := make(chan error)
		go func() { done <- s.Set(ctx, backendtest.Key(funcA, 2), []byte("y"), time.Time{}) }()
		release()
		if err := <-done; err != nil {
			t.Fatalf("Set once the queue drains = %v; want nil", err)
		}
		mustFlush(t, s)
		wantStored(t, back, backendtest.Key(funcA, 1), "2")
		wantStored(t, back, backendtest.Key(funcA, 2), "y")
	})
}

func TestCloseDrains(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		back := new(backendtest.Recorder)
		back.BeforeSet = func(store.Key, []byte) { time.Sleep(100 * time.Microsecond) }
		s := New(back, Options{QueueSize: 16, Workers: 3})
		const n = 300
		for i := range n {
			mustSet(t, s, backendtest.Key(funcA, i), fmt.Sprint(i))
		}
		if err := s.Close(); err != nil {
			t.Fatalf("Close = %v; want nil", err)
		}
		for i := range n {
			wantStored(t, back, backendtest.Key(funcA, i), fmt.Sprint(i))
		}
		if back.Calls("Close") != 1 {
			t.Errorf("Close closed the back %d times; want 1", back.Calls("Close"))
		}
		if err := s.Set(ctx, backendtest.Key(funcA, 0), []byte("late"), time.Time{}); !errors.Is(err, ErrClosed) {
			t.Errorf("Set after Close = %v; want ErrClosed", err)
		}
		if err := s.Delete(ctx, backendtest.Key(funcA, 0)); !errors.Is(err, ErrClosed) {
			t.Errorf("Delete after Close = %v; want ErrClosed", err)
		}
		if err := s.Clear(ctx, funcA); !errors.Is(err, ErrClosed) {
			t.Errorf("Clear after Close = %v; want ErrClosed", err)
		}
		if err := s.Close(); err != nil {
			t.Errorf("second Close = %v; want nil", err)
		}
		if back.Calls("Close") != 1 {
			t.Errorf("two Closes closed the back %d times; want 1", back.Calls("Close"))
		}
	})
}

func TestCloseWakesWaitingSet(t *testing.T) {
	t.Parallel()
	back := new(backendtest.Recorder)
	release := gate(back, holdAll)
	defer release()
	s := New(back, Options{QueueSize: 1})
	mustSet(t, s, backendtest.Key(funcA, 1), "1")
	waiting := make(chan error)
	go func() { waiting <- s.Set(ctx, backendtest.Key(funcA, 2), []byte("2"), time.Time{}) }()
	closed := make(chan error)
	go func() { closed <- s.Close() }()
	release()
	if err := <-closed; err != nil {
		t.Fatalf("Close = %v; want nil", err)
	}
	// The waiting Set either found room before Close or was refused.
	switch err := <-waiting; {
	case err == nil:
		wantStored(t, back, backendtest.Key(funcA, 2), "2")
	case errors.Is(err, ErrClosed):
		wantStored(t, back, backendtest.Key(funcA, 2), "")
	default:
		t.Errorf("Set waiting for room during Close = %v; want nil or ErrClosed", err)
	}
	wantStored(t, back, backendtest.Key(funcA, 1), "1")
}

func TestWriteErrors(t *testing.T) {
	t.Parallel()
	back := new(backendtest.Recorder)
	back.SetErr = errors.New("back is down")
	var mu sync.Mutex
	var failed []store.Key
	s := newStore(t, back, Options{OnError: func(k store.Key, err error) {
		if !errors.Is(err, back.SetErr) {
			t.Errorf("OnError(%v, %v); want %v", k, err, back.SetErr)
		}
		mu.Lock()
		defer mu.Unlock()
		failed = append(failed, k)
	}})
	mustSet(t, s, backendtest.Key(funcA, 1), "1")
	mustSet(t, s, backendtest.Key(funcA, 2), "2")
	mustFlush(t, s)
	if got := s.Errors(); got != 2 {
		t.Errorf("Errors() = %d; want 2", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(failed) != 2 {
		t.Errorf("OnError called for %v; want the 2 keys set", failed)
	}
	backendtest.WantMissing(t, s, backendtest.Key(funcA, 1)) // a failed write is not retried
}

// TestLenAndStats checks that the queue's length, what exiting without
// Close would lose, and the writes are counted.
func TestLenAndStats(t *testing.T) {
	t.Parallel()
	back := new(backendtest.Recorder)
	release := gate(back, holdAll)
	defer release()
	s := newStore(t, back, Options{})
	for i := range 3 {
		mustSet(t, s, backendtest.Key(funcA, i), "v")
	}
	mustSet(t, s, backendtest.Key(funcA, 0), "w") // the same key: still 3 queued
	if got := s.Len(); got != 3 {
		t.Errorf("Len() with 3 keys queued = %d; want 3", got)
	}
	release()
	mustFlush(t, s)
	// Key 0 is written once, or twice if a worker took its first change
	// before the second.
	if got := s.Stats(); got.Queued != 0 || got.Written < 3 || got.Written > 4 || got.Errors != 0 {
		t.Errorf("Stats() after Flush = %+v; want nothing queued, 3 or 4 writes, no error", got)
	}
}

func TestErrorsCountedWithoutHook(t *testing.T) {
	t.Parallel()
	back := new(backendtest.Recorder)
	back.SetErr = errors.New("back is down")
	s := newStore(t, back, Options{})
	mustSet(t, s, backendtest.Key(funcA, 1), "1")
	mustFlush(t, s)
	if got := s.Errors(); got != 1 {
		t.Errorf("Errors() = %d; want 1", got)
	}
}

// Each goroutine owns its keys, so every Get must see exactly its own last
// change, and after Close the back must hold it.
func TestConcurrentReadYourWrites(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		back := new(backendtest.Recorder)
		back.BeforeSet = func(store.Key, []byte) { time.Sleep(time.Duration(rand.IntN(50)) * time.Microsecond) }
		s := New(back, Options{QueueSize: 8, Workers: 4})
		const goroutines, keysEach, ops = 8, 4, 300
		final := make([]map[store.Key]string, goroutines)
		var wg sync.WaitGroup
		for g := range goroutines {
			fn := store.FuncID{Package: "example.com/p", Name: fmt.Sprint("F", g)}
			want := make(map[store.Key]string)
			final[g] = want
			wg.Go(func() {
				for i := range ops {
					k := backendtest.Key(fn, rand.IntN(keysEach))
					var err error
					switch r := rand.IntN(10); {
					case r < 5:
						want[k] = fmt.Sprint(g, "/", i)
						err = s.Set(ctx, k, []byte(want[k]), time.Time{})
					case r < 8:
						delete(want, k)
						err = s.Delete(ctx, k)
					case r < 9:
						clear(want)
						err = s.Clear(ctx, fn)
					default:
						err = s.Flush(ctx)
					}
					if err != nil {
						t.Errorf("operation %d = %v; want nil", i, err)
						return
					}
					got, err := s.Get(ctx, k)
					if v, ok := want[k]; (ok && (err != nil || string(got) != v)) || (!ok && !errors.Is(err, store.ErrNotFound)) {
						t.Errorf("Get(%v) after operation %d = %q, %v; want %q (present: %v)", k, i, got, err, v, ok)
						return
					}
				}
			})
		}
		wg.Wait()
		if err := s.Close(); err != nil {
			t.Fatalf("Close = %v; want nil", err)
		}
		for g, want := range final {
			fn := store.FuncID{Package: "example.com/p", Name: fmt.Sprint("F", g)}
			for i := range keysEach {
				wantStored(t, back, backendtest.Key(fn, i), want[backendtest.Key(fn, i)])
			}
		}
	})
}

func TestListAndPrune(t *testing.T) {
	t.Parallel()
	back := new(backendtest.Recorder)
	s := newStore(t, back, Options{})
	past := time.Now().Add(-time.Second)
	if err := s.Set(ctx, backendtest.Key(funcA, 1), []byte("1"), past); err != nil {
		t.Fatal(err)
	}
	mustSet(t, s, backendtest.Key(funcA, 2), "2")
	n := 0
	if err := s.List(ctx, funcA, func(store.StoredEntry) bool { n++; return true }); err != nil || n != 2 {
		t.Errorf("List = %v after %d entries; want nil after the 2 queued", err, n)
	}
	if stats, err := s.Prune(ctx); err != nil || stats.Entries != 1 {
		t.Errorf("Prune = %+v, %v; want 1 entry removed", stats, err)
	}

	s = newStore(t, memory.New(memory.Options{}), Options{})
	err := s.List(ctx, store.FuncID{}, func(store.StoredEntry) bool { return true })
	if !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("List with a memory back = %v; want errors.ErrUnsupported", err)
	}
	if stats, err := s.Prune(ctx); !errors.Is(err, errors.ErrUnsupported) || stats != (store.PruneStats{}) {
		t.Errorf("Prune with a memory back = %+v, %v; want nothing removed, errors.ErrUnsupported", stats, err)
	}
}

func TestParseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url  string
		want URLConfig
	}{
		{"writebehind://?back=mem%3A%2F%2F", URLConfig{Back: "mem://"}},
		{"writebehind:?back=mem://", URLConfig{Back: "mem://"}},
		{"writebehind://?back=" + url.QueryEscape("mem://?max_entries=10") + "&queue_size=8&workers=3&write_timeout=5s",
			URLConfig{Back: "mem://?max_entries=10", Options: Options{QueueSize: 8, Workers: 3, WriteTimeout: 5 * time.Second}}},
	}
	for _, tt := range tests {
		got, err := ParseURL(tt.url)
		if err != nil || got.Back != tt.want.Back || got.QueueSize != tt.want.QueueSize || got.Workers != tt.want.Workers ||
			got.WriteTimeout != tt.want.WriteTimeout || got.OnError != nil {
			t.Errorf("ParseURL(%q) = %+v, %v; want %+v, nil", tt.url, got, err, tt.want)
		}
	}
}

func TestParseURLErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url  string
		want string
	}{
		{"writebehind://", `writebehind: no back= URL; want writebehind://?back=<query-escaped URL>`},
		{"writebehind://?back=mem%3A%2F%2F&queue_szie=8", `writebehind: unknown URL parameter "queue_szie"; did you mean "queue_size"?`},
		{"writebehind://?back=mem%3A%2F%2F&queue=8", `writebehind: unknown URL parameter "queue" (want back, queue_size, workers or write_timeout)`},
		{"writebehind://?back=mem%3A%2F%2F&workers=1&workers=2", `writebehind: URL parameter workers is given 2 times; give it once`},
		{"writebehind://?back=mem://?max_entries=10&max_bytes=100", `writebehind: unknown URL parameter "max_bytes" (want back, queue_size, workers or write_timeout)` + "\n" +
			`writebehind: query-escape the URL in back= (url.QueryEscape)`},
		{"writebehind://?back=mem%3A%2F%2F&queue_size=0", `writebehind: invalid URL parameter queue_size="0": want a positive integer`},
		{"writebehind://?back=mem%3A%2F%2F&workers=many", `writebehind: invalid URL parameter workers="many": want a positive integer`},
		{"writebehind://?back=mem%3A%2F%2F&write_timeout=1", `writebehind: invalid URL parameter write_timeout="1": want a positive duration such as 30s`},
		{"writebehind://host?back=mem%3A%2F%2F", `writebehind: URL has "host" before the query; want writebehind://?back=…`},
		{"file:///tmp", `writebehind: URL scheme "file", want writebehind`},
	}
	for _, tt := range tests {
		got, err := ParseURL(tt.url)
		if err == nil || err.Error() != tt.want {
			t.Errorf("ParseURL(%q) = %+v, %v; want the error\n%s", tt.url, got, err, tt.want)
		}
		if _, err := memo.Open(tt.url); strings.HasPrefix(tt.url, "writebehind:") && (err == nil || err.Error() != tt.want) {
			t.Errorf("memo.Open(%q) = %v; want the error\n%s", tt.url, err, tt.want)
		}
	}
}

func TestOpen(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url  string
		want Options
	}{
		{"writebehind://?back=mem%3A%2F%2F", Options{QueueSize: DefaultQueueSize, Workers: DefaultWorkers, WriteTimeout: DefaultWriteTimeout}},
		{"writebehind://?back=" + url.QueryEscape("mem://?max_entries=10") + "&queue_size=8&workers=3&write_timeout=5s", Options{QueueSize: 8, Workers: 3, WriteTimeout: 5 * time.Second}},
	}
	for _, tt := range tests {
		b, err := memo.Open(tt.url)
		if err != nil {
			t.Errorf("Open(%q) = %v; want a store", tt.url, err)
			continue
		}
		s := b.(*Store)
		if got := s.opts; got.QueueSize != tt.want.QueueSize || got.Workers != tt.want.Workers || got.WriteTimeout != tt.want.WriteTimeout {
			t.Errorf("Open(%q): options %+v; want %+v", tt.url, s.opts, tt.want)
		}
		mustSet(t, s, backendtest.Key(funcA, 1), "1")
		if err := s.Close(); err != nil {
			t.Errorf("Close = %v; want nil", err)
		}
		wantValue(t, s, backendtest.Key(funcA, 1), "1")
	}
}

// TestOpenBackError checks that a back that cannot be opened fails the
// opening.
func TestOpenBackError(t *testing.T) {
	t.Parallel()
	raw := "writebehind://?back=nosuch%3A%2F%2Fx"
	want := `writebehind: back: memo: no backend for scheme "nosuch"; import its package, e.g. _ "github.com/memogen/memogen/backends/nosuch"`
	if _, err := memo.Open(raw); err == nil || err.Error() != want {
		t.Errorf("memo.Open(%q) = %v; want the error\n%s", raw, err, want)
	}
}

func BenchmarkSet(b *testing.B) {
	s := New(memory.New(memory.Options{}), Options{})
	defer s.Close()
	value := bytes.Repeat([]byte("x"), 256)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			i++
			if err := s.Set(ctx, backendtest.Key(funcA, i%512), value, time.Time{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// An entry swapped or copied to another key while it waits in the queue is
// a miss, as it is in any backend: the runtime checks the key every entry
// names, wherever it was read from.
func TestQueuedEntriesAnswerForOneKey(t *testing.T) {
	t.Parallel()
	back := new(backendtest.Recorder)
	release := gate(back, holdAll) // every change stays queued
	defer release()
	s := newStore(t, back, Options{})
	backendtest.EntryKeys(t, s, backendtest.SwapValues(s), backendtest.CopyValue(s))
	if n := back.Calls("Get"); n != 3 {
		t.Errorf("the back was read %d times; want 3, the first three misses: every entry was still queued", n)
	}
}
