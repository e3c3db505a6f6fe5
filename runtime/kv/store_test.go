package kv_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/memogen/memogen/backends/file"
	_ "github.com/memogen/memogen/backends/memory"
	_ "github.com/memogen/memogen/backends/redis"
	_ "github.com/memogen/memogen/backends/s3"
	_ "github.com/memogen/memogen/codecs/json"
	_ "github.com/memogen/memogen/codecs/msgpack"
	"github.com/memogen/memogen/internal/testservers"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/kv"
	"github.com/memogen/memogen/runtime/store"
)

// Session is a value of a session store.
type Session struct {
	User    string
	Roles   []string
	Expires time.Time
}

// cell keys a lookup table by a struct of strings and integers.
type cell struct {
	Region string
	ID     int64
}

// fakeClock sets memo.Config.Now to a clock the test moves, starting at the
// real time (backends judge expiry by the system clock), until t ends.
func fakeClock(t *testing.T, cfg memo.Config) *time.Time {
	now := time.Now().Truncate(time.Second)
	cfg.Now = func() time.Time { return now }
	memo.Configure(cfg)
	t.Cleanup(func() { memo.Configure(memo.Config{}) })
	return &now
}

func open[K comparable, V any](t *testing.T, name, backend string, opts *kv.Options) *kv.Store[K, V] {
	t.Helper()
	s, err := kv.Open[K, V](name, backend, opts)
	if err != nil {
		t.Fatalf("Open(%q, %q): %v", name, backend, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestStoreRealBackends runs every operation against a directory and the
// Redis and S3 servers scripts/testservers.sh starts.
func TestStoreRealBackends(t *testing.T) {
	for _, rb := range testservers.RealBackends {
		t.Run(rb.Name, func(t *testing.T) {
			u := rb.URL(t)
			ctx := context.Background()
			now := fakeClock(t, memo.Config{})
			sessions := open[string, Session](t, "sessions", u, nil)
			ada := Session{User: "ada", Roles: []string{"admin"}, Expires: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
			bob := Session{User: "bob", Roles: []string{}, Expires: time.Date(2031, 1, 2, 3, 4, 5, 0, time.UTC)}
			mustSet(t, sessions, "t-ada", ada, 0)
			mustSet(t, sessions, "t-bob", bob, time.Hour)

			if got, ok, err := sessions.Get(ctx, "t-ada"); err != nil || !ok || got.User != "ada" || !slices.Equal(got.Roles, ada.Roles) || !got.Expires.Equal(ada.Expires) {
				t.Errorf("Get(t-ada) = %+v, %v, %v; want %+v, true, nil", got, ok, err, ada)
			}
			if got, ok, err := sessions.Get(ctx, "t-none"); err != nil || ok {
				t.Errorf("Get(t-none) = %+v, %v, %v; want the zero Session, false, nil", got, ok, err)
			}
			if ok, err := sessions.Contains(ctx, "t-bob"); err != nil || !ok {
				t.Errorf("Contains(t-bob) = %v, %v; want true, nil", ok, err)
			}
			if n, err := sessions.Len(ctx); err != nil || n != 2 {
				t.Errorf("Len() = %d, %v; want 2, nil", n, err)
			}
			it := sessions.Iter(ctx)
			got := maps.Collect(it.All())
			if err := it.Err(); err != nil || len(got) != 2 || got["t-ada"].User != "ada" || got["t-bob"].User != "bob" {
				t.Errorf("All() = %+v, err %v; want t-ada and t-bob", got, err)
			}
			if keys := slices.Sorted(it.Keys()); !slices.Equal(keys, []string{"t-ada", "t-bob"}) || it.Err() != nil {
				t.Errorf("Keys() = %q, err %v; want [t-ada t-bob]", keys, it.Err())
			}

			// bob's session outlives its lifetime by the store's clock.
			*now = now.Add(2 * time.Hour)
			if _, ok, err := sessions.Get(ctx, "t-bob"); err != nil || ok {
				t.Errorf("Get(t-bob) two hours after a one-hour Set = %v, %v; want false, nil", ok, err)
			}
			if keys := slices.Collect(sessions.Iter(ctx).Keys()); !slices.Equal(keys, []string{"t-ada"}) {
				t.Errorf("Keys() after bob expired = %q; want [t-ada]", keys)
			}

			if err := sessions.Delete(ctx, "t-ada"); err != nil {
				t.Fatalf("Delete(t-ada): %v", err)
			}
			if ok, err := sessions.Contains(ctx, "t-ada"); err != nil || ok {
				t.Errorf("Contains(t-ada) after Delete = %v, %v; want false, nil", ok, err)
			}
			mustSet(t, sessions, "t-cy", ada, 0)
			if err := sessions.Clear(ctx); err != nil {
				t.Fatalf("Clear: %v", err)
			}
			if n, err := sessions.Len(ctx); err != nil || n != 0 {
				t.Errorf("Len() after Clear = %d, %v; want 0, nil", n, err)
			}
		})
	}
}

func mustSet[K comparable, V any](t *testing.T, s *kv.Store[K, V], k K, v V, ttl time.Duration) {
	t.Helper()
	if err := s.Set(context.Background(), k, v, ttl); err != nil {
		t.Fatalf("Set(%v): %v", k, err)
	}
}

// TestStoreEntriesListed checks that a store's entries are memoized
// functions' entries: listed under kv.<name>, with the key's summary in a
// private backend and none in a shared one, and that reopening the store
// with other value types does not read them.
func TestStoreEntriesListed(t *testing.T) {
	for _, rb := range testservers.RealBackends {
		t.Run(rb.Name, func(t *testing.T) {
			u := rb.URL(t)
			ctx := context.Background()
			fakeClock(t, memo.Config{})
			table := open[cell, float64](t, "prices", u, &kv.Options{Codec: "json"})
			mustSet(t, table, cell{"eu", 7}, 1.5, 0)

			var listed []store.StoredEntry
			err := table.Backend().(store.Lister).List(ctx, store.FuncID{}, func(e store.StoredEntry) bool {
				listed = append(listed, e)
				return true
			})
			if err != nil || len(listed) != 1 {
				t.Fatalf("List = %+v, %v; want one entry", listed, err)
			}
			e := listed[0]
			if e.Key.Func.String() != "kv.prices" || e.Key.Codec != "json" {
				t.Errorf("listed %s, codec %s; want kv.prices, json", e.Key.Func, e.Key.Codec)
			}
			data, err := table.Backend().Get(ctx, e.Key)
			if err != nil {
				t.Fatal(err)
			}
			entry, err := store.DecodeEntry(data)
			if err != nil {
				t.Fatal(err)
			}
			wantSummary := ""
			if store.IsPrivate(table.Backend()) {
				wantSummary = "{Region:eu ID:7}"
			}
			if entry.Summary != wantSummary {
				t.Errorf("summary %q; want %q", entry.Summary, wantSummary)
			}
			if !strings.HasSuffix(string(entry.Payload), "1.5") {
				t.Errorf("payload %q; want the key's encoding, then 1.5 in JSON", entry.Payload)
			}

			other := open[cell, string](t, "prices", u, &kv.Options{Codec: "json"})
			if _, ok, err := other.Get(ctx, cell{"eu", 7}); ok || err != nil {
				t.Errorf("a store of other value types found %v, %v; want nothing", ok, err)
			}
			if n, err := other.Len(ctx); n != 0 || err != nil {
				t.Errorf("a store of other value types counts %d, %v; want 0", n, err)
			}
			if n, err := table.Len(ctx); n != 1 || err != nil {
				t.Errorf("Len() = %d, %v after the other store looked; want 1", n, err)
			}
		})
	}
}

// TestStoreCorruptEntry damages a stored entry: it reads as absent, is
// deleted and counted, and iteration skips it.
func TestStoreCorruptEntry(t *testing.T) {
	for _, rb := range testservers.RealBackends {
		t.Run(rb.Name, func(t *testing.T) {
			u := rb.URL(t)
			ctx := context.Background()
			fakeClock(t, memo.Config{})
			s := open[string, int](t, "counts", u, nil)
			mustSet(t, s, "a", 1, 0)
			mustSet(t, s, "b", 2, 0)
			var key store.Key
			_ = s.Backend().(store.Lister).List(ctx, s.ID(), func(e store.StoredEntry) bool {
				key = e.Key
				return false
			})
			data, err := s.Backend().Get(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			data[len(data)-1] ^= 0xff
			if err := s.Backend().Set(ctx, key, data, time.Time{}); err != nil {
				t.Fatal(err)
			}
			it := s.Iter(ctx)
			got := maps.Collect(it.All())
			if len(got) != 1 || it.Err() != nil {
				t.Errorf("All() over one good and one damaged entry = %v, %v; want the good one", got, it.Err())
			}
			if st := s.Stats(); st.Corrupt != 1 {
				t.Errorf("Stats().Corrupt = %d; want 1", st.Corrupt)
			}
			if _, err := s.Backend().Get(ctx, key); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("the damaged entry is still there: %v", err)
			}
		})
	}
}

func TestStoreUnstorableValue(t *testing.T) {
	fakeClock(t, memo.Config{})
	s := open[string, time.Time](t, "times", "file://"+t.TempDir(), &kv.Options{Codec: "json"})
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	err = s.Set(context.Background(), "x", time.Date(2024, 1, 2, 3, 4, 5, 0, ny), 0)
	if !errors.Is(err, memo.ErrUnstorable) {
		t.Fatalf("Set of a time in New York with json = %v; want ErrUnstorable", err)
	}
	if s.Stats().Unstorable != 1 {
		t.Errorf("Stats().Unstorable = %d; want 1", s.Stats().Unstorable)
	}
	if ok, _ := s.Contains(context.Background(), "x"); ok {
		t.Errorf("the refused value was stored")
	}
}

func TestStoreDeadBackend(t *testing.T) {
	memo.Configure(memo.Config{Timeout: 200 * time.Millisecond})
	t.Cleanup(func() { memo.Configure(memo.Config{}) })
	s := open[string, int](t, "dead", "redis://127.0.0.1:1/0", nil)
	ctx := context.Background()
	if _, _, err := s.Get(ctx, "a"); err == nil {
		t.Errorf("Get from a dead server returned no error")
	}
	if err := s.Set(ctx, "a", 1, 0); err == nil {
		t.Errorf("Set on a dead server returned no error")
	}
	it := s.Iter(ctx)
	for range it.All() {
		t.Errorf("iterating over a dead server yielded an entry")
	}
	if it.Err() == nil {
		t.Errorf("iterating over a dead server reported no error")
	}
}

func TestStoreMemoryCannotIterate(t *testing.T) {
	s := open[string, int](t, "mem", "mem://", nil)
	ctx := context.Background()
	mustSet(t, s, "a", 1, 0)
	if v, ok, err := s.Get(ctx, "a"); v != 1 || !ok || err != nil {
		t.Errorf("Get(a) = %v, %v, %v; want 1, true, nil", v, ok, err)
	}
	if _, err := s.Len(ctx); !errors.Is(err, kv.ErrUnsupported) || !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("Len over mem:// = %v; want ErrUnsupported", err)
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name, backend string
		opts          *kv.Options
		want          string
	}{
		{"", "mem://", nil, `kv: store name "": want a non-empty name without slashes`},
		{"a/b", "mem://", nil, `kv: store name "a/b": want a non-empty name without slashes`},
		{"x", "mem://", &kv.Options{Codec: "nope"}, `memo: codec "nope" is not registered; import _ "github.com/memogen/memogen/codecs/nope" or call store.RegisterCodec`},
		{"x", "mem://", &kv.Options{Summary: "yes"}, `kv: Options.Summary "yes": want "true", "false" or ""`},
		{"x", "nope://", nil, `memo: no backend for scheme "nope"; import its package, e.g. _ "github.com/memogen/memogen/backends/nope"`},
	}
	for _, tt := range tests {
		if _, err := kv.Open[string, int](tt.name, tt.backend, tt.opts); err == nil || err.Error() != tt.want {
			t.Errorf("Open(%q, %q, %+v) = %v; want %s", tt.name, tt.backend, tt.opts, err, tt.want)
		}
	}
	if _, err := kv.Open[float64, int]("x", "mem://", nil); !errors.Is(err, kv.ErrKeyType) {
		t.Errorf("Open[float64] = %v; want ErrKeyType", err)
	}
}
