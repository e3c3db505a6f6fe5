package s3_test

import (
	"bytes"
	"context"
	"fmt"
	"github.com/memogen/memogen/runtime/memoimpl"
	"github.com/memogen/memogen/runtime/store"
	"io"
	"math/rand/v2"
	"net"
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/memogen/memogen/backends/s3"
	_ "github.com/memogen/memogen/codecs/msgpack"
	"github.com/memogen/memogen/internal/testservers"
	memo "github.com/memogen/memogen/runtime"
)

// These tests drive a Store through the runtime, as generated wrappers do,
// to check that S3's faults stay inside the cache. They change the global
// memo.Config, so none of them runs in parallel.

// serverURL returns MEMO_S3_URL with a prefix unique to t.
func serverURL(t *testing.T) *url.URL {
	t.Helper()
	u := testservers.S3Server(t)
	u.Path = fmt.Sprintf("/%s-%08x", t.Name(), rand.Uint32())
	return u
}

// configure sets c for the test and restores the defaults after it.
func configure(t *testing.T, c memo.Config) {
	memo.Configure(c)
	t.Cleanup(func() { memo.Configure(memo.Config{}) })
}

// bind registers b under a name unique to t and returns a Func that uses it.
func bind(t *testing.T, b store.Backend) *memoimpl.Func {
	name := fmt.Sprintf("s3test-%s-%08x", t.Name(), rand.Uint32())
	memo.Register(name, b)
	t.Cleanup(func() { memo.Unregister(name) })
	return memoimpl.NewFunc(memoimpl.FuncInfo{Package: "example.com/p", Name: "F", Backend: name, Errors: true, TTL: time.Hour})
}

// double is what memogen generates for func F(x int64) (int64, error),
// which doubles x and counts its runs.
func double(ctx context.Context, f *memoimpl.Func, runs *atomic.Int64, x int64) (int64, error) {
	call := f.Begin(ctx)
	call.Key().Int(x)
	if r, ok := memoimpl.Lookup[int64](call, false); ok {
		return r, nil
	}
	call.Summarize(func() string { return memoimpl.Describe("x", x) })
	return memoimpl.Run(call, func() (int64, error) {
		runs.Add(1)
		return 2 * x, nil
	})
}

func TestEndpointDown(t *testing.T) {
	serverURL(t) // the credentials the SDK signs with
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()

	const timeout = 500 * time.Millisecond
	for _, tt := range []struct{ name, params string }{
		{"OneAttempt", "&max_attempts=1"},
		{"SDKRetries", ""}, // retries back off for longer than the timeout
	} {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var infos []memo.CallInfo
			configure(t, memo.Config{Timeout: timeout, Hook: func(ci memo.CallInfo) {
				mu.Lock()
				defer mu.Unlock()
				infos = append(infos, ci)
			}})
			b, err := memo.Open("s3://memogen-test/down?region=us-east-1&path_style=true&endpoint=http://" + closed + tt.params)
			if err != nil {
				t.Fatalf("Open = %v", err)
			}
			f := bind(t, b)
			var runs atomic.Int64

			start := time.Now()
			got, err := double(context.Background(), f, &runs, 21)
			elapsed := time.Since(start)
			if got != 42 || err != nil {
				t.Fatalf("with S3 down, F(21) = %d, %v; want 42, nil", got, err)
			}
			// A get and a put, each bounded by the timeout, and slack for a
			// loaded machine.
			if limit := 2*timeout + 5*time.Second; elapsed > limit {
				t.Errorf("with S3 down, F(21) took %v; want at most %v", elapsed, limit)
			}
			if st := f.Stats(); st.Failures == 0 || runs.Load() != 1 {
				t.Errorf("with S3 down: %d runs, stats %+v; want 1 run and Failures > 0", runs.Load(), st)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(infos) != 1 || infos[0].Err == nil || !strings.Contains(infos[0].Err.Error(), "s3: ") {
				t.Fatalf("with S3 down, the hook received %+v; want one call whose Err is the store's", infos)
			}
			t.Logf("hook Err: %v", infos[0].Err)
		})
	}
}

// directStore returns a Store under u and the client it is given, with
// which tests write behind its back.
func directStore(t *testing.T, u *url.URL) (client *awss3.Client, bucket, prefix string, st *s3.Store) {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	client = awss3.NewFromConfig(cfg, func(o *awss3.Options) {
		o.BaseEndpoint = aws.String(os.Getenv("MEMO_S3_ENDPOINT"))
		o.UsePathStyle = true
	})
	bucket, prefix = u.Host, strings.TrimPrefix(u.Path, "/")
	st, err = s3.New(context.Background(), s3.Options{Bucket: bucket, Prefix: prefix, Client: client})
	if err != nil {
		t.Fatal(err)
	}
	return client, bucket, prefix, st
}

func TestCorruptEntryIsRecomputed(t *testing.T) {
	u := serverURL(t)
	configure(t, memo.Config{Timeout: 5 * time.Second})
	ctx := context.Background()
	client, bucket, prefix, st := directStore(t, u)
	f := bind(t, st)
	var runs atomic.Int64

	call := func(wantRuns int64) {
		t.Helper()
		if got, err := double(ctx, f, &runs, 21); got != 42 || err != nil {
			t.Fatalf("F(21) = %d, %v; want 42, nil", got, err)
		}
		if runs.Load() != wantRuns {
			t.Fatalf("after F(21), F ran %d times; want %d", runs.Load(), wantRuns)
		}
	}
	call(1) // miss: computed and stored
	call(1) // hit

	folder := prefix + "/example.com/p/F/"
	list, err := client.ListObjectsV2(ctx, &awss3.ListObjectsV2Input{Bucket: &bucket, Prefix: &folder})
	if err != nil || len(list.Contents) != 1 {
		t.Fatalf("ListObjectsV2(%q) = %v; want the one entry", folder, err)
	}
	name := list.Contents[0].Key
	_, err = client.PutObject(ctx, &awss3.PutObjectInput{Bucket: &bucket, Key: name, Body: strings.NewReader("garbage")})
	if err != nil {
		t.Fatalf("PutObject(%q) = %v", *name, err)
	}

	call(2) // corrupt: deleted, recomputed, stored again
	out, err := client.GetObject(ctx, &awss3.GetObjectInput{Bucket: &bucket, Key: name})
	if err != nil {
		t.Fatalf("GetObject(%q) after recomputing = %v; want the replaced entry", *name, err)
	}
	data, err := io.ReadAll(out.Body)
	out.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.DecodeEntry(data); err != nil {
		t.Errorf("entry after recomputing: %v; want a valid entry", err)
	}
	call(2) // hit on the replacement

	want := memo.Stats{Hits: 2, Misses: 2, Corrupt: 1}
	if got := f.Stats(); got != want {
		t.Errorf("Stats() = %+v; want %+v", got, want)
	}
}

// An object over Config.MaxEntryBytes under an entry's key, which another
// client put there, is refused by its length, unread: the runtime takes it
// for a corrupt entry, deletes it and recomputes, allocating nothing near
// the object's size.
func TestOversizedObjectIsCorrupt(t *testing.T) {
	const limit = 4096
	u := serverURL(t)
	configure(t, memo.Config{Timeout: 5 * time.Second, MaxEntryBytes: limit})
	ctx := context.Background()
	client, bucket, prefix, st := directStore(t, u)
	f := bind(t, st)
	var runs atomic.Int64
	call := func(wantRuns int64) {
		t.Helper()
		if got, err := double(ctx, f, &runs, 21); got != 42 || err != nil || runs.Load() != wantRuns {
			t.Fatalf("F(21) = %d, %v after %d runs; want 42, nil after %d", got, err, runs.Load(), wantRuns)
		}
	}
	call(1)
	folder := prefix + "/example.com/p/F/"
	list, err := client.ListObjectsV2(ctx, &awss3.ListObjectsV2Input{Bucket: &bucket, Prefix: &folder})
	if err != nil || len(list.Contents) != 1 {
		t.Fatalf("ListObjectsV2(%q) = %v; want the one entry", folder, err)
	}
	name := list.Contents[0].Key
	for i, size := range []int{limit + 1, 8 << 20} {
		_, err = client.PutObject(ctx, &awss3.PutObjectInput{Bucket: &bucket, Key: name, Body: bytes.NewReader(bytes.Repeat([]byte{'x'}, size))})
		if err != nil {
			t.Fatalf("PutObject(%q) = %v", *name, err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		call(int64(i + 2))
		runtime.ReadMemStats(&after)
		if alloc := after.TotalAlloc - before.TotalAlloc; size > 1<<20 && alloc > uint64(size)/8 {
			t.Errorf("reading a %d-byte object allocated %d bytes; want well below its size", size, alloc)
		}
		if st := f.Stats(); st.Corrupt != uint64(i+1) || st.Failures != 0 {
			t.Errorf("after a %d-byte object: Stats = %+v; want %d corrupt, no failure", size, st, i+1)
		}
		head, err := client.HeadObject(ctx, &awss3.HeadObjectInput{Bucket: &bucket, Key: name})
		if err != nil || aws.ToInt64(head.ContentLength) > limit {
			t.Fatalf("HeadObject(%q) after recomputing = %v; want a fresh entry within the limit", *name, err)
		}
	}
	call(3) // a hit on the fresh entry
}
