package file_test

import (
	"cmp"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/memogen/memogen/backends/file"
	"github.com/memogen/memogen/runtime/store"
)

// A lease is held by one taker at a time, also across open files of one
// process as across processes, until its holder releases it; release
// leaves no lock file behind.
func TestTryLock(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, dir := newStore(t, file.Options{})
	other, _ := newStore(t, file.Options{Dir: dir}) // another process's view
	fn := store.FuncID{Package: "example.com/p", Name: "F"}
	k := key(fn, 1, "json")
	unlock, ok, err := s.TryLock(ctx, k, time.Minute)
	if !ok || err != nil {
		t.Fatalf("TryLock = %v, %v; want the lease", ok, err)
	}
	if _, ok, err := other.TryLock(ctx, k, time.Minute); ok || err != nil {
		t.Errorf("TryLock of a held lease = %v, %v; want false, nil", ok, err)
	}
	if unlock2, ok, err := other.TryLock(ctx, key(fn, 2, "json"), time.Minute); !ok || err != nil {
		t.Errorf("TryLock of another key = %v, %v; want the lease", ok, err)
	} else if err := unlock2(ctx); err != nil {
		t.Errorf("unlock = %v", err)
	}
	if err := unlock(ctx); err != nil {
		t.Errorf("unlock = %v", err)
	}
	unlock, ok, err = other.TryLock(ctx, k, time.Minute)
	if !ok || err != nil {
		t.Fatalf("TryLock after release = %v, %v; want the lease", ok, err)
	}
	if err := unlock(ctx); err != nil {
		t.Errorf("unlock = %v", err)
	}
	if left, _ := os.ReadDir(filepath.Join(dir, ".memogen", "locks")); len(left) != 0 {
		t.Errorf("lock files left after release: %v", left)
	}
	if _, _, err := s.TryLock(ctx, store.Key{Func: fn, Digest: "../x"}, time.Minute); err == nil {
		t.Errorf("TryLock of a bad digest succeeded")
	}
}

// Where there is no flock, a lease is a file created exclusively: a second
// taker fails until it is released or older than ttl, and a holder whose
// lease was taken over does not release the new holder's.
func TestExclLease(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "k.lock")
	unlock, ok, err := file.ExclLease(path, time.Minute)
	if !ok || err != nil {
		t.Fatalf("exclLease = %v, %v; want the lease", ok, err)
	}
	if _, ok, _ := file.ExclLease(path, time.Minute); ok {
		t.Errorf("a second exclLease took a held lease")
	}
	old := time.Now().Add(-2 * time.Minute)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	unlock2, ok, err := file.ExclLease(path, time.Minute)
	if !ok || err != nil {
		t.Fatalf("exclLease of a lease older than ttl = %v, %v; want it taken over", ok, err)
	}
	if err := unlock(ctx); err != nil {
		t.Errorf("the first holder's unlock = %v", err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the first holder's unlock removed the new holder's lease: %v", err)
	}
	if err := unlock2(ctx); err != nil {
		t.Errorf("unlock = %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("after release, Stat = %v; want not found", err)
	}
}

// Tags are recorded once per function, read back by any store on the
// directory, and kept apart from entries: Clear and List do not see them.
func TestTags(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, dir := newStore(t, file.Options{})
	f := store.FuncID{Package: "example.com/p", Name: "F"}
	g := store.FuncID{Package: "example.com/q", Name: "T.M"}
	for _, fn := range []store.FuncID{f, g, f} {
		if err := s.AddTag(ctx, "users", fn); err != nil {
			t.Fatalf("AddTag(%v) = %v", fn, err)
		}
	}
	other, _ := newStore(t, file.Options{Dir: dir})
	got, err := other.Tagged(ctx, "users")
	slices.SortFunc(got, func(a, b store.FuncID) int { return cmp.Compare(a.String(), b.String()) })
	if err != nil || !slices.Equal(got, []store.FuncID{f, g}) {
		t.Errorf("Tagged(users) = %v, %v; want %v", got, err, []store.FuncID{f, g})
	}
	if got, err := other.Tagged(ctx, "nobody"); len(got) != 0 || err != nil {
		t.Errorf("Tagged(nobody) = %v, %v; want none", got, err)
	}
	if err := s.AddTag(ctx, "../up", f); err == nil {
		t.Errorf("AddTag of a tag with a slash succeeded")
	}
	n := 0
	if err := s.List(ctx, store.FuncID{}, func(store.StoredEntry) bool { n++; return true }); err != nil || n != 0 {
		t.Errorf("List found %d entries, %v; want none: tags are not entries", n, err)
	}
}
