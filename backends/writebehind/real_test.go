package writebehind

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/memogen/memogen/backends/backendtest"
	_ "github.com/memogen/memogen/codecs/json"
	memo "github.com/memogen/memogen/runtime"
)

// These tests run the Store over real backs: a directory, and the Redis and
// S3-compatible servers of scripts/testservers.sh.

// closedAtEnd closes b when t ends, and returns it.
func closedAtEnd[B memo.Backend](t *testing.T, b B) B {
	t.Cleanup(func() {
		if c, ok := any(b).(io.Closer); ok {
			if err := c.Close(); err != nil {
				t.Errorf("Close = %v; want nil", err)
			}
		}
	})
	return b
}

// entryOf returns the stored entry of result n, as the runtime writes it.
func entryOf(n int) string {
	created := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	return string(memo.EncodeEntry(memo.Entry{Codec: "json", Created: created, Payload: fmt.Append(nil, n)}))
}

func TestConformanceOverRealBacks(t *testing.T) {
	t.Parallel()
	for _, back := range realBacks {
		t.Run(back.name, func(t *testing.T) {
			t.Parallel()
			t.Run("New", func(t *testing.T) {
				backendtest.Run(t, func(t *testing.T) memo.Backend {
					return closedAtEnd(t, New(openURL(t, back.url(t)), Options{Workers: 2}))
				})
			})
			t.Run("URL", func(t *testing.T) {
				backendtest.Run(t, func(t *testing.T) memo.Backend {
					b := closedAtEnd(t, openURL(t, "writebehind://?workers=2&back="+url.QueryEscape(back.url(t))))
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
		mustSet(t, s, key(funcA, i), entryOf(i))
	}
}

// wantAll checks that the back at raw, opened afresh as another process
// would, holds the n entries setMany wrote.
func wantAll(t *testing.T, raw string, n int) {
	t.Helper()
	fresh := closedAtEnd(t, openURL(t, raw))
	for i := range n {
		wantValue(t, fresh, key(funcA, i), entryOf(i))
	}
}

func TestCloseLosesNothing(t *testing.T) {
	t.Parallel()
	const n = 100
	for _, back := range realBacks {
		t.Run(back.name, func(t *testing.T) {
			t.Parallel()
			raw := back.url(t)
			s := New(openURL(t, raw), Options{QueueSize: 16, Workers: 4})
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
	for _, back := range realBacks {
		t.Run(back.name, func(t *testing.T) {
			t.Parallel()
			raw := back.url(t)
			s := closedAtEnd(t, New(openURL(t, raw), Options{QueueSize: 16, Workers: 4}))
			setMany(t, s, n)
			mustFlush(t, s)
			if got := s.Errors(); got != 0 {
				t.Fatalf("Errors() = %d after Flush; want 0", got)
			}
			wantAll(t, raw, n) // while s is still open
		})
	}
}

// lengthFunc is a memoized "length of s", called as memogen's wrappers
// call the runtime, and bound to a backend under a name of the test's own.
type lengthFunc struct {
	f    *memo.Func
	runs atomic.Int64 // times the function body ran
}

func newLengthFunc(t *testing.T, b memo.Backend) *lengthFunc {
	t.Helper()
	name := "writebehind-" + uniqueName(t)
	memo.Register(name, b)
	t.Cleanup(func() { memo.Unregister(name) })
	return &lengthFunc{f: memo.NewFunc(memo.FuncInfo{Package: "example.com/writebehind", Name: "Len", Backend: name, Codec: "json"})}
}

func (lf *lengthFunc) call(s string) (int, error) {
	c := lf.f.Begin(context.Background())
	c.Key().String(s)
	if r, ok := memo.Lookup[int](c, false); ok {
		return r, nil
	}
	c.Summarize(func() string { return memo.Describe("s", s) })
	return memo.Run(c, func() (int, error) {
		lf.runs.Add(1)
		return len(s), nil
	})
}

func (lf *lengthFunc) mustCall(t *testing.T, s string, wantRuns int64) {
	t.Helper()
	if got, err := lf.call(s); err != nil || got != len(s) {
		t.Fatalf("call(%q) = %d, %v; want %d, nil", s, got, err, len(s))
	}
	if got := lf.runs.Load(); got != wantRuns {
		t.Fatalf("after call(%q) the function ran %d times; want %d", s, got, wantRuns)
	}
}

func wantStats(t *testing.T, lf *lengthFunc, want memo.Stats) {
	t.Helper()
	if got := lf.f.Stats(); got != want {
		t.Errorf("Stats() = %+v; want %+v", got, want)
	}
}

// Through the runtime, a write-behind store over files serves a repeated
// call, and once it is closed, a file store on the same directory, as in
// another process, serves the results it wrote.
func TestRuntimeOverFile(t *testing.T) {
	t.Parallel()
	raw := fileURL(t)
	s := New(openURL(t, raw), Options{})
	lf := newLengthFunc(t, s)
	lf.mustCall(t, "hello", 1)
	lf.mustCall(t, "hello", 1)
	lf.mustCall(t, "other", 2)
	wantStats(t, lf, memo.Stats{Hits: 1, Misses: 2})
	if err := s.Close(); err != nil {
		t.Fatalf("Close = %v; want nil", err)
	}

	other := newLengthFunc(t, openURL(t, raw))
	other.mustCall(t, "hello", 0)
	other.mustCall(t, "other", 0)
	wantStats(t, other, memo.Stats{Hits: 2})
}
