package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"testing"

	goredis "github.com/redis/go-redis/v9"

	"github.com/memogen/memogen/backends/redis"
	"github.com/memogen/memogen/internal/testservers"
	"github.com/memogen/memogen/runtime/store"
)

// manyEntries returns n entries of fetchUser, with digests 0 to n-1.
func manyEntries(n int) []fixture {
	var fs []fixture
	for i := range n {
		fs = append(fs, fixture{fn: fetchUser, n: i, summary: fmt.Sprintf("id=%d", i), payload: `{}`})
	}
	return fs
}

// populateDigests stores fs under digests that encode their n, which may
// pass 15, unlike fixture.digest.
func populateDigests(t *testing.T, b store.Backend, fs []fixture) (bytes int64) {
	t.Helper()
	for _, f := range fs {
		d := fmt.Sprintf("%032x", f.n)
		data := store.EncodeEntry(store.Entry{Codec: "json", Digest: d, Created: created, Summary: f.summary, Payload: []byte(f.payload)})
		if err := b.Set(context.Background(), store.Key{Func: f.fn, Digest: d, Codec: "json"}, data, f.expires); err != nil {
			t.Fatalf("Set = %v", err)
		}
		bytes += int64(len(data))
	}
	return bytes
}

// clusterKeys returns how many keys under prefix each master of the
// cluster at raw holds, by address.
func clusterKeys(t *testing.T, raw string) map[string]int {
	t.Helper()
	opts, err := redis.ParseURL(raw)
	if err != nil {
		t.Fatal(err)
	}
	c := goredis.NewClusterClient(opts.ClientOptions.Cluster())
	defer c.Close()
	counts := make(map[string]int)
	lock := make(chan struct{}, 1)
	err = c.ForEachMaster(context.Background(), func(ctx context.Context, node *goredis.Client) error {
		keys, err := node.Keys(ctx, opts.Prefix+":*").Result()
		lock <- struct{}{}
		counts[node.Options().Addr] = len(keys)
		<-lock
		return err
	})
	if err != nil {
		t.Fatalf("counting keys on each master: %v", err)
	}
	return counts
}

// On a Redis Cluster, ls, stats and clear walk every master.
func TestCacheRedisCluster(t *testing.T) {
	t.Parallel()
	u := testservers.RedisClusterURL(t)
	b := openBackend(t, u)
	const n = 60 // so that each master gets some, whatever the prefix
	size := populateDigests(t, b, manyEntries(n))
	counts := clusterKeys(t, u)
	if len(counts) != 3 {
		t.Fatalf("the cluster has %d masters (%v); want 3", len(counts), counts)
	}
	for addr, c := range counts {
		if c == 0 {
			t.Fatalf("master %s holds none of the %d entries (%v); want some on every master", addr, n, counts)
		}
	}

	if rows := decodeJSON[[]entryRow](t, "-json", "ls", u); len(rows) != n {
		t.Errorf("-json ls listed %d entries; want %d", len(rows), n)
	}
	stats := decodeJSON[[]map[string]any](t, "-json", "stats", u)
	if len(stats) != 1 || stats[0]["entries"] != float64(n) || stats[0]["bytes"] != float64(size) {
		t.Errorf("-json stats = %v; want %d entries of %d bytes", stats, n, size)
	}
	status, stdout, stderr := cache(t, "clear", u)
	if want := fmt.Sprintf("cleared %d entries, %s\n", n, formatSize(size)); status != 0 || stdout != want {
		t.Errorf("clear: status %d, stdout %q, stderr %q; want 0, %q", status, stdout, stderr, want)
	}
	for addr, c := range clusterKeys(t, u) {
		if c != 0 {
			t.Errorf("after clear, master %s holds %d keys; want 0", addr, c)
		}
	}
}

// memocache reads a sealed store given the URL, and so the environment, of
// the program that wrote it: a signed entry lists its arguments, an
// encrypted one does not.
func TestCacheSealed(t *testing.T) {
	const keyVar = "MEMOTEST_CACHE_SEAL_KEY"
	t.Setenv(keyVar, hex.EncodeToString([]byte(strings.Repeat("k", 32))))
	for _, tt := range []struct{ param, args string }{{"sign", "id=1"}, {"encrypt", ""}} {
		t.Run(tt.param, func(t *testing.T) {
			dir, _ := fileCache(t)
			u := dir + "?" + url.Values{tt.param: {keyVar}}.Encode()
			b := openBackend(t, u)
			if _, ok := b.(*store.SealedBackend); !ok {
				t.Fatalf("memo.Open(%q) = %T; want a *store.SealedBackend", u, b)
			}
			populate(t, b, ada)
			rows := decodeJSON[[]entryRow](t, "-json", "ls", u)
			if len(rows) != 1 || rows[0].Digest != ada.digest() || rows[0].Args != tt.args {
				t.Errorf("-json ls %s = %+v; want ada's entry, args %q", u, rows, tt.args)
			}
			status, stdout, stderr := cache(t, "clear", u)
			if status != 0 || !strings.HasPrefix(stdout, "cleared 1 entry") {
				t.Errorf("clear: status %d, stdout %q, stderr %q; want 0, cleared 1 entry", status, stdout, stderr)
			}
		})
	}
}
