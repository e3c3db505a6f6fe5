package redis_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/memogen/memogen/backends/backendtest"
	"github.com/memogen/memogen/backends/redis"
	"github.com/memogen/memogen/internal/testservers"
	"github.com/memogen/memogen/runtime/store"
	goredis "github.com/redis/go-redis/v9"
)

var (
	funcF      = store.FuncID{Package: "example.com/p", Name: "F"}
	funcF2     = store.FuncID{Package: "example.com/p", Name: "F2"}
	funcMethod = store.FuncID{Package: "example.com/p", Name: "T.Method"}
)

func key(fn store.FuncID, n int) store.Key {
	return store.Key{Func: fn, Digest: digestOf(n), Codec: "json"}
}

func TestConformance(t *testing.T) {
	t.Parallel()
	backendtest.Run(t, func(t *testing.T) store.Backend {
		s, _ := openStore(t)
		return s
	})
}

func TestGetSetDelete(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	ctx := context.Background()
	k := key(funcF, 1)
	if got, err := s.Get(ctx, k); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get(%v) before Set = %q, %v; want store.ErrNotFound", k, got, err)
	}
	v := entryBytes(`"v"`, time.Now(), time.Time{}, "n=1")
	if err := s.Set(ctx, k, v, time.Time{}); err != nil {
		t.Fatalf("Set(%v) = %v; want nil", k, err)
	}
	if got, err := s.Get(ctx, k); err != nil || !bytes.Equal(got, v) {
		t.Fatalf("Get(%v) = %q, %v; want %q, nil", k, got, err, v)
	}
	if got, err := s.Get(ctx, key(funcF, 2)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get of another digest = %q, %v; want store.ErrNotFound", got, err)
	}
	for range 2 {
		if err := s.Delete(ctx, k); err != nil {
			t.Fatalf("Delete(%v) = %v; want nil, also for an absent key", k, err)
		}
	}
	if got, err := s.Get(ctx, k); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get(%v) after Delete = %q, %v; want store.ErrNotFound", k, got, err)
	}
}

func TestKeyFormat(t *testing.T) {
	t.Parallel()
	s, prefix := openStore(t)
	raw := rawClient(t)
	ctx := context.Background()
	for _, fn := range []store.FuncID{funcF, funcMethod} {
		k := key(fn, 7)
		v := entryBytes(`7`, time.Now(), time.Time{}, "")
		if err := s.Set(ctx, k, v, time.Time{}); err != nil {
			t.Fatalf("Set(%v) = %v; want nil", k, err)
		}
		name := prefix + ":" + fn.Package + "." + fn.Name + ":" + k.Digest
		if got, err := raw.Get(ctx, name).Bytes(); err != nil || !bytes.Equal(got, v) {
			t.Errorf("GET %s = %q, %v; want the value stored for %v", name, got, err, k)
		}
	}
}

func TestTTL(t *testing.T) {
	t.Parallel()
	s, prefix := openStore(t)
	raw := rawClient(t)
	ctx := context.Background()
	k := key(funcF, 1)
	name := prefix + ":" + funcF.String() + ":" + k.Digest

	expires := time.Now().Add(time.Hour)
	if err := s.Set(ctx, k, entryBytes(`1`, time.Now(), expires, ""), expires); err != nil {
		t.Fatalf("Set = %v; want nil", err)
	}
	if ttl, err := raw.PTTL(ctx, name).Result(); err != nil || ttl <= 59*time.Minute || ttl > time.Hour+time.Millisecond {
		t.Errorf("PTTL %s after Set expiring in 1h = %v, %v; want just under 1h", name, ttl, err)
	}

	if err := s.Set(ctx, k, entryBytes(`1`, time.Now(), time.Time{}, ""), time.Time{}); err != nil {
		t.Fatalf("Set = %v; want nil", err)
	}
	if ttl, err := raw.PTTL(ctx, name).Result(); err != nil || ttl != -1 {
		t.Errorf("PTTL %s after Set without expiry = %v, %v; want -1 (no TTL)", name, ttl, err)
	}
}

func TestSetExpired(t *testing.T) {
	t.Parallel()
	s, _ := openStore(t)
	ctx := context.Background()
	k := key(funcF, 1)
	if err := s.Set(ctx, k, entryBytes(`"old"`, time.Now(), time.Time{}, ""), time.Time{}); err != nil {
		t.Fatalf("Set = %v; want nil", err)
	}
	past := time.Now().Add(-time.Second)
	if err := s.Set(ctx, k, entryBytes(`"new"`, time.Now(), past, ""), past); err != nil {
		t.Fatalf("Set with a past expiry = %v; want nil", err)
	}
	if got, err := s.Get(ctx, k); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get after Set with a past expiry = %q, %v; want store.ErrNotFound (the older value is gone too)", got, err)
	}
}

func TestRedisExpires(t *testing.T) {
	t.Parallel()
	s, prefix := openStore(t)
	raw := rawClient(t)
	ctx := context.Background()
	k := key(funcF, 1)
	name := prefix + ":" + funcF.String() + ":" + k.Digest
	expires := time.Now().Add(1500 * time.Millisecond)
	if err := s.Set(ctx, k, entryBytes(`1`, time.Now(), expires, ""), expires); err != nil {
		t.Fatalf("Set = %v; want nil", err)
	}
	// Only Redis can remove the key: the Store does nothing after Set.
	// Redis keeps the time, so this wait is on the real clock.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		n, err := raw.Exists(ctx, name).Result()
		if err != nil {
			t.Fatalf("EXISTS %s = %v", name, err)
		}
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s still exists 30s after Set with a 1.5s expiry", name)
		}
	}
	if time.Now().Before(expires) {
		t.Errorf("Redis removed %s before it expired", name)
	}
	if got, err := s.Get(ctx, k); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get after expiry = %q, %v; want store.ErrNotFound", got, err)
	}
}

func TestClear(t *testing.T) {
	t.Parallel()
	funcs := []store.FuncID{
		funcF,
		funcF2, // F is a prefix of its name
		funcMethod,
		{Package: "example.com/p", Name: "T.F"},
		{Package: "example.com/g*", Name: "F"},
		{Package: "example.com/gX", Name: "F"},
		{Package: "example.com/g?", Name: "F"},
		{Package: "example.com/g[a]", Name: "F"},
		{Package: "example.com/ga", Name: "F"},
		{Package: `example.com/g\`, Name: "F"},
	}
	for _, target := range funcs {
		t.Run(target.String(), func(t *testing.T) {
			t.Parallel()
			s, _ := openStore(t)
			ctx := context.Background()
			v := entryBytes(`1`, time.Now(), time.Time{}, "")
			for _, fn := range funcs {
				for i := range 3 {
					if err := s.Set(ctx, key(fn, i), v, time.Time{}); err != nil {
						t.Fatalf("Set(%v) = %v; want nil", key(fn, i), err)
					}
				}
			}
			if err := s.Clear(ctx, target); err != nil {
				t.Fatalf("Clear(%v) = %v; want nil", target, err)
			}
			for _, fn := range funcs {
				for i := range 3 {
					_, err := s.Get(ctx, key(fn, i))
					switch {
					case fn == target && !errors.Is(err, store.ErrNotFound):
						t.Errorf("Get(%v) after Clear(%v) = %v; want store.ErrNotFound", key(fn, i), target, err)
					case fn != target && err != nil:
						t.Errorf("Get(%v) after Clear(%v) = %v; want the value, untouched", key(fn, i), target, err)
					}
				}
			}
		})
	}
}

func TestClearManyBatches(t *testing.T) {
	t.Parallel()
	prefix := testPrefix(t)
	s := openURL(t, withParams(t, testservers.RedisServer(t).String(), "prefix", prefix, "scan_count", "7"))
	ctx := context.Background()
	const n = 60
	v := entryBytes(`1`, time.Now(), time.Time{}, "")
	for i := range n {
		for _, fn := range []store.FuncID{funcF, funcF2} {
			if err := s.Set(ctx, key(fn, i), v, time.Time{}); err != nil {
				t.Fatalf("Set = %v; want nil", err)
			}
		}
	}
	if err := s.Clear(ctx, funcF); err != nil {
		t.Fatalf("Clear = %v; want nil", err)
	}
	if got := list(t, s, store.FuncID{}); len(got) != n {
		t.Errorf("after Clear(%v), %d entries remain; want the %d of %v", funcF, len(got), n, funcF2)
	}
	if got := list(t, s, funcF); len(got) != 0 {
		t.Errorf("after Clear(%v), List(%v) has %d entries; want 0", funcF, funcF, len(got))
	}
}

func list(t *testing.T, s *redis.Store, fn store.FuncID) map[store.Key]store.StoredEntry {
	t.Helper()
	got := make(map[store.Key]store.StoredEntry)
	err := s.List(context.Background(), fn, func(e store.StoredEntry) bool {
		if _, dup := got[e.Key]; dup {
			t.Errorf("List(%v) yielded %v twice", fn, e.Key)
		}
		got[e.Key] = e
		return true
	})
	if err != nil {
		t.Fatalf("List(%v) = %v; want nil", fn, err)
	}
	return got
}

func TestList(t *testing.T) {
	t.Parallel()
	s, prefix := openStore(t)
	raw := rawClient(t)
	ctx := context.Background()
	created := time.Now().Add(-time.Minute).Round(0)
	expires := time.Now().Add(time.Hour).Round(0)
	longSummary := strings.Repeat("\x00", 300) // quoted, far longer than the bytes
	stored := map[store.Key][]byte{
		key(funcF, 1):      entryBytes(`1`, created, expires, "n=1"),
		key(funcF, 2):      entryBytes(`2`, created, time.Time{}, longSummary),
		key(funcMethod, 1): entryBytes(strings.Repeat("x", 10_000), created, time.Time{}, `s="method"`),
	}
	for k, v := range stored {
		var exp time.Time
		if k == key(funcF, 1) {
			exp = expires
		}
		if err := s.Set(ctx, k, v, exp); err != nil {
			t.Fatalf("Set(%v) = %v; want nil", k, err)
		}
	}
	corrupt := key(funcF2, 1)
	if err := s.Set(ctx, corrupt, []byte("garbage"), time.Time{}); err != nil {
		t.Fatalf("Set(%v) = %v; want nil", corrupt, err)
	}
	for _, foreign := range []string{prefix + ":not-an-entry", prefix + ":example.com/p.F:short", prefix + ":nested:example.com/p.F:" + digestOf(9)} {
		if err := raw.Set(ctx, foreign, "x", 0).Err(); err != nil {
			t.Fatalf("SET %s = %v", foreign, err)
		}
	}

	all := list(t, s, store.FuncID{})
	if len(all) != len(stored)+1 {
		t.Errorf("List(all) yielded %d entries; want %d: %v", len(all), len(stored)+1, all)
	}
	for k, v := range stored {
		e, ok := all[k]
		if !ok {
			t.Errorf("List(all) left out %v", k)
			continue
		}
		d, err := store.DecodeEntry(v)
		if err != nil {
			t.Fatal(err)
		}
		if e.Size != int64(len(v)) || !e.Created.Equal(d.Created) || !e.Expires.Equal(d.Expires) || e.Summary != d.Summary {
			t.Errorf("List: %v = size %d created %v expires %v summary %q; want %d, %v, %v, %q",
				k, e.Size, e.Created, e.Expires, e.Summary, len(v), d.Created, d.Expires, d.Summary)
		}
	}
	corrupt.Codec = ""
	if e, ok := all[corrupt]; !ok || e.Size != int64(len("garbage")) || !e.Created.IsZero() || e.Summary != "" {
		t.Errorf("List: corrupt entry %v = %+v, listed %v; want listed with its size and no metadata", corrupt, e, ok)
	}

	if got := list(t, s, funcF); len(got) != 2 {
		t.Errorf("List(%v) yielded %d entries; want 2: %v", funcF, len(got), got)
	}
	if got := list(t, s, funcMethod); len(got) != 1 || got[key(funcMethod, 1)].Key.Func != funcMethod {
		t.Errorf("List(%v) = %v; want the one entry of %v", funcMethod, got, funcMethod)
	}

	calls := 0
	if err := s.List(ctx, store.FuncID{}, func(store.StoredEntry) bool { calls++; return false }); err != nil || calls != 1 {
		t.Errorf("List with a yield that returns false: %d calls, error %v; want 1 call, nil", calls, err)
	}
}

func TestNestedPrefixes(t *testing.T) {
	t.Parallel()
	outer, prefix := openStore(t)
	inner := openURL(t, withParams(t, testservers.RedisServer(t).String(), "prefix", prefix+":inner"))
	ctx := context.Background()
	v := entryBytes(`1`, time.Now(), time.Time{}, "")
	for _, s := range []*redis.Store{outer, inner} {
		if err := s.Set(ctx, key(funcF, 1), v, time.Time{}); err != nil {
			t.Fatalf("Set = %v; want nil", err)
		}
	}
	if got := list(t, outer, store.FuncID{}); len(got) != 1 {
		t.Errorf("List(all) of prefix %s = %v; want its own entry only", prefix, got)
	}
	if err := outer.Clear(ctx, funcF); err != nil {
		t.Fatalf("Clear = %v; want nil", err)
	}
	if _, err := inner.Get(ctx, key(funcF, 1)); err != nil {
		t.Errorf("Get from prefix %s:inner after Clear under prefix %s = %v; want the value", prefix, prefix, err)
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	opts, err := goredis.ParseURL(testservers.RedisServer(t).String())
	if err != nil {
		t.Fatal(err)
	}
	client := goredis.NewClient(opts)
	t.Cleanup(func() { client.Close() })

	for _, tt := range []struct {
		name string
		opts redis.Options
		want string
	}{
		{"no client", redis.Options{}, "neither"},
		{"two clients", redis.Options{Client: client, ClientOptions: &goredis.UniversalOptions{}}, "both"},
		{"negative scan count", redis.Options{Client: client, ScanCount: -1}, "ScanCount"},
	} {
		if _, err := redis.New(tt.opts); err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "redis: ") {
			t.Errorf("New with %s = %v; want an error mentioning %q", tt.name, err, tt.want)
		}
	}

	ctx := context.Background()
	k := key(funcF, 1)
	v := entryBytes(`1`, time.Now(), time.Time{}, "")

	borrowed, err := redis.New(redis.Options{Client: client, Prefix: testPrefix(t)})
	if err != nil {
		t.Fatalf("New with a Client = %v; want nil", err)
	}
	if err := borrowed.Set(ctx, k, v, time.Time{}); err != nil {
		t.Fatalf("Set = %v; want nil", err)
	}
	if err := borrowed.Close(); err != nil {
		t.Fatalf("Close = %v; want nil", err)
	}
	if err := client.Ping(ctx).Err(); err != nil {
		t.Errorf("the caller's client after Store.Close: PING = %v; want it still open", err)
	}

	universal := &goredis.UniversalOptions{Addrs: []string{opts.Addr}, DB: opts.DB}
	owned, err := redis.New(redis.Options{ClientOptions: universal, Prefix: testPrefix(t)})
	if err != nil {
		t.Fatalf("New with ClientOptions = %v; want nil", err)
	}
	if universal.ContextTimeoutEnabled {
		t.Error("New modified the ClientOptions it was given")
	}
	if err := owned.Set(ctx, k, v, time.Time{}); err != nil {
		t.Fatalf("Set = %v; want nil", err)
	}
	if err := owned.Close(); err != nil {
		t.Fatalf("Close = %v; want nil", err)
	}
	if _, err := owned.Get(ctx, k); err == nil || errors.Is(err, store.ErrNotFound) || !strings.HasPrefix(err.Error(), "redis: ") {
		t.Errorf("Get after Close = %v; want a \"redis: \" error from the closed client", err)
	}
}

func TestErrorsNameTheKey(t *testing.T) {
	t.Parallel()
	s := openURL(t, fmt.Sprintf("redis://127.0.0.1:%d/0?dial_timeout=200ms&max_retries=-1&prefix=p", testservers.ClosedPort(t)))
	ctx := context.Background()
	k := key(funcF, 1)
	want := "redis: get p:example.com/p.F:" + k.Digest + ": "
	if _, err := s.Get(ctx, k); err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Get from a closed port = %v; want an error starting %q", err, want)
	}
	if err := s.Clear(ctx, funcF); err == nil || !strings.HasPrefix(err.Error(), "redis: clear example.com/p.F: ") {
		t.Errorf("Clear on a closed port = %v; want an error starting \"redis: clear example.com/p.F: \"", err)
	}
	if err := s.List(ctx, store.FuncID{}, func(store.StoredEntry) bool { return true }); err == nil || !strings.HasPrefix(err.Error(), "redis: list: ") {
		t.Errorf("List on a closed port = %v; want an error starting \"redis: list: \"", err)
	}
}

// Values renamed over another argument's key, or copied to another
// function's key, in Redis itself are misses: an entry names the key it
// answers, under its checksum, and the runtime compares it with the key it
// read the value under.
func TestEntriesAnswerForOneKey(t *testing.T) {
	t.Parallel()
	s, prefix := openStore(t)
	raw := rawClient(t)
	ctx := context.Background()
	name := func(k store.Key) string { return prefix + ":" + k.Func.String() + ":" + k.Digest }
	swap := func(t *testing.T, a, c store.Key) {
		t.Helper()
		tmp := name(a) + ".swap"
		for _, mv := range [][2]string{{name(a), tmp}, {name(c), name(a)}, {tmp, name(c)}} {
			if err := raw.Rename(ctx, mv[0], mv[1]).Err(); err != nil {
				t.Fatalf("RENAME %s %s: %v", mv[0], mv[1], err)
			}
		}
	}
	place := func(t *testing.T, from, to store.Key) {
		t.Helper()
		if err := raw.Copy(ctx, name(from), name(to), 0, true).Err(); err != nil {
			t.Fatalf("COPY %s %s REPLACE: %v", name(from), name(to), err)
		}
	}
	backendtest.EntryKeys(t, s, swap, place)
}
