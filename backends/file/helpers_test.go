package file_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/memogen/memogen/backends/file"
	"github.com/memogen/memogen/runtime/store"
)

var (
	fnF      = store.FuncID{Package: "example.com/p", Name: "F"}
	fnF2     = store.FuncID{Package: "example.com/p", Name: "F2"}
	fnMethod = store.FuncID{Package: "example.com/p", Name: "T.Method"}
	// fnNested's package nests in fnF's directory.
	fnNested = store.FuncID{Package: "example.com/p/F", Name: "G"}
)

// created is the creation time of the entries tests store.
var created = time.Unix(1700000000, 0)

// newStore returns a store under a fresh directory, dir/cache, which the
// store creates itself.
func newStore(t *testing.T, opts file.Options) (s *file.Store, dir string) {
	t.Helper()
	if opts.Dir == "" {
		opts.Dir = filepath.Join(t.TempDir(), "cache")
	}
	s, err := file.New(opts)
	if err != nil {
		t.Fatalf("New(%+v) = %v", opts, err)
	}
	t.Cleanup(func() { s.Close() }) // before the directory is removed
	return s, opts.Dir
}

// key returns a key of fn whose digest encodes n.
func key(fn store.FuncID, n int, codec string) store.Key {
	return store.Key{Func: fn, Digest: fmt.Sprintf("%032x", n), Codec: codec}
}

// entryDigest is the key digest the test entries carry. These tests use
// the backend alone, which stores bytes under any key; the runtime, which
// rejects an entry read under another key than its own, is not involved.
const entryDigest = "0123456789abcdef0123456789abcdef"

// entry returns a stored entry, as the runtime writes them.
func entry(payload string, expires time.Time) []byte {
	return store.EncodeEntry(store.Entry{
		Codec:   "json",
		Created: created,
		Digest:  entryDigest,
		Expires: expires,
		Summary: "n=" + payload,
		Payload: []byte(payload),
	})
}

// pathOf returns where the documented layout puts the entry of k.
func pathOf(dir string, k store.Key) string {
	ext := strings.ReplaceAll(k.Codec, "+", ".")
	if ext == "" {
		ext = "bin"
	}
	return filepath.Join(dir, filepath.FromSlash(k.Func.Package), k.Func.Name, k.Digest+"."+ext)
}

// mustSet stores value under k and, in a file store, waits for the
// eviction the Set asked for, so that tests see an order of events that
// does not depend on scheduling.
func mustSet(t *testing.T, s store.Backend, k store.Key, value []byte) {
	t.Helper()
	if err := s.Set(context.Background(), k, value, time.Time{}); err != nil {
		t.Fatalf("Set(%v) = %v; want nil", k, err)
	}
	if fs, ok := s.(*file.Store); ok {
		settled(fs)
	}
}

func mustGet(t *testing.T, s store.Backend, k store.Key) []byte {
	t.Helper()
	got, err := s.Get(context.Background(), k)
	if err != nil {
		t.Fatalf("Get(%v) = %v; want the stored entry", k, err)
	}
	return got
}

func wantNotFound(t *testing.T, s store.Backend, k store.Key) {
	t.Helper()
	got, err := s.Get(context.Background(), k)
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get(%v) = %q, %v; want store.ErrNotFound", k, got, err)
	}
}

// files returns the sorted paths, relative to dir and with slashes, of the
// regular files under dir, but for the store's own in dir/.memogen.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var paths []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if d.IsDir() && path == filepath.Join(dir, ".memogen") {
			return fs.SkipDir
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, path)
			paths = append(paths, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(paths)
	return paths
}

// relPaths returns where the layout puts keys, relative to dir, sorted.
func relPaths(keys ...store.Key) []string {
	var paths []string
	for _, k := range keys {
		paths = append(paths, filepath.ToSlash(pathOf("", k)))
	}
	slices.Sort(paths)
	return paths
}

// wantFiles fails unless the files under dir are exactly where the layout
// puts keys.
func wantFiles(t *testing.T, dir string, keys ...store.Key) {
	t.Helper()
	got, want := files(t, dir), relPaths(keys...)
	if !slices.Equal(got, want) {
		t.Fatalf("files under the store = %q; want %q", got, want)
	}
}

// wantValid fails unless data is a complete, intact entry.
func wantValid(t *testing.T, k store.Key, data []byte) {
	t.Helper()
	if _, err := store.DecodeEntry(data); err != nil {
		t.Errorf("Get(%v) returned %d bytes that do not decode: %v", k, len(data), err)
	}
}

// tempFiles returns the names of the files being written, or left by
// failed writes, in the store's temporary directory under dir.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(dir, ".memogen", "tmp"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	var names []string
	for _, d := range ents {
		names = append(names, d.Name())
	}
	return names
}

// settled waits for the evictions that s's Sets asked for.
func settled(s *file.Store) { file.WaitEvictions(s) }
