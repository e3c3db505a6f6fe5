package tiered

import (
	"context"
	"io"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/memogen/memogen/backends/backendtest"
	"github.com/memogen/memogen/backends/memory"
	_ "github.com/memogen/memogen/codecs/json"
	memo "github.com/memogen/memogen/runtime"
)

// These tests run the Store over real backs: a directory, and the Redis and
// S3-compatible servers of scripts/testservers.sh.

// tieredURL returns the URL of a Store with a memory front over the back at
// backURL.
func tieredURL(backURL string) string {
	return "tiered://?front=" + url.QueryEscape("mem://?size=1000") + "&back=" + url.QueryEscape(backURL) + "&front_ttl=1m"
}

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

func TestConformanceOverRealBacks(t *testing.T) {
	t.Parallel()
	for _, back := range realBacks {
		t.Run(back.name, func(t *testing.T) {
			t.Parallel()
			t.Run("New", func(t *testing.T) {
				backendtest.Run(t, func(t *testing.T) memo.Backend {
					front := memory.New(memory.Options{MaxEntries: 1000})
					return closedAtEnd(t, New(front, openURL(t, back.url(t)), Options{}))
				})
			})
			t.Run("URL", func(t *testing.T) {
				backendtest.Run(t, func(t *testing.T) memo.Backend {
					b := closedAtEnd(t, openURL(t, tieredURL(back.url(t))))
					if _, ok := b.(*Store); !ok {
						t.Fatalf("memo.Open(tiered://…) returned a %T; want *tiered.Store", b)
					}
					return b
				})
			})
		})
	}
}

// The back is the system of record: a Store with a fresh front, as in
// another process, sees what one Store wrote, and no longer sees what it
// cleared.
func TestRealBackIsShared(t *testing.T) {
	t.Parallel()
	for _, back := range realBacks {
		t.Run(back.name, func(t *testing.T) {
			t.Parallel()
			raw := back.url(t)
			writer := closedAtEnd(t, openURL(t, tieredURL(raw)))
			v := entry(`"shared"`, time.Time{})
			mustSet(t, writer, key(funcA, 1), v, time.Time{})
			mustSet(t, writer, key(funcB, 1), v, time.Time{})
			wantValue(t, closedAtEnd(t, openURL(t, tieredURL(raw))), key(funcA, 1), v)
			if err := writer.Clear(ctx, funcA); err != nil {
				t.Fatalf("Clear(%v) = %v; want nil", funcA, err)
			}
			reader := closedAtEnd(t, openURL(t, tieredURL(raw)))
			wantMissing(t, reader, key(funcA, 1))
			wantValue(t, reader, key(funcB, 1), v)
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
	name := "tiered-" + uniqueName(t)
	memo.Register(name, b)
	t.Cleanup(func() { memo.Unregister(name) })
	return &lengthFunc{f: memo.NewFunc(memo.FuncInfo{Package: "example.com/tiered", Name: "Len", Backend: name, Codec: "json"})}
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

// Through the runtime, a tiered store over Redis serves a repeated call
// from its front, and a store with an empty front, as in another process,
// from Redis.
func TestRuntimeOverRedis(t *testing.T) {
	t.Parallel()
	raw := redisURL(t)
	lf := newLengthFunc(t, closedAtEnd(t, openURL(t, tieredURL(raw))))
	lf.mustCall(t, "hello", 1)
	lf.mustCall(t, "hello", 1)
	lf.mustCall(t, "other", 2)
	wantStats(t, lf, memo.Stats{Hits: 1, Misses: 2})

	redis := closedAtEnd(t, openURL(t, raw))
	n := 0
	err := redis.(memo.Lister).List(ctx, lf.f.ID(), func(memo.StoredEntry) bool { n++; return true })
	if err != nil || n != 2 {
		t.Fatalf("Redis lists %d entries of %v, %v; want 2, nil", n, lf.f.ID(), err)
	}

	other := newLengthFunc(t, closedAtEnd(t, openURL(t, tieredURL(raw))))
	other.mustCall(t, "hello", 0)
	other.mustCall(t, "other", 0)
	wantStats(t, other, memo.Stats{Hits: 2})
}
