package bench

import (
	"bytes"
	"context"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	rediscache "github.com/go-redis/cache/v9"
	"github.com/redis/go-redis/v9"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/memogen/memogen/backends/file"
	"github.com/memogen/memogen/backends/memory"
	_ "github.com/memogen/memogen/backends/redis" // the redis:// scheme
	_ "github.com/memogen/memogen/backends/s3"    // the s3:// scheme
	"github.com/memogen/memogen/backends/tiered"
	"github.com/memogen/memogen/internal/testservers"
	memo "github.com/memogen/memogen/runtime"
)

// benchID is the argument every backend benchmark reads the cached result of.
const benchID = 42

// rawKey is the key hand-written code stores the result under.
var rawKey = "bench-raw:profile:" + strconv.Itoa(benchID)

// stores are the servers and directories the backend benchmarks use, bound
// once per test binary: the memogen backends under the names the directives
// give, and the raw clients that the hand-written contenders use.
type stores struct {
	dir      string            // the file backend's directory
	rawFile  string            // the hand-written contender's file
	rdb      *redis.Client     // raw go-redis client
	rcache   *rediscache.Cache // go-redis/cache, no local cache
	rcacheLC *rediscache.Cache // go-redis/cache with its TinyLFU local cache
	s3       *s3.Client
	bucket   string
	s3Key    string
}

var (
	storesOnce sync.Once
	shared     *stores
	storesErr  error
)

// openStores binds the benchmark backends and stores one warm entry in each,
// for memogen and for the hand-written contenders alike. It needs the
// servers that `make bench` and `make test` start (MEMO_REDIS_URL,
// MEMO_S3_URL).
func openStores(tb testing.TB) *stores {
	tb.Helper()
	for _, name := range []string{"MEMO_REDIS_URL", "MEMO_S3_URL"} {
		if os.Getenv(name) == "" {
			testservers.Missing(tb, name+" not set")
		}
	}
	storesOnce.Do(func() { shared, storesErr = bindStores() })
	if storesErr != nil {
		tb.Fatal(storesErr)
	}
	return shared
}

func bindStores() (*stores, error) {
	redisURL, s3URL := os.Getenv("MEMO_REDIS_URL"), os.Getenv("MEMO_S3_URL")
	ctx := context.Background()
	run := strconv.FormatInt(time.Now().UnixNano(), 36) // keeps runs apart on shared servers
	s := &stores{}

	dir, err := os.MkdirTemp("", "memogen-bench-")
	if err != nil {
		return nil, err
	}
	s.dir = dir
	fileStore, err := file.New(file.Options{Dir: filepath.Join(dir, "memo")})
	if err != nil {
		return nil, err
	}
	memo.Register("benchfile", fileStore)

	ru, err := url.Parse(redisURL)
	if err != nil {
		return nil, err
	}
	q := ru.Query()
	q.Set("prefix", "bench-"+run)
	ru.RawQuery = q.Encode()
	redisStore, err := memo.Open(ru.String())
	if err != nil {
		return nil, err
	}
	memo.Register("benchredis", redisStore)
	memo.Register("benchtiered", tiered.New(memory.New(memory.Options{MaxEntries: 1000}), redisStore, tiered.Options{}))

	su, err := url.Parse(s3URL)
	if err != nil {
		return nil, err
	}
	s.bucket = su.Host
	su.Path = "/bench-" + run
	s3Store, err := memo.Open(su.String())
	if err != nil {
		return nil, err
	}
	memo.Register("benchs3", s3Store)

	// The hand-written contenders: the same value, msgpack-encoded, under a
	// key of their own.
	value, err := msgpack.Marshal(LoadProfile(benchID))
	if err != nil {
		return nil, err
	}
	s.rawFile = filepath.Join(dir, "raw", "profile-"+strconv.Itoa(benchID)+".msgpack")
	if err := os.MkdirAll(filepath.Dir(s.rawFile), 0o700); err != nil {
		return nil, err
	}
	if err := os.WriteFile(s.rawFile, value, 0o600); err != nil {
		return nil, err
	}

	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		return nil, err
	}
	s.rdb = redis.NewClient(opts)
	if err := s.rdb.Set(ctx, rawKey+run, value, 0).Err(); err != nil {
		return nil, err
	}
	rawKey += run
	s.rcache = rediscache.New(&rediscache.Options{Redis: s.rdb})
	s.rcacheLC = rediscache.New(&rediscache.Options{Redis: s.rdb, LocalCache: rediscache.NewTinyLFU(1000, time.Hour)})
	for _, c := range []*rediscache.Cache{s.rcache, s.rcacheLC} {
		if err := c.Set(&rediscache.Item{Ctx: ctx, Key: "bench-cache:" + rawKey, Value: LoadProfile(benchID)}); err != nil {
			return nil, err
		}
	}

	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(su.Query().Get("region")))
	if err != nil {
		return nil, err
	}
	endpoint := su.Query().Get("endpoint")
	s.s3 = s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.UsePathStyle = true
	})
	s.s3Key = "bench-raw-" + run + "/profile-" + strconv.Itoa(benchID) + ".msgpack"
	if _, err := s.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: &s.bucket, Key: &s.s3Key, Body: bytes.NewReader(value)}); err != nil {
		return nil, err
	}

	// Warm memogen's entries.
	ProfileFromFileCached(benchID)
	ProfileFromRedisCached(benchID)
	ProfileFromS3Cached(benchID)
	ProfileFromTieredCached(benchID)
	ProfileFromTieredCached(benchID)
	return s, nil
}

// The hand-written contenders: what a developer writes with the raw client.

func (s *stores) fileRead() (Profile, error) {
	var p Profile
	data, err := os.ReadFile(s.rawFile)
	if err != nil {
		return p, err
	}
	return p, msgpack.Unmarshal(data, &p)
}

func (s *stores) redisGet(ctx context.Context) (Profile, error) {
	var p Profile
	data, err := s.rdb.Get(ctx, rawKey).Bytes()
	if err != nil {
		return p, err
	}
	return p, msgpack.Unmarshal(data, &p)
}

func (s *stores) redisCacheGet(ctx context.Context, c *rediscache.Cache) (Profile, error) {
	var p Profile
	return p, c.Get(ctx, "bench-cache:"+rawKey, &p)
}

func (s *stores) s3Get(ctx context.Context) (Profile, error) {
	var p Profile
	out, err := s.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: &s.bucket, Key: &s.s3Key})
	if err != nil {
		return p, err
	}
	data, err := io.ReadAll(out.Body)
	out.Body.Close()
	if err != nil {
		return p, err
	}
	return p, msgpack.Unmarshal(data, &p)
}

var sinkProfile Profile

// BenchmarkBackendHit compares a warm hit through a generated wrapper on
// each byte-level backend with the raw client doing the same work, and for
// Redis with github.com/go-redis/cache.
func BenchmarkBackendHit(b *testing.B) {
	s := openStores(b)
	ctx := context.Background()
	run := func(name string, get func() (Profile, error)) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p, err := get()
				if err != nil {
					b.Fatal(err)
				}
				sinkProfile = p
			}
		})
	}
	run("file/memogen", func() (Profile, error) { return ProfileFromFileCached(benchID), nil })
	run("file/os.ReadFile+msgpack", s.fileRead)
	run("redis/memogen", func() (Profile, error) { return ProfileFromRedisCached(benchID), nil })
	run("redis/go-redis-GET+msgpack", func() (Profile, error) { return s.redisGet(ctx) })
	run("redis/go-redis-cache", func() (Profile, error) { return s.redisCacheGet(ctx, s.rcache) })
	run("s3/memogen", func() (Profile, error) { return ProfileFromS3Cached(benchID), nil })
	run("s3/GetObject+msgpack", func() (Profile, error) { return s.s3Get(ctx) })
	run("redis+local/memogen-tiered", func() (Profile, error) { return ProfileFromTieredCached(benchID), nil })
	run("redis+local/go-redis-cache-TinyLFU", func() (Profile, error) { return s.redisCacheGet(ctx, s.rcacheLC) })
}
