package file_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/memogen/memogen/backends/file"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
	"github.com/memogen/memogen/runtime/store"
)

// plant writes, as another user would, the entry of k under dir.
func plant(t *testing.T, dir string, k store.Key) []byte {
	t.Helper()
	data := entry("planted", time.Time{})
	path := pathOf(dir, k)
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o666); err != nil {
		t.Fatal(err)
	}
	return data
}

// mkdirMode creates dir with exactly mode.
func mkdirMode(t *testing.T, dir string, mode os.FileMode) {
	t.Helper()
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, mode); err != nil {
		t.Fatal(err)
	}
}

// wantUnsafe fails t unless err is an ErrUnsafeDir whose message says
// what is wrong and how to accept it.
func wantUnsafe(t *testing.T, what string, err error, says string) {
	t.Helper()
	if !errors.Is(err, file.ErrUnsafeDir) || !strings.Contains(err.Error(), says) {
		t.Fatalf("%s = %v; want file.ErrUnsafeDir saying %q", what, err, says)
	}
}

// TestUnsafeRoot checks that a cache directory another user could write
// to is refused, when the store is created and when it is first used,
// and that trust_dir accepts it.
func TestUnsafeRoot(t *testing.T) {
	t.Parallel()
	k := key(fnF, 1, "json")
	ctx := context.Background()

	t.Run("writable by others", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(t.TempDir(), "cache")
		mkdirMode(t, dir, 0o777)
		plant(t, dir, k)
		_, err := file.New(file.Options{Dir: dir})
		wantUnsafe(t, "New of a directory with mode 0777", err, "writable by group or others")
		_, err = memo.Open("file://" + filepath.ToSlash(dir))
		wantUnsafe(t, "memo.Open of a directory with mode 0777", err, "trust_dir=1")
	})

	t.Run("made writable after New", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(t.TempDir(), "cache")
		s, _ := newStore(t, file.Options{Dir: dir})
		// Another user made the directory first, and planted an entry.
		mkdirMode(t, dir, 0o777)
		plant(t, dir, k)
		got, err := s.Get(ctx, k)
		wantUnsafe(t, "Get from a directory with mode 0777", err, "writable by group or others")
		if got != nil {
			t.Errorf("Get returned the planted entry %q", got)
		}
		err = s.Set(ctx, key(fnF, 2, "json"), entry("v", time.Time{}), time.Time{})
		wantUnsafe(t, "Set into a directory with mode 0777", err, "writable by group or others")
	})

	t.Run("owned by another user", func(t *testing.T) {
		t.Parallel()
		dir, other := "/", 0 // as anyone but root, a directory of root's
		if os.Geteuid() == 0 {
			dir, other = filepath.Join(t.TempDir(), "cache"), 65534 // nobody's
			mkdirMode(t, dir, 0o700)
			if err := os.Chown(dir, other, other); err != nil {
				t.Fatal(err)
			}
		}
		_, err := file.New(file.Options{Dir: dir})
		wantUnsafe(t, "New of a directory owned by another user", err, "is owned by uid")
		if os.Geteuid() == 0 {
			s, err := file.New(file.Options{Dir: dir, TrustDir: true})
			if err != nil {
				t.Fatalf("New with TrustDir = %v; want a store", err)
			}
			t.Cleanup(func() { s.Close() })
			mustSet(t, s, k, entry("v", time.Time{}))
			mustGet(t, s, k)
		}
	})

	t.Run("trust_dir", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(t.TempDir(), "cache")
		mkdirMode(t, dir, 0o777)
		planted := plant(t, dir, k)
		b, err := memo.Open("file://" + filepath.ToSlash(dir) + "?trust_dir=1")
		if err != nil {
			t.Fatalf("memo.Open with trust_dir=1 = %v; want a store", err)
		}
		// The directories below are 0777 too: trusted as well.
		if got := mustGet(t, b, k); !bytes.Equal(got, planted) {
			t.Errorf("Get = %q; want the entry of the trusted directory", got)
		}
		k2 := key(fnF, 2, "json")
		mustSet(t, b, k2, entry("v", time.Time{}))
		mustGet(t, b, k2)
		if _, err := memo.Open("file:///tmp/x?trust_dir=maybe"); err == nil || !strings.Contains(err.Error(), "trust_dir") {
			t.Errorf("memo.Open with trust_dir=maybe = %v; want an error naming trust_dir", err)
		}
	})

	t.Run("below a sticky world-writable parent", func(t *testing.T) {
		t.Parallel()
		parent := filepath.Join(t.TempDir(), "shared")
		mkdirMode(t, parent, 0o777|os.ModeSticky)
		s, dir := newStore(t, file.Options{Dir: filepath.Join(parent, "me", "cache")})
		mustSet(t, s, k, entry("v", time.Time{}))
		mustGet(t, s, k)
		wantFiles(t, dir, k)
	})
}

// TestUnsafeSubdirectory checks the directories below the root: a group-
// writable one is refused, as a symbolic link is even with TrustDir.
func TestUnsafeSubdirectory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := key(fnF, 1, "json")
	s, dir := newStore(t, file.Options{})
	mustSet(t, s, key(fnF2, 1, "json"), entry("v", time.Time{}))
	if err := os.MkdirAll(filepath.Join(dir, "example.com/p/F"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, "example.com/p/F"), 0o770); err != nil {
		t.Fatal(err)
	}
	err := s.Set(ctx, k, entry("v", time.Time{}), time.Time{})
	wantUnsafe(t, "Set into a group-writable function directory", err, "example.com/p/F is writable by group or others")
}

// TestSymlinkBelowRoot checks that the store follows no symbolic link
// below its directory: a function's directory that links elsewhere is
// neither read, written, cleared nor pruned, and an entry that links to a
// file is not read.
func TestSymlinkBelowRoot(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := key(fnF, 1, "json")
	for _, trust := range []bool{false, true} {
		s, dir := newStore(t, file.Options{TrustDir: trust})
		mustSet(t, s, key(fnF2, 1, "json"), entry("v", time.Time{}))
		outside := t.TempDir()
		expired := key(fnF, 2, "json")
		planted := entry("planted", time.Time{})
		plantedExpired := entry("old", time.Now().Add(-time.Hour))
		for k, data := range map[store.Key][]byte{k: planted, expired: plantedExpired} {
			if err := os.WriteFile(filepath.Join(outside, filepath.Base(pathOf("", k))), data, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Symlink(outside, filepath.Join(dir, "example.com/p/F")); err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(ctx, k)
		wantUnsafe(t, "Get through a symlinked function directory", err, "is a symbolic link")
		if got != nil {
			t.Errorf("Get returned %q from outside the store", got)
		}
		wantUnsafe(t, "Set", s.Set(ctx, k, entry("new", time.Time{}), time.Time{}), "is a symbolic link")
		wantUnsafe(t, "Delete", s.Delete(ctx, k), "is a symbolic link")
		wantUnsafe(t, "Clear", s.Clear(ctx, fnF), "is a symbolic link")
		wantUnsafe(t, "List", s.List(ctx, fnF, func(store.StoredEntry) bool { return true }), "is a symbolic link")
		var listed []store.Key
		if err := s.List(ctx, store.FuncID{}, func(e store.StoredEntry) bool { listed = append(listed, e.Key); return true }); err != nil || len(listed) != 1 {
			t.Errorf("List of every function = %v, %v; want only %v", listed, err, key(fnF2, 1, "json"))
		}
		if stats, err := s.Prune(ctx); err != nil || stats != (store.PruneStats{}) {
			t.Errorf("Prune = %+v, %v; want nothing removed", stats, err)
		}
		for k, data := range map[store.Key][]byte{k: planted, expired: plantedExpired} {
			if got, err := os.ReadFile(filepath.Join(outside, filepath.Base(pathOf("", k)))); err != nil || !bytes.Equal(got, data) {
				t.Errorf("the file outside the store holds %q, %v; want it untouched", got, err)
			}
		}
	}

	// An entry that is a symbolic link is not read; a Set replaces the
	// link, not the file it points to.
	s, dir := newStore(t, file.Options{})
	mustSet(t, s, key(fnF, 9, "json"), entry("v", time.Time{}))
	target := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(target, entry("secret", time.Time{}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, pathOf(dir, k)); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(ctx, k); err == nil {
		t.Errorf("Get of a symlinked entry = %q; want an error", got)
	}
	v := entry("mine", time.Time{})
	mustSet(t, s, k, v)
	if got := mustGet(t, s, k); !bytes.Equal(got, v) {
		t.Errorf("Get after Set = %q; want %q", got, v)
	}
	if got, _ := os.ReadFile(target); !bytes.Equal(got, entry("secret", time.Time{})) {
		t.Errorf("Set wrote through the link: the target holds %q", got)
	}
}

// TestUnsafeDirRunsUncached binds a backend from the environment to a
// directory others may write to: the binding fails, calls run uncached,
// and the reason is reported once. It sets the environment and the
// runtime's configuration, so it does not run in parallel.
func TestUnsafeDirRunsUncached(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	mkdirMode(t, dir, 0o777)
	const name = "filetest_unsafe"
	t.Setenv("MEMO_BACKEND_FILETEST_UNSAFE", "file://"+filepath.ToSlash(dir))
	var mu sync.Mutex
	var reported []error
	memo.Configure(memo.Config{Logger: slog.New(slog.DiscardHandler), Hook: func(c memo.CallInfo) {
		if errors.Is(c.Err, file.ErrUnsafeDir) {
			mu.Lock()
			reported = append(reported, c.Err)
			mu.Unlock()
		}
	}})
	t.Cleanup(func() { memo.Configure(memo.Config{}) })
	f := memoimpl.NewFunc(memoimpl.FuncInfo{Package: "example.com/unsafe", Name: "F", Backend: name, Codec: "json"})
	runs := 0
	for range 3 {
		c := f.Begin(context.Background())
		c.Key().Text("x")
		if _, ok := memoimpl.Lookup[int](c, false); ok {
			t.Fatal("a hit from a refused directory")
		}
		n, err := memoimpl.Run(c, func() (int, error) { runs++; return 7, nil })
		if n != 7 || err != nil {
			t.Fatalf("call = %d, %v; want 7, nil", n, err)
		}
	}
	if runs != 3 {
		t.Errorf("the function ran %d times; want 3, uncached", runs)
	}
	if len(reported) != 1 {
		t.Errorf("ErrUnsafeDir reported %d times (%v); want once", len(reported), reported)
	}
	if left := files(t, dir); len(left) > 0 {
		t.Errorf("a refused store wrote %q", left)
	}
}
