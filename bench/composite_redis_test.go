package bench

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	rediscache "github.com/go-redis/cache/v9"
	"github.com/vmihailenco/msgpack/v5"

	memo "github.com/memogen/memogen/runtime"
)

// compositeKey is the key the hand-written contenders keep Search's result
// under, set once per test binary.
var (
	compositeOnce sync.Once
	compositeKey  string
	compositeErr  error
)

// openComposite stores Search's result for the benchmark arguments for the
// hand-written contenders, raw and through go-redis/cache with and without
// its local cache, and warms memogen's entries.
func openComposite(tb testing.TB) *stores {
	tb.Helper()
	s := openStores(tb)
	compositeOnce.Do(func() {
		ctx := context.Background()
		r := Search(benchIndex, benchQuery, benchPage)
		compositeKey = "bench-raw:search:" + strconv.FormatInt(time.Now().UnixNano(), 36)
		value, err := msgpack.Marshal(r)
		if err != nil {
			compositeErr = err
			return
		}
		if compositeErr = s.rdb.Set(ctx, compositeKey, value, 0).Err(); compositeErr != nil {
			return
		}
		for _, c := range []*rediscache.Cache{s.rcache, s.rcacheLC} {
			if compositeErr = c.Set(&rediscache.Item{Ctx: ctx, Key: "bench-cache:" + compositeKey, Value: r}); compositeErr != nil {
				return
			}
		}
		SearchRedisCached(benchIndex, benchQuery, benchPage)
		SearchTieredCached(benchIndex, benchQuery, benchPage) // fills the back and the front
	})
	if compositeErr != nil {
		tb.Fatal(compositeErr)
	}
	return s
}

// searchGet is what a developer writes with go-redis: GET the key, decode
// the msgpack value.
func (s *stores) searchGet(ctx context.Context) (Result, error) {
	var r Result
	data, err := s.rdb.Get(ctx, compositeKey).Bytes()
	if err != nil {
		return r, err
	}
	return r, msgpack.Unmarshal(data, &r)
}

// searchCacheGet reads the result through go-redis/cache.
func (s *stores) searchCacheGet(ctx context.Context, c *rediscache.Cache) (Result, error) {
	var r Result
	return r, c.Get(ctx, "bench-cache:"+compositeKey, &r)
}

// compositeContenders are the contenders of BenchmarkCompositeRedisHit, in
// the order they run.
func compositeContenders(s *stores) []struct {
	name string
	get  func() (Result, error)
} {
	ctx := context.Background()
	return []struct {
		name string
		get  func() (Result, error)
	}{
		{"redis/memogen", func() (Result, error) { return SearchRedisCached(benchIndex, benchQuery, benchPage), nil }},
		{"redis/go-redis-GET+msgpack", func() (Result, error) { return s.searchGet(ctx) }},
		{"redis/go-redis-cache", func() (Result, error) { return s.searchCacheGet(ctx, s.rcache) }},
		{"redis+local/memogen-tiered", func() (Result, error) { return SearchTieredCached(benchIndex, benchQuery, benchPage), nil }},
		{"redis+local/go-redis-cache-TinyLFU", func() (Result, error) { return s.searchCacheGet(ctx, s.rcacheLC) }},
	}
}

// TestCompositeContenders checks that every contender of the composite
// workload returns Search's result, and that memogen's wrappers serve it
// from their backends.
func TestCompositeContenders(t *testing.T) {
	s := openComposite(t)
	want := Search(benchIndex, benchQuery, benchPage)
	for _, c := range compositeContenders(s) {
		if got, err := c.get(); err != nil || got != want {
			t.Errorf("%s = %+v, %v; want %+v", c.name, got, err, want)
		}
	}
	for name, st := range map[string]memo.Stats{
		"redis":  SearchRedisMemo().Stats(),
		"tiered": SearchTieredMemo().Stats(),
	} {
		if st.Misses != 1 || st.Hits == 0 || st.Failures != 0 || st.Corrupt != 0 {
			t.Errorf("%s wrapper stats = %+v; want one miss, hits, no failures", name, st)
		}
	}
}

// BenchmarkCompositeRedisHit compares a warm hit of the composite workload
// through generated wrappers on Redis, and on Redis behind an in-process
// front, with go-redis GET + msgpack decode and with go-redis/cache,
// without and with its TinyLFU local cache.
func BenchmarkCompositeRedisHit(b *testing.B) {
	s := openComposite(b)
	for _, c := range compositeContenders(s) {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			loopCPU(b, func() {
				r, err := c.get()
				if err != nil {
					b.Fatal(err)
				}
				sinkResult = r
			})
		})
	}
	// The Redis hit against the raw read in alternate slices (see
	// benchInterleaved): a drifting machine or server skews them alike.
	b.Run("redis/interleaved-memogen-vs-go-redis-cache", func(b *testing.B) {
		ctx := context.Background()
		benchInterleaved(b,
			func() { sinkResult = SearchRedisCached(benchIndex, benchQuery, benchPage) },
			func() {
				r, err := s.searchCacheGet(ctx, s.rcache)
				if err != nil {
					b.Fatal(err)
				}
				sinkResult = r
			})
	})
	b.Run("redis/interleaved-memogen-vs-GET+msgpack", func(b *testing.B) {
		ctx := context.Background()
		benchInterleaved(b,
			func() { sinkResult = SearchRedisCached(benchIndex, benchQuery, benchPage) },
			func() {
				r, err := s.searchGet(ctx)
				if err != nil {
					b.Fatal(err)
				}
				sinkResult = r
			})
	})
}
