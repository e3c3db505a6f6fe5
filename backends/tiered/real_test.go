package tiered

import (
	"github.com/memogen/memogen/runtime/store"
	"net/url"
	"testing"
	"time"

	"github.com/memogen/memogen/backends/backendtest"
	_ "github.com/memogen/memogen/backends/file"
	"github.com/memogen/memogen/backends/memory"
	_ "github.com/memogen/memogen/backends/redis"
	_ "github.com/memogen/memogen/backends/s3"
	"github.com/memogen/memogen/internal/testservers"
	memo "github.com/memogen/memogen/runtime"
)

// These tests run the Store over real backs: a directory, and the Redis and
// S3-compatible servers of scripts/testservers.sh.

// openTiered opens, by URL, a Store with a memory front over the back at
// backURL, and closes it when t ends.
func openTiered(t *testing.T, backURL string) store.Backend {
	t.Helper()
	raw := "tiered://?front=" + url.QueryEscape("mem://?max_entries=1000") + "&back=" + url.QueryEscape(backURL) + "&front_ttl=1m"
	return testservers.ClosedAtEnd(t, testservers.Open(t, raw))
}

func TestConformanceOverRealBacks(t *testing.T) {
	t.Parallel()
	for _, back := range testservers.RealBackends {
		t.Run(back.Name, func(t *testing.T) {
			t.Parallel()
			t.Run("New", func(t *testing.T) {
				backendtest.Run(t, func(t *testing.T) store.Backend {
					front := memory.New(memory.Options{MaxEntries: 1000})
					return testservers.ClosedAtEnd(t, New(front, testservers.Open(t, back.URL(t)), Options{}))
				})
			})
			t.Run("URL", func(t *testing.T) {
				backendtest.Run(t, func(t *testing.T) store.Backend {
					b := openTiered(t, back.URL(t))
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
	for _, back := range testservers.RealBackends {
		t.Run(back.Name, func(t *testing.T) {
			t.Parallel()
			raw := back.URL(t)
			writer := openTiered(t, raw)
			v := entry(`"shared"`, time.Time{})
			backendtest.Set(t, writer, backendtest.Key(funcA, 1), v, time.Time{})
			backendtest.Set(t, writer, backendtest.Key(funcB, 1), v, time.Time{})
			backendtest.WantValue(t, openTiered(t, raw), backendtest.Key(funcA, 1), v)
			if err := writer.Clear(ctx, funcA); err != nil {
				t.Fatalf("Clear(%v) = %v; want nil", funcA, err)
			}
			reader := openTiered(t, raw)
			backendtest.WantMissing(t, reader, backendtest.Key(funcA, 1))
			backendtest.WantValue(t, reader, backendtest.Key(funcB, 1), v)
		})
	}
}

// Through the runtime, a tiered store over Redis serves a repeated call
// from its front, and a store with an empty front, as in another process,
// from Redis.
func TestRuntimeOverRedis(t *testing.T) {
	t.Parallel()
	raw := testservers.RedisURL(t)
	lf := backendtest.NewLenFunc(t, openTiered(t, raw))
	lf.MustCall(t, "hello", 1)
	lf.MustCall(t, "hello", 1)
	lf.MustCall(t, "other", 2)
	lf.WantStats(t, memo.Stats{Hits: 1, Misses: 2})

	redis := testservers.ClosedAtEnd(t, testservers.Open(t, raw))
	n := 0
	err := redis.(store.Lister).List(ctx, lf.ID(), func(store.StoredEntry) bool { n++; return true })
	if err != nil || n != 2 {
		t.Fatalf("Redis lists %d entries of %v, %v; want 2, nil", n, lf.ID(), err)
	}

	other := backendtest.NewLenFunc(t, openTiered(t, raw))
	other.MustCall(t, "hello", 0)
	other.MustCall(t, "other", 0)
	other.WantStats(t, memo.Stats{Hits: 2})
}
