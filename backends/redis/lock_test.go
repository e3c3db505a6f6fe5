package redis_test

import (
	"cmp"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/memogen/memogen/runtime/store"
)

// A lease is held by one taker at a time, expires with its TTL, and is
// released only by its holder: a holder whose lease expired and was taken
// by another leaves the other's in place.
func TestTryLock(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, prefix := openStore(t)
	raw := rawClient(t)
	fn := store.FuncID{Package: "example.com/p", Name: "F"}
	k := store.Key{Func: fn, Digest: digestOf(1), Codec: "json"}
	lockKey := prefix + ":lock:example.com/p.F:" + digestOf(1)
	unlock, ok, err := s.TryLock(ctx, k, time.Minute)
	if !ok || err != nil {
		t.Fatalf("TryLock = %v, %v; want the lease", ok, err)
	}
	if ttl := raw.PTTL(ctx, lockKey).Val(); ttl <= 0 || ttl > time.Minute {
		t.Errorf("the lease's TTL is %v; want up to a minute", ttl)
	}
	if _, ok, err := s.TryLock(ctx, k, time.Minute); ok || err != nil {
		t.Errorf("TryLock of a held lease = %v, %v; want false, nil", ok, err)
	}
	// The lease expires and another process takes it: its token replaces
	// the first holder's.
	if err := raw.Set(ctx, lockKey, "another holder's token", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	if err := unlock(ctx); err != nil {
		t.Errorf("unlock = %v", err)
	}
	if v := raw.Get(ctx, lockKey).Val(); v != "another holder's token" {
		t.Errorf("after the first holder's unlock the lease holds %q; want the other holder's token", v)
	}
	raw.Del(ctx, lockKey)
	unlock, ok, err = s.TryLock(ctx, k, time.Minute)
	if !ok || err != nil {
		t.Fatalf("TryLock of a free lease = %v, %v; want the lease", ok, err)
	}
	if err := unlock(ctx); err != nil {
		t.Errorf("unlock = %v", err)
	}
	if n := raw.Exists(ctx, lockKey).Val(); n != 0 {
		t.Errorf("the released lease still exists")
	}
	if err := s.Clear(ctx, fn); err != nil {
		t.Errorf("Clear = %v", err)
	}
}

// Tags are recorded in a set per tag, read back as functions, and left
// out of listings of entries.
func TestTags(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openStore(t)
	f := store.FuncID{Package: "example.com/p", Name: "F"}
	g := store.FuncID{Package: "gopkg.in/yaml.v3", Name: "List[int,string]"}
	for _, fn := range []store.FuncID{f, g, f} {
		if err := s.AddTag(ctx, "users", fn); err != nil {
			t.Fatalf("AddTag(%v) = %v", fn, err)
		}
	}
	got, err := s.Tagged(ctx, "users")
	slices.SortFunc(got, func(a, b store.FuncID) int { return cmp.Compare(a.String(), b.String()) })
	if want := []store.FuncID{f, g}; err != nil || !slices.Equal(got, want) {
		t.Errorf("Tagged(users) = %v, %v; want %v", got, err, want)
	}
	if got, err := s.Tagged(ctx, "nobody"); len(got) != 0 || err != nil {
		t.Errorf("Tagged(nobody) = %v, %v; want none", got, err)
	}
	n := 0
	if err := s.List(ctx, store.FuncID{}, func(store.StoredEntry) bool { n++; return true }); err != nil || n != 0 {
		t.Errorf("List found %d entries, %v; want none: tags are not entries", n, err)
	}
}
