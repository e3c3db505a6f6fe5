package file_test

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/memogen/memogen/backends/file"
	"github.com/memogen/memogen/runtime/store"
)

// userTree is a person's files mixed into a cache directory: some named as
// the store names its entries or once named its temporary files, none
// written by the store. Directories end with a slash.
var userTree = map[string]string{
	"2024/IMG_0001.jpg": "\xff\xd8\xff photo",
	"photos/album/0123456789abcdef0123456789abcdef.json":    `{"user": "data"}`,
	"example.com/p/F/notes.txt":                             "my notes",
	"example.com/p/F/00000000000000000000000000000abc.json": "not an entry",
	"example.com/p/F2/fedcba9876543210fedcba9876543210.bin": "memo1 but not an entry",
	"project/.tmp-keep/keep.txt":                            "kept",
	"project/.clear-me/keep.txt":                            "kept too",
	".tmp-x":                                                "a dot file",
	"empty/":                                                "",
	"example.com/q/":                                        "",
}

// writeUserTree writes userTree under dir, an hour and more old, as
// leftovers would be.
func writeUserTree(t *testing.T, dir string) {
	t.Helper()
	old := time.Now().Add(-48 * time.Hour)
	for name, content := range userTree {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if name[len(name)-1] == '/' {
			if err := os.MkdirAll(path, 0o700); err != nil {
				t.Fatal(err)
			}
		} else if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, old, old); err != nil {
			t.Fatal(err)
		}
	}
}

// wantUserTree fails t unless every file and directory of userTree is
// under dir as it was written.
func wantUserTree(t *testing.T, dir, after string) {
	t.Helper()
	for _, name := range slices.Sorted(maps.Keys(userTree)) {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if name[len(name)-1] == '/' {
			if fi, err := os.Stat(path); err != nil || !fi.IsDir() {
				t.Errorf("after %s, the person's directory %s is gone (%v)", after, name, err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != userTree[name] {
			t.Errorf("after %s, the person's file %s holds %q, %v; want %q", after, name, got, err, userTree[name])
		}
	}
}

// TestOnlyOwnFilesTouched mixes a person's files into a store's
// directory: clearing, pruning and evicting remove entries alone, and only
// the directories they emptied.
func TestOnlyOwnFilesTouched(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, dir := newStore(t, file.Options{MaxEntries: 4})
	writeUserTree(t, dir)
	past := time.Now().Add(-time.Minute)
	mustSet(t, s, key(fnF, 1, "json"), entry("v", time.Time{}))
	mustSet(t, s, key(fnNested, 1, "json"), entry("old", past))
	mustSet(t, s, key(fnMethod, 1, "json"), entry("v", time.Time{}))
	wantUserTree(t, dir, "Set")

	if err := s.Clear(ctx, fnF); err != nil {
		t.Fatalf("Clear(%v) = %v", fnF, err)
	}
	wantNotFound(t, s, key(fnF, 1, "json"))
	mustGet(t, s, key(fnMethod, 1, "json"))
	wantUserTree(t, dir, "Clear")
	// What listings take for functions, a person's directories hold no entry.
	for _, fn := range []store.FuncID{{Package: "photos", Name: "album"}, fnF2} {
		if err := s.Clear(ctx, fn); err != nil {
			t.Fatalf("Clear(%v) = %v", fn, err)
		}
	}
	wantUserTree(t, dir, "Clear of a person's directories")

	stats, err := s.Prune(ctx)
	if err != nil || stats.Entries != 1 {
		t.Errorf("Prune = %+v, %v; want the one expired entry removed", stats, err)
	}
	wantUserTree(t, dir, "Prune")
	if _, err := os.Stat(filepath.Join(dir, "example.com/p/F/G")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Prune left the directory it emptied, example.com/p/F/G (Stat = %v)", err)
	}

	// Entry-named files that are not entries are never evicted, and do
	// not count against the bound once found out.
	for n := range 20 {
		mustSet(t, s, key(fnF2, n, "json"), entry("v", time.Time{}))
	}
	wantUserTree(t, dir, "eviction")
	var entries int
	if err := s.List(ctx, store.FuncID{}, func(store.StoredEntry) bool { entries++; return true }); err != nil || entries != 4 {
		t.Errorf("List found %d entries, %v; want the bound, 4", entries, err)
	}

	// Clearing the last entries removes the directories memogen made for
	// them, and no other.
	for _, fn := range []store.FuncID{fnF2, fnMethod} {
		if err := s.Clear(ctx, fn); err != nil {
			t.Fatalf("Clear(%v) = %v", fn, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "example.com/p/T.Method")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Clear left the directory it emptied, example.com/p/T.Method (Stat = %v)", err)
	}
	wantUserTree(t, dir, "the last Clear")
	if left := files(t, dir); len(left) != len(userTree)-2 {
		t.Errorf("files left = %q; want only the person's", left)
	}
}

// TestFailedWriteLeavesNoTemporaryFile checks that a write that fails, in
// a function's directory made read-only, removes its temporary file at
// once rather than leave it for Prune.
func TestFailedWriteLeavesNoTemporaryFile(t *testing.T) {
	t.Parallel()
	if os.Geteuid() == 0 {
		// Root writes to read-only directories.
		runAsNobody(t, "^TestFailedWriteLeavesNoTemporaryFile$")
		return
	}
	s, dir := newStore(t, file.Options{MaxEntries: 100})
	k := key(fnF, 1, "json")
	mustSet(t, s, k, entry("v", time.Time{}))
	fnDir := filepath.Dir(pathOf(dir, k))
	if err := os.Chmod(fnDir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(fnDir, 0o700) })
	for n := 2; n < 5; n++ {
		if err := s.Set(context.Background(), key(fnF, n, "json"), entry("v", time.Time{}), time.Time{}); err == nil {
			t.Fatalf("Set into a read-only directory = nil; want an error")
		}
	}
	if tmp := tempFiles(t, dir); len(tmp) > 0 {
		t.Errorf("failed writes left temporary files %q", tmp)
	}
	wantFiles(t, dir, k)
}

// TestCopiedEntryIsNotTheStores checks that a person's copy of an entry
// named like an entry of another codec (x.json.bak reads as codec
// "json+bak") is neither listed nor cleared: its metadata line names
// another codec than its name.
func TestCopiedEntryIsNotTheStores(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, dir := newStore(t, file.Options{MaxEntries: 100})
	k := key(fnF, 1, "json")
	mustSet(t, s, k, entry("v", time.Time{}))
	data, err := os.ReadFile(pathOf(dir, k))
	if err != nil {
		t.Fatal(err)
	}
	backup := pathOf(dir, k) + ".bak"
	if err := os.WriteFile(backup, data, 0o600); err != nil {
		t.Fatal(err)
	}
	var listed []store.Key
	if err := s.List(ctx, fnF, func(e store.StoredEntry) bool { listed = append(listed, e.Key); return true }); err != nil {
		t.Fatal(err)
	}
	if len(listed) != 1 || listed[0] != k {
		t.Errorf("List = %v; want only %v, not its backup", listed, k)
	}
	if err := s.Clear(ctx, fnF); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(backup); err != nil || string(got) != string(data) {
		t.Errorf("after Clear, the backup holds %q, %v; want it kept as it was", got, err)
	}
	wantNotFound(t, s, k)
}
