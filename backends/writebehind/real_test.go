package writebehind

import (
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/memogen/memogen/backends/backendtest"
	_ "github.com/memogen/memogen/backends/file"
	_ "github.com/memogen/memogen/backends/redis"
	_ "github.com/memogen/memogen/backends/s3"
	"github.com/memogen/memogen/internal/testservers"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
	"github.com/memogen/memogen/runtime/store"
)

// These tests run the Store over real backs: a directory, and the Redis and
// S3-compatible servers of scripts/testservers.sh.

// entryDigest is the key digest the test entries carry. These tests use
// the backend alone, which stores bytes under any key; the runtime, which
// rejects an entry read under another key than its own, is not involved.
const entryDigest = "0123456789abcdef0123456789abcdef"

// entryOf returns the stored entry of result n, as the runtime writes it.
func entryOf(n int) string {
	created := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	return string(store.EncodeEntry(store.Entry{Codec: "json", Digest: entryDigest, Created: created, Payload: fmt.Append(nil, n)}))
}

func TestConformanceOverRealBacks(t *testing.T) {
	t.Parallel()
	for _, back := range testservers.RealBackends {
		t.Run(back.Name, func(t *testing.T) {
			t.Parallel()
			t.Run("New", func(t *testing.T) {
				backendtest.Run(t, func(t *testing.T) store.Backend {
					return testservers.ClosedAtEnd(t, New(testservers.Open(t, back.URL(t)), Options{Workers: 2}))
				})
			})
			t.Run("URL", func(t *testing.T) {
				backendtest.Run(t, func(t *testing.T) store.Backend {
					b := testservers.ClosedAtEnd(t, testservers.Open(t, "writebehind://?workers=2&back="+url.QueryEscape(back.URL(t))))
					if _, ok := b.(*Store); !ok {
						t.Fatalf("memo.Open(writebehind://…) returned a %T; want *writebehind.Store", b)
					}
					return b
				})
			})
		})
	}
}

// setMany sets n entries of funcA through s; with a queue shorter than n,
// later Sets wait for earlier writes.
func setMany(t *testing.T, s *Store, n int) {
	t.Helper()
	for i := range n {
		mustSet(t, s, backendtest.Key(funcA, i), entryOf(i))
	}
}

// wantAll checks that the back at raw, opened afresh as another process
// would, holds the n entries setMany wrote.
func wantAll(t *testing.T, raw string, n int) {
	t.Helper()
	fresh := testservers.ClosedAtEnd(t, testservers.Open(t, raw))
	for i := range n {
		wantValue(t, fresh, backendtest.Key(funcA, i), entryOf(i))
	}
}

func TestCloseLosesNothing(t *testing.T) {
	t.Parallel()
	const n = 100
	for _, back := range testservers.RealBackends {
		t.Run(back.Name, func(t *testing.T) {
			t.Parallel()
			raw := back.URL(t)
			s := New(testservers.Open(t, raw), Options{QueueSize: 16, Workers: 4})
			setMany(t, s, n)
			if err := s.Close(); err != nil {
				t.Fatalf("Close = %v; want nil", err)
			}
			if got := s.Errors(); got != 0 {
				t.Fatalf("Errors() = %d after Close; want 0", got)
			}
			wantAll(t, raw, n)
		})
	}
}

func TestFlushReachesBack(t *testing.T) {
	t.Parallel()
	const n = 100
	for _, back := range testservers.RealBackends {
		t.Run(back.Name, func(t *testing.T) {
			t.Parallel()
			raw := back.URL(t)
			s := testservers.ClosedAtEnd(t, New(testservers.Open(t, raw), Options{QueueSize: 16, Workers: 4}))
			setMany(t, s, n)
			mustFlush(t, s)
			if got := s.Errors(); got != 0 {
				t.Fatalf("Errors() = %d after Flush; want 0", got)
			}
			wantAll(t, raw, n) // while s is still open
		})
	}
}

// Through the runtime, a write-behind store over files serves a repeated
// call, and once it is closed, a file store on the same directory, as in
// another process, serves the results it wrote.
func TestRuntimeOverFile(t *testing.T) {
	t.Parallel()
	raw := testservers.FileURL(t)
	s := New(testservers.Open(t, raw), Options{})
	lf := backendtest.NewLenFunc(t, s)
	lf.MustCall(t, "hello", 1)
	lf.MustCall(t, "hello", 1)
	lf.MustCall(t, "other", 2)
	lf.WantStats(t, memo.Stats{Hits: 1, Misses: 2})
	if err := s.Close(); err != nil {
		t.Fatalf("Close = %v; want nil", err)
	}

	other := backendtest.NewLenFunc(t, testservers.Open(t, raw))
	other.MustCall(t, "hello", 0)
	other.MustCall(t, "other", 0)
	other.WantStats(t, memo.Stats{Hits: 2})
}

// TestMemoCloseDrainsTheQueue stores 2,000 results through the runtime in
// a write-behind store over files, twice what its queue holds, and ends as
// a program returning from main does, with memo.Close: every result
// reaches the files. memo.Close closes every bound backend, so this test
// does not run in parallel.
func TestMemoCloseDrainsTheQueue(t *testing.T) {
	raw := testservers.FileURL(t)
	s := New(testservers.Open(t, raw), Options{Workers: 4})
	const name = "writebehind-memo-close"
	memo.Register(name, s)
	t.Cleanup(func() { memo.Unregister(name) })
	f := memoimpl.NewFunc(memoimpl.FuncInfo{Package: "example.com/writebehind", Name: "Square", Backend: name, Codec: "json"})
	const n = 2000
	for i := range n {
		c := f.Begin(ctx)
		c.Key().Int(int64(i))
		if _, ok := memoimpl.Lookup[int](c, false); ok {
			t.Fatalf("call %d hit a cache that never held it", i)
		}
		if got, err := memoimpl.Run(c, func() (int, error) { return i * i, nil }); got != i*i || err != nil {
			t.Fatalf("call %d = %d, %v; want %d, nil", i, got, err, i*i)
		}
	}
	if st := f.Stats(); st.Misses != n || st.Failures != 0 {
		t.Fatalf("Stats() = %+v; want %d misses and no failure", st, n)
	}
	queued := s.Len()
	if err := memo.Close(ctx); err != nil {
		t.Fatalf("memo.Close = %v; want nil", err)
	}
	if st := s.Stats(); st != (Stats{Written: n}) {
		t.Errorf("after memo.Close, Stats() = %+v; want %+v", st, Stats{Written: n})
	}
	stored := 0
	err := testservers.Open(t, raw).(store.Lister).List(ctx, f.ID(), func(store.StoredEntry) bool {
		stored++
		return true
	})
	if err != nil || stored != n {
		t.Errorf("the files hold %d entries, %v; want all %d", stored, err, n)
	}
	t.Logf("%d keys were still queued when memo.Close began", queued)
}
