package file_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/memogen/memogen/backends/backendtest"
	"github.com/memogen/memogen/backends/file"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/store"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	backendtest.RunInBubble(t, func(t *testing.T) store.Backend {
		s, _ := newStore(t, file.Options{})
		return s
	})
}

func TestConformanceBounded(t *testing.T) {
	t.Parallel()
	backendtest.RunInBubble(t, func(t *testing.T) store.Backend {
		s, _ := newStore(t, file.Options{MaxEntries: 1000, MaxBytes: 1 << 20})
		return s
	})
}

func TestLayout(t *testing.T) {
	t.Parallel()
	s, dir := newStore(t, file.Options{})
	tests := []struct {
		key  store.Key
		path string
	}{
		{key(fnF, 1, "json"), "example.com/p/F/00000000000000000000000000000001.json"},
		{key(fnF, 2, "msgpack+zstd"), "example.com/p/F/00000000000000000000000000000002.msgpack.zstd"},
		{key(fnMethod, 1, ""), "example.com/p/T.Method/00000000000000000000000000000001.bin"},
		{key(fnNested, 1, "gob+gzip+zstd"), "example.com/p/F/G/00000000000000000000000000000001.gob.gzip.zstd"},
	}
	for _, tt := range tests {
		v := entry(tt.path, time.Time{})
		mustSet(t, s, tt.key, v)
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(tt.path)))
		if err != nil {
			t.Fatalf("after Set(%v): %v", tt.key, err)
		}
		if !bytes.Equal(got, v) {
			t.Errorf("file %s holds %q; want exactly the bytes stored, %q", tt.path, got, v)
		}
		if fi, _ := os.Stat(filepath.Join(dir, filepath.FromSlash(tt.path))); fi.Mode() != 0o600 {
			t.Errorf("file %s has mode %v; want -rw-------", tt.path, fi.Mode())
		}
	}
	for _, d := range []string{"", "example.com", "example.com/p", "example.com/p/F", "example.com/p/F/G", "example.com/p/T.Method"} {
		fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(d)))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != fs.ModeDir|0o700 {
			t.Errorf("directory %q has mode %v; want drwx------", d, fi.Mode())
		}
	}
	// No temporary file is left behind.
	var keys []store.Key
	for _, tt := range tests {
		keys = append(keys, tt.key)
	}
	wantFiles(t, dir, keys...)
}

func TestInvalidKeys(t *testing.T) {
	t.Parallel()
	parent := t.TempDir()
	s, _ := newStore(t, file.Options{Dir: filepath.Join(parent, "cache")})
	digest := key(fnF, 1, "").Digest
	keys := []store.Key{
		{Func: store.FuncID{Package: "", Name: "F"}, Digest: digest},
		{Func: store.FuncID{Package: "/abs/p", Name: "F"}, Digest: digest},
		{Func: store.FuncID{Package: "example.com/../../..", Name: "F"}, Digest: digest},
		{Func: store.FuncID{Package: "..", Name: "F"}, Digest: digest},
		{Func: store.FuncID{Package: "a//b", Name: "F"}, Digest: digest},
		{Func: store.FuncID{Package: "a/./b", Name: "F"}, Digest: digest},
		{Func: store.FuncID{Package: "p/", Name: "F"}, Digest: digest},
		{Func: store.FuncID{Package: ".hidden/p", Name: "F"}, Digest: digest},
		{Func: store.FuncID{Package: "a\x00b", Name: "F"}, Digest: digest},
		{Func: store.FuncID{Package: `a\..\..\b`, Name: "F"}, Digest: digest},
		{Func: store.FuncID{Package: "c:/p", Name: "F"}, Digest: digest},
		{Func: store.FuncID{Package: "p", Name: ""}, Digest: digest},
		{Func: store.FuncID{Package: "p", Name: ".."}, Digest: digest},
		{Func: store.FuncID{Package: "p", Name: "../../F"}, Digest: digest},
		{Func: store.FuncID{Package: "p", Name: ".F"}, Digest: digest},
		{Func: fnF, Digest: ""},
		{Func: fnF, Digest: strings.ToUpper("abcdef0123456789abcdef0123456789")},
		{Func: fnF, Digest: digest[1:]},
		{Func: fnF, Digest: digest + "0"},
		{Func: fnF, Digest: "../../../../../../../etc/passwd00"},
		{Func: fnF, Digest: digest, Codec: "json/../../x"},
		{Func: fnF, Digest: digest, Codec: "json+"},
		{Func: fnF, Digest: digest, Codec: "+zstd"},
		{Func: fnF, Digest: digest, Codec: "json.v2"},
		{Func: fnF, Digest: digest, Codec: "json\x00"},
	}
	ctx := context.Background()
	for _, k := range keys {
		if err := s.Set(ctx, k, entry("x", time.Time{}), time.Time{}); !errors.Is(err, file.ErrInvalidKey) {
			t.Errorf("Set(%q) = %v; want file.ErrInvalidKey", k, err)
		}
		if _, err := s.Get(ctx, k); !errors.Is(err, file.ErrInvalidKey) {
			t.Errorf("Get(%q) = %v; want file.ErrInvalidKey", k, err)
		}
		if err := s.Delete(ctx, k); !errors.Is(err, file.ErrInvalidKey) {
			t.Errorf("Delete(%q) = %v; want file.ErrInvalidKey", k, err)
		}
		if k.Func == fnF {
			continue
		}
		if err := s.Clear(ctx, k.Func); !errors.Is(err, file.ErrInvalidKey) {
			t.Errorf("Clear(%q) = %v; want file.ErrInvalidKey", k.Func, err)
		}
		if err := s.List(ctx, k.Func, func(store.StoredEntry) bool { return true }); !errors.Is(err, file.ErrInvalidKey) {
			t.Errorf("List(%q) = %v; want file.ErrInvalidKey", k.Func, err)
		}
	}
	if got := files(t, parent); len(got) != 0 {
		t.Errorf("invalid keys created files %q", got)
	}
	if _, err := os.Stat(filepath.Join(parent, "cache")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("invalid keys created the store's directory (Stat = %v)", err)
	}
}

func TestDeleteAbsent(t *testing.T) {
	t.Parallel()
	s, dir := newStore(t, file.Options{})
	ctx := context.Background()
	k := key(fnF, 1, "json")
	if err := s.Delete(ctx, k); err != nil {
		t.Errorf("Delete(%v) before anything was stored = %v; want nil", k, err)
	}
	mustSet(t, s, k, entry("1", time.Time{}))
	for range 2 {
		if err := s.Delete(ctx, k); err != nil {
			t.Errorf("Delete(%v) = %v; want nil", k, err)
		}
	}
	wantNotFound(t, s, k)
	wantFiles(t, dir)
}

// TestConcurrentWritersSameKey has goroutines overwrite one key with entries
// of many sizes while others read it: every read must be a whole entry.
func TestConcurrentWritersSameKey(t *testing.T) {
	t.Parallel()
	s, dir := newStore(t, file.Options{})
	k := key(fnF, 1, "json")
	var writers, readers sync.WaitGroup
	var done atomic.Bool
	for w := range 6 {
		writers.Go(func() {
			for i := range 25 {
				payload := strings.Repeat(string(rune('a'+w)), 1+(w*7919+i*104729)%(48<<10))
				if err := s.Set(context.Background(), k, entry(payload, time.Time{}), time.Time{}); err != nil {
					t.Errorf("Set(%v) = %v; want nil", k, err)
					return
				}
			}
		})
	}
	var reads atomic.Int64
	for range 2 {
		readers.Go(func() {
			for !done.Load() {
				data, err := s.Get(context.Background(), k)
				if errors.Is(err, store.ErrNotFound) {
					continue
				}
				if err != nil {
					t.Errorf("Get(%v) = %v", k, err)
					return
				}
				wantValid(t, k, data)
				reads.Add(1)
			}
		})
	}
	writers.Wait()
	done.Store(true)
	readers.Wait()
	wantValid(t, k, mustGet(t, s, k))
	wantFiles(t, dir, k)
	t.Logf("%d whole reads", reads.Load())
}

func TestExpiry(t *testing.T) {
	t.Parallel()
	s, dir := newStore(t, file.Options{})
	ctx := context.Background()
	past, future := time.Now().Add(-time.Minute), time.Now().Add(time.Hour)

	// The expiry is read from the metadata line, whatever Set was told.
	expired := key(fnF, 1, "json")
	mustSet(t, s, expired, entry("1", past))
	wantNotFound(t, s, expired)
	if _, err := os.Stat(pathOf(dir, expired)); err != nil {
		t.Errorf("an expired entry's file is gone before Prune: %v", err)
	}

	live := key(fnF, 2, "json")
	v := entry("2", future)
	if err := s.Set(ctx, live, v, future); err != nil {
		t.Fatalf("Set(%v) = %v", live, err)
	}
	if got := mustGet(t, s, live); !bytes.Equal(got, v) {
		t.Errorf("Get(%v) = %q; want %q", live, got, v)
	}

	// Storing with an expiry already past removes the older entry.
	if err := s.Set(ctx, live, entry("3", past), past); err != nil {
		t.Fatalf("Set(%v) with a past expiry = %v; want nil", live, err)
	}
	wantNotFound(t, s, live)
	wantFiles(t, dir, expired)
}

// TestUnreadableMetadata checks that a file that is not a valid entry
// reaches the runtime as it is, for it to detect the corruption, unless its
// metadata line says that it has expired.
func TestUnreadableMetadata(t *testing.T) {
	t.Parallel()
	s, dir := newStore(t, file.Options{})
	valid := entry(`{"name":"Ada"}`, time.Time{})
	tampered := bytes.Clone(valid)
	tampered[len(tampered)-2] = 'X'
	expiredCut := entry(`{"name":"Ada"}`, time.Now().Add(-time.Minute))
	expiredCut = expiredCut[:len(expiredCut)-3]
	tests := []struct {
		name    string
		content []byte
		expired bool
	}{
		{"garbage", []byte("\x00\xffnot an entry at all"), false},
		{"empty", nil, false},
		{"truncated payload", valid[:len(valid)-4], false},
		{"truncated metadata", valid[:12], false},
		{"tampered payload", tampered, false},
		{"unknown format", append([]byte("memo9"), valid[5:]...), false},
		{"expired and truncated", expiredCut, true},
	}
	for i, tt := range tests {
		k := key(fnF, i, "json")
		path := pathOf(dir, k)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, tt.content, 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(context.Background(), k)
		if tt.expired {
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s: Get = %q, %v; want store.ErrNotFound", tt.name, got, err)
			}
			continue
		}
		if err != nil || !bytes.Equal(got, tt.content) {
			t.Errorf("%s: Get = %q, %v; want the file's bytes, %q", tt.name, got, err, tt.content)
			continue
		}
		if _, err := store.DecodeEntry(got); !errors.Is(err, store.ErrCorrupt) {
			t.Errorf("%s: DecodeEntry(Get) = %v; want store.ErrCorrupt", tt.name, err)
		}
	}
}

// backdate sets the modification time of k's file: its recency.
func backdate(t *testing.T, dir string, k store.Key, age time.Duration) {
	t.Helper()
	when := time.Now().Add(-age)
	if err := os.Chtimes(pathOf(dir, k), when, when); err != nil {
		t.Fatal(err)
	}
}

func TestEvictByEntries(t *testing.T) {
	t.Parallel()
	s, dir := newStore(t, file.Options{MaxEntries: 3})
	k := func(n int) store.Key { return key(fnF, n, "json") }
	for n := 1; n <= 3; n++ {
		mustSet(t, s, k(n), entry("v", time.Time{}))
		backdate(t, dir, k(n), time.Duration(4-n)*time.Hour) // 1 is the oldest
	}
	mustGet(t, s, k(1)) // 1 is now the most recently used
	mustSet(t, s, k(4), entry("v", time.Time{}))
	settled(s)
	wantFiles(t, dir, k(1), k(3), k(4))
	wantNotFound(t, s, k(2))
	if st := s.Stats(); st.Evictions != 1 || st.Entries != 3 {
		t.Errorf("Stats() = %+v; want 1 eviction and 3 entries", st)
	}
}

// TestRecentHitsDoNotTouch checks that recency is kept to the minute: a
// hit on an entry used less than a minute ago leaves its file alone, and a
// hit on an older one refreshes it.
func TestRecentHitsDoNotTouch(t *testing.T) {
	t.Parallel()
	s, dir := newStore(t, file.Options{})
	k := key(fnF, 1, "json")
	mustSet(t, s, k, entry("v", time.Time{}))
	backdate(t, dir, k, 30*time.Second)
	before := modTime(t, dir, k)
	mustGet(t, s, k)
	if got := modTime(t, dir, k); !got.Equal(before) {
		t.Errorf("a hit 30s after the last use moved the modification time from %v to %v; want it left alone", before, got)
	}
	backdate(t, dir, k, 2*time.Minute)
	mustGet(t, s, k)
	if got := modTime(t, dir, k); time.Since(got) > time.Minute {
		t.Errorf("a hit 2m after the last use left the modification time at %v; want it refreshed", got)
	}
}

func modTime(t *testing.T, dir string, k store.Key) time.Time {
	t.Helper()
	fi, err := os.Stat(pathOf(dir, k))
	if err != nil {
		t.Fatal(err)
	}
	return fi.ModTime()
}

func TestEvictByBytes(t *testing.T) {
	t.Parallel()
	size := int64(len(entry("payload", time.Time{})))
	s, dir := newStore(t, file.Options{MaxBytes: 3*size + size/2})
	k := func(n int) store.Key { return key(fnMethod, n, "msgpack+zstd") }
	for n := 1; n <= 3; n++ {
		mustSet(t, s, k(n), entry("payload", time.Time{}))
		backdate(t, dir, k(n), time.Duration(4-n)*time.Hour)
	}
	mustGet(t, s, k(1))
	// A fourth entry would take the store past its bound and slack: the
	// Set waits for the eviction that makes room.
	mustSet(t, s, k(4), entry("payload", time.Time{}))
	settled(s)
	wantFiles(t, dir, k(1), k(3), k(4))
}

// TestEvictAcrossFunctions checks that recency is global: the bound covers
// every function's entries, and the oldest goes first wherever it is.
func TestEvictAcrossFunctions(t *testing.T) {
	t.Parallel()
	s, dir := newStore(t, file.Options{MaxEntries: 3})
	a, b, c, d := key(fnF, 1, "json"), key(fnF2, 1, "json"), key(fnMethod, 1, ""), key(fnNested, 1, "json")
	for _, k := range []store.Key{a, b, c} {
		mustSet(t, s, k, entry("v", time.Time{}))
	}
	backdate(t, dir, c, time.Hour) // as if another process had written c long ago
	mustSet(t, s, d, entry("v", time.Time{}))
	settled(s)
	wantFiles(t, dir, a, b, d)
}

// TestEvictToNineTenths checks that a store over its bound is cleaned to a
// tenth below it, so that the next Sets need no scan.
func TestEvictToNineTenths(t *testing.T) {
	t.Parallel()
	s, dir := newStore(t, file.Options{MaxEntries: 10})
	var keys []store.Key
	for n := range 11 {
		keys = append(keys, key(fnF, n, "json"))
		mustSet(t, s, keys[n], entry("v", time.Time{}))
	}
	settled(s)
	wantFiles(t, dir, keys[2:]...)
}

// TestRefuseLargerThanBound checks that an entry larger than MaxBytes is
// refused, leaving nothing behind, since no eviction could make room.
func TestRefuseLargerThanBound(t *testing.T) {
	t.Parallel()
	small := entry("v", time.Time{})
	s, dir := newStore(t, file.Options{MaxBytes: int64(len(small))})
	k1, k2 := key(fnF, 1, "json"), key(fnF, 2, "json")
	mustSet(t, s, k1, small)
	err := s.Set(context.Background(), k2, entry("larger than the bound", time.Time{}), time.Time{})
	if !errors.Is(err, file.ErrFull) {
		t.Errorf("Set of an entry larger than MaxBytes = %v; want file.ErrFull", err)
	}
	settled(s)
	wantFiles(t, dir, k1)
	if tmp := tempFiles(t, dir); len(tmp) > 0 {
		t.Errorf("temporary files %q left", tmp)
	}
	if st := s.Stats(); st.Refused != 1 {
		t.Errorf("Stats().Refused = %d; want 1", st.Refused)
	}
}

// TestBoundsAcrossStores has two stores, standing for two processes, share
// a directory: they keep one count, so the directory never holds more than
// the bound and its slack, and eviction brings it under the bound.
func TestBoundsAcrossStores(t *testing.T) {
	t.Parallel()
	const bound = 10 // slack 1
	a, dir := newStore(t, file.Options{MaxEntries: bound})
	b, _ := newStore(t, file.Options{Dir: dir, MaxEntries: bound})
	most := 0
	for n := range 60 {
		s := a
		if n%2 == 1 {
			s = b
		}
		// Without waiting for eviction, as concurrent callers would.
		if err := s.Set(context.Background(), key(fnF, n, "json"), entry("v", time.Time{}), time.Time{}); err != nil {
			t.Fatalf("Set = %v", err)
		}
		most = max(most, len(files(t, dir)))
	}
	settled(a)
	settled(b)
	t.Logf("the directory held at most %d entries", most)
	if most > bound+1 {
		t.Errorf("two stores bounded to %d entries let the directory hold %d; want at most %d", bound, most, bound+1)
	}
	if n := len(files(t, dir)); n > bound {
		t.Errorf("%d entries once eviction ended; want at most %d", n, bound)
	}
	if a.Stats().Evictions+b.Stats().Evictions == 0 {
		t.Errorf("Stats() report no evictions")
	}
}

// TestRecountAfterExternalRemoval checks that a store whose count is stale,
// because files went behind its back, rescans instead of evicting entries
// it no longer has to.
func TestRecountAfterExternalRemoval(t *testing.T) {
	t.Parallel()
	s, dir := newStore(t, file.Options{MaxEntries: 3})
	for n := range 3 {
		mustSet(t, s, key(fnF, n, "json"), entry("v", time.Time{}))
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	fresh := []store.Key{key(fnF2, 1, "json"), key(fnF2, 2, "json"), key(fnF2, 3, "json")}
	for _, k := range fresh {
		mustSet(t, s, k, entry("v", time.Time{}))
	}
	settled(s)
	wantFiles(t, dir, fresh...)
}

func TestClear(t *testing.T) {
	t.Parallel()
	s, dir := newStore(t, file.Options{MaxEntries: 100})
	ctx := context.Background()
	if err := s.Clear(ctx, fnF); err != nil {
		t.Errorf("Clear(%v) of an empty store = %v; want nil", fnF, err)
	}
	for n := range 3 {
		for _, fn := range []store.FuncID{fnF, fnF2, fnMethod} {
			mustSet(t, s, key(fn, n, "json"), entry("v", time.Time{}))
		}
	}
	if err := s.Clear(ctx, fnF); err != nil {
		t.Fatalf("Clear(%v) = %v; want nil", fnF, err)
	}
	for n := range 3 {
		wantNotFound(t, s, key(fnF, n, "json"))
	}
	if _, err := os.Stat(filepath.Join(dir, "example.com/p/F")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Clear(%v) left its directory (Stat = %v)", fnF, err)
	}
	var left []store.Key
	for n := range 3 {
		left = append(left, key(fnF2, n, "json"), key(fnMethod, n, "json"))
	}
	wantFiles(t, dir, left...) // nothing under a temporary name either
	// Writing again recreates the directory.
	k := key(fnF, 7, "json")
	mustSet(t, s, k, entry("again", time.Time{}))
	mustGet(t, s, k)
}

// TestClearWhileWriting clears a function over and over while goroutines
// write and read its entries: reads see whole entries or none, and writes
// that lose their directory start again in a new one.
func TestClearWhileWriting(t *testing.T) {
	t.Parallel()
	s, dir := newStore(t, file.Options{})
	ctx := context.Background()
	var wg sync.WaitGroup
	var done atomic.Bool
	var failed atomic.Int64
	wrote := make(chan struct{}, 1) // a token per write, dropped while one waits
	for w := range 4 {
		wg.Go(func() {
			for i := 0; !done.Load(); i++ {
				k := key(fnF, w*1000+i%10, "json")
				if err := s.Set(ctx, k, entry(strings.Repeat("x", i), time.Time{}), time.Time{}); err != nil {
					failed.Add(1) // a Clear took the retry's directory too
				}
				select {
				case wrote <- struct{}{}:
				default:
				}
				data, err := s.Get(ctx, k)
				if err == nil {
					wantValid(t, k, data)
				} else if !errors.Is(err, store.ErrNotFound) {
					t.Errorf("Get(%v) = %v", k, err)
				}
			}
		})
	}
	for range 20 {
		for range 8 { // writes between Clears, however fast the machine
			<-wrote
		}
		if err := s.Clear(ctx, fnF); err != nil {
			t.Errorf("Clear(%v) = %v; want nil", fnF, err)
		}
	}
	done.Store(true)
	wg.Wait()
	t.Logf("%d Sets failed", failed.Load())
	if err := s.Clear(ctx, fnF); err != nil {
		t.Fatalf("Clear(%v) = %v; want nil", fnF, err)
	}
	if left := files(t, dir); len(left) > 0 {
		t.Errorf("after Clear, %q are left", left)
	}
	if tmp := tempFiles(t, dir); len(tmp) > 0 {
		t.Errorf("writes left temporary files %q", tmp)
	}
	k := key(fnF, 1, "json")
	mustSet(t, s, k, entry("after", time.Time{}))
	mustGet(t, s, k)
}

func TestList(t *testing.T) {
	t.Parallel()
	s, dir := newStore(t, file.Options{})
	expires := time.Unix(4102444800, 0)
	withExpiry := entry(`"soon"`, expires)
	plain := entry(`"plain"`, time.Time{})
	// An entry's metadata line names the codec its file name does.
	zstd := store.EncodeEntry(store.Entry{Codec: "msgpack+zstd", Created: created, Digest: entryDigest, Summary: `n="plain"`, Payload: []byte(`"plain"`)})
	mustSet(t, s, key(fnF, 1, "json"), withExpiry)
	mustSet(t, s, key(fnF, 2, "msgpack+zstd"), zstd)
	mustSet(t, s, key(fnMethod, 1, ""), plain)
	mustSet(t, s, key(fnNested, 1, "json"), plain)
	// A file with an entry's name that does not start with an entry's
	// metadata line is not the store's; neither are other names.
	garbage := key(fnF, 3, "json")
	if err := os.WriteFile(pathOf(dir, garbage), []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"example.com/p/F/.tmp-123", "example.com/p/F/README", "example.com/p/F/0123.json", "stray.json"} {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	stored := func(k store.Key, data []byte, expires time.Time) store.StoredEntry {
		var summary string
		var when time.Time
		if e, err := store.DecodeEntry(data); err == nil {
			summary, when = e.Summary, created
		}
		return store.StoredEntry{Key: k, Size: int64(len(data)), Created: when, Expires: expires, Summary: summary}
	}
	entF1 := stored(key(fnF, 1, "json"), withExpiry, expires)
	entF2 := stored(key(fnF, 2, "msgpack+zstd"), zstd, time.Time{})
	entNested := stored(key(fnNested, 1, "json"), plain, time.Time{})
	entMethod := stored(key(fnMethod, 1, ""), plain, time.Time{})

	list := func(fn store.FuncID, limit int) []store.StoredEntry {
		t.Helper()
		var got []store.StoredEntry
		err := s.List(context.Background(), fn, func(e store.StoredEntry) bool {
			got = append(got, e)
			return len(got) < limit
		})
		if err != nil {
			t.Fatalf("List(%v) = %v; want nil", fn, err)
		}
		return got
	}
	tests := []struct {
		fn    store.FuncID
		limit int
		want  []store.StoredEntry
	}{
		{store.FuncID{}, 100, []store.StoredEntry{entF1, entF2, entNested, entMethod}},
		{fnF, 100, []store.StoredEntry{entF1, entF2}}, // not the nested package's
		{fnNested, 100, []store.StoredEntry{entNested}},
		{fnMethod, 100, []store.StoredEntry{entMethod}},
		{fnF2, 100, nil},
		{store.FuncID{}, 2, []store.StoredEntry{entF1, entF2}}, // yield stops the listing
	}
	for _, tt := range tests {
		if got := list(tt.fn, tt.limit); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("List(%v), stopping after %d =\n%+v\nwant\n%+v", tt.fn, tt.limit, got, tt.want)
		}
	}
}

func TestPrune(t *testing.T) {
	t.Parallel()
	s, dir := newStore(t, file.Options{MaxEntries: 100})
	past, future := time.Now().Add(-time.Minute), time.Now().Add(time.Hour)
	expired := []store.Key{key(fnF, 1, "json"), key(fnNested, 1, "json")}
	live := []store.Key{key(fnF, 2, "json"), key(fnF, 3, "json"), key(fnMethod, 1, "")}
	var want store.PruneStats
	for _, k := range expired {
		v := entry("old", past)
		mustSet(t, s, k, v)
		want.Entries++
		want.Bytes += int64(len(v))
	}
	// An entry of the previous format, which no reader serves, goes too.
	oldFormat := key(fnF, 4, "json")
	oldEntry := []byte("memo1 json 1700000000000000000 0 be578e31e5768146 \"n=4\"\n4")
	mustSet(t, s, oldFormat, oldEntry)
	expired = append(expired, oldFormat)
	want.Entries++
	want.Bytes += int64(len(oldEntry))
	mustSet(t, s, live[0], entry("live", future))
	mustSet(t, s, live[1], entry("forever", time.Time{}))
	// Not expired as far as anyone can tell: the runtime deals with it.
	if err := os.MkdirAll(filepath.Dir(pathOf(dir, live[2])), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pathOf(dir, live[2]), []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	// Temporary files that crashed processes left go once they are an hour
	// old, and only from the store's own directory.
	write := func(name string, size int, age time.Duration) {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, bytes.Repeat([]byte("x"), size), 0o600); err != nil {
			t.Fatal(err)
		}
		when := time.Now().Add(-age)
		if err := os.Chtimes(path, when, when); err != nil {
			t.Fatal(err)
		}
	}
	write(".memogen/tmp/123.tmp", 100, 2*time.Hour)
	write(".memogen/tmp/456.tmp", 100, time.Minute)
	want.Bytes += 100
	// Names the store once gave its temporary files, but not its own here.
	write("example.com/p/F/.tmp-stale", 100, 2*time.Hour)
	write(".clear-stale/example.com/x", 50, 2*time.Hour)
	write("project/.tmp-keep/notes.txt", 10, 2*time.Hour)

	got, err := s.Prune(context.Background())
	if err != nil || got != want {
		t.Errorf("Prune = %+v, %v; want %+v, nil", got, err, want)
	}
	for _, k := range expired {
		if _, err := os.Stat(pathOf(dir, k)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Prune left expired %v (Stat = %v)", k, err)
		}
	}
	// The nested package's directory held only the expired entry.
	if _, err := os.Stat(filepath.Join(dir, "example.com/p/F/G")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Prune left the directory it emptied (Stat = %v)", err)
	}
	gotFiles := files(t, dir)
	wantRest := append(relPaths(live...), ".clear-stale/example.com/x", "example.com/p/F/.tmp-stale", "project/.tmp-keep/notes.txt")
	slices.Sort(wantRest)
	if !slices.Equal(gotFiles, wantRest) {
		t.Errorf("after Prune, files = %q; want %q", gotFiles, wantRest)
	}
	if tmp := tempFiles(t, dir); !slices.Equal(tmp, []string{"456.tmp"}) {
		t.Errorf("after Prune, temporary files = %q; want the recent one, 456.tmp", tmp)
	}
	if got, err := s.Prune(context.Background()); err != nil || got != (store.PruneStats{}) {
		t.Errorf("second Prune = %+v, %v; want nothing removed", got, err)
	}
}

// TestUnwritableDirectory checks that a store that cannot write reports
// it from Set and serves no entries, without panicking.
func TestUnwritableDirectory(t *testing.T) {
	t.Parallel()
	t.Run("file in the way", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(t.TempDir(), "cache")
		if err := os.WriteFile(dir, []byte("not a directory"), 0o600); err != nil {
			t.Fatal(err)
		}
		checkUnwritable(t, dir)
	})
	t.Run("read-only directory", func(t *testing.T) {
		t.Parallel()
		if os.Geteuid() == 0 {
			// Root writes to read-only directories, so run this case in
			// a copy of the test binary as an unprivileged user.
			runAsNobody(t, "^TestUnwritableDirectory$/^read-only_directory$")
			return
		}
		dir := filepath.Join(t.TempDir(), "cache")
		if err := os.Mkdir(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
		checkUnwritable(t, dir)
	})
}

func checkUnwritable(t *testing.T, dir string) {
	ctx := context.Background()
	s, _ := newStore(t, file.Options{Dir: dir, MaxEntries: 10})
	k := key(fnF, 1, "json")
	if err := s.Set(ctx, k, entry("v", time.Time{}), time.Time{}); err == nil || errors.Is(err, file.ErrInvalidKey) {
		t.Errorf("Set(%v) = %v; want an error from the file system", k, err)
	}
	wantNotFound(t, s, k)
	if err := s.Delete(ctx, k); err != nil {
		t.Errorf("Delete(%v) = %v; want nil", k, err)
	}
	if err := s.Clear(ctx, fnF); err != nil {
		t.Errorf("Clear(%v) = %v; want nil", fnF, err)
	}
	n := 0
	if err := s.List(ctx, store.FuncID{}, func(store.StoredEntry) bool { n++; return true }); err != nil || n != 0 {
		t.Errorf("List = %v with %d entries; want nil, none", err, n)
	}
	if stats, err := s.Prune(ctx); err != nil || stats != (store.PruneStats{}) {
		t.Errorf("Prune = %+v, %v; want nothing, nil", stats, err)
	}
}

func TestContextDone(t *testing.T) {
	t.Parallel()
	s, dir := newStore(t, file.Options{MaxEntries: 10})
	k := key(fnF, 1, "json")
	mustSet(t, s, k, entry("v", time.Time{}))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ops := map[string]func() error{
		"Get":    func() error { _, err := s.Get(ctx, k); return err },
		"Set":    func() error { return s.Set(ctx, key(fnF, 2, "json"), entry("v", time.Time{}), time.Time{}) },
		"Delete": func() error { return s.Delete(ctx, k) },
		"Clear":  func() error { return s.Clear(ctx, fnF) },
		"List":   func() error { return s.List(ctx, store.FuncID{}, func(store.StoredEntry) bool { return true }) },
		"Prune":  func() error { _, err := s.Prune(ctx); return err },
	}
	for name, op := range ops {
		if err := op(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a canceled context = %v; want context.Canceled", name, err)
		}
	}
	wantFiles(t, dir, k)
}

func TestNew(t *testing.T) {
	for _, opts := range []file.Options{
		{},
		{Dir: "/tmp/x", MaxBytes: -1},
		{Dir: "/tmp/x", MaxEntries: -1},
	} {
		if s, err := file.New(opts); err == nil {
			t.Errorf("New(%+v) = %v, nil; want an error", opts, s)
		}
	}
}

func TestMust(t *testing.T) {
	dir := t.TempDir()
	if s := file.Must(file.New(file.Options{Dir: dir})); s == nil {
		t.Errorf("Must(New(%q)) = nil; want the store", dir)
	}
	defer func() {
		if r := recover(); r == nil || fmt.Sprint(r) != "file: Options.Dir is empty" {
			t.Errorf("Must(New(Options{})) panicked with %v; want New's error", r)
		}
	}()
	file.Must(file.New(file.Options{}))
}

// TestNewRelativeDir checks that a relative Dir is resolved when the store
// is created, not on each use.
func TestNewRelativeDir(t *testing.T) {
	first := t.TempDir()
	t.Chdir(first)
	s, err := file.New(file.Options{Dir: "cache"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	t.Chdir(t.TempDir())
	k := key(fnF, 1, "json")
	mustSet(t, s, k, entry("v", time.Time{}))
	wantFiles(t, filepath.Join(first, "cache"), k)
}

// TestOpenRelativeURL checks that file:cache names a directory relative to
// the working directory when the store is opened.
func TestOpenRelativeURL(t *testing.T) {
	first := t.TempDir()
	t.Chdir(first)
	b, err := memo.Open("file:cache")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.(*file.Store).Close() })
	t.Chdir(t.TempDir())
	k := key(fnF, 1, "json")
	mustSet(t, b, k, entry("v", time.Time{}))
	wantFiles(t, filepath.Join(first, "cache"), k)
}

func TestParseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url  string
		want file.Options
	}{
		{"file:///var/cache/app", file.Options{Dir: "/var/cache/app"}},
		{"file:///var/cache/app/", file.Options{Dir: "/var/cache/app"}},
		{"file:///var/cache/with%20space?max_bytes=0", file.Options{Dir: "/var/cache/with space"}},
		{"file:///var/cache/app?max_bytes=1048576&max_entries=100", file.Options{Dir: "/var/cache/app", MaxBytes: 1 << 20, MaxEntries: 100}},
		{"file:///var/cache/app?max_bytes=1GiB&max_entries=0", file.Options{Dir: "/var/cache/app", MaxBytes: 1 << 30}},
		{"file:/var/cache/app", file.Options{Dir: "/var/cache/app"}},
		{"file:cache", file.Options{Dir: "cache"}},
		{"file:./cache/", file.Options{Dir: "cache"}},
		{"file:../up/with%20space?max_entries=5", file.Options{Dir: "../up/with space", MaxEntries: 5}},
	}
	for _, tt := range tests {
		if got, err := file.ParseURL(tt.url); err != nil || got != tt.want {
			t.Errorf("ParseURL(%q) = %+v, %v; want %+v, nil", tt.url, got, err, tt.want)
		}
	}
}

func TestParseURLErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ url, want string }{
		{"file://./relative", `file: URL host ".": want file:///absolute/path (three slashes) or file:relative/path`},
		{"file://cache/dir", `file: URL host "cache": want file:///absolute/path (three slashes) or file:relative/path`},
		{"file:%2Ftmp", `file: URL path "%2Ftmp" is absolute; want file:///absolute/path or file:relative/path`},
		{"file:a%zz", `file: URL path "a%zz": invalid URL escape "%zz"`},
		{"file://", `file: URL path "" is not absolute; want file:///absolute/path or file:relative/path`},
		{"file://user@/tmp/x", `file: URL host "": want file:///absolute/path (three slashes) or file:relative/path`},
		{"mem://", `file: URL scheme "mem", want file`},
		{"file:///tmp/x?max_entires=10", `file: unknown URL parameter "max_entires"; did you mean "max_entries"?`},
		{"file:///tmp/x?size=10", `file: unknown URL parameter "size" (want max_bytes, max_entries or trust_dir)`},
		{"file:///tmp/x?max_bytes=-1", `file: invalid URL parameter max_bytes="-1": want a size in bytes such as 1048576 or 64MiB`},
		{"file:///tmp/x?max_entries=ten", `file: invalid URL parameter max_entries="ten": want a non-negative integer`},
		{"file:///tmp/x?max_entries=1&max_entries=2", `file: URL parameter max_entries is given 2 times; give it once`},
		{"file:///tmp/x?max_bytes=%zz", `file: URL query: invalid URL escape "%zz"`},
	}
	for _, tt := range tests {
		got, err := file.ParseURL(tt.url)
		if err == nil || err.Error() != tt.want {
			t.Errorf("ParseURL(%q) = %+v, %v; want the error\n%s", tt.url, got, err, tt.want)
		}
		if _, err := memo.Open(tt.url); strings.HasPrefix(tt.url, "file:") && (err == nil || err.Error() != tt.want) {
			t.Errorf("memo.Open(%q) = %v; want the error\n%s", tt.url, err, tt.want)
		}
	}
}

// TestOpenBounds checks that the URL's bounds reach the store.
func TestOpenBounds(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	b, err := memo.Open("file://" + filepath.ToSlash(dir) + "?max_entries=1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.(*file.Store).Close() })
	k1, k2 := key(fnF, 1, "json"), key(fnF, 2, "json")
	mustSet(t, b, k1, entry("v", time.Time{}))
	mustSet(t, b, k2, entry("v", time.Time{}))
	settled(b.(*file.Store))
	wantFiles(t, dir, k2)
}

// TestSymlinkedDir checks that a store whose directory is a symbolic link,
// as cache directories often are, lists, prunes and evicts its entries.
func TestSymlinkedDir(t *testing.T) {
	t.Parallel()
	target := t.TempDir()
	link := filepath.Join(t.TempDir(), "cache")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal("creating a symbolic link:", err)
	}
	s, _ := newStore(t, file.Options{Dir: link, MaxEntries: 2})
	ctx := context.Background()
	old := key(fnF, 1, "json")
	mustSet(t, s, old, entry("old", time.Now().Add(-time.Minute)))
	for n := 2; n <= 3; n++ {
		mustSet(t, s, key(fnF, n, "json"), entry("v", time.Time{}))
	}
	settled(s)
	wantFiles(t, target, key(fnF, 2, "json"), key(fnF, 3, "json"))
	var listed []store.Key
	if err := s.List(ctx, store.FuncID{}, func(e store.StoredEntry) bool { listed = append(listed, e.Key); return true }); err != nil || len(listed) != 2 {
		t.Errorf("List = %v, listing %v; want the 2 entries", err, listed)
	}
	mustSet(t, s, old, entry("old", time.Now().Add(-time.Minute)))
	if stats, err := s.Prune(ctx); err != nil || stats.Entries != 1 {
		t.Errorf("Prune = %+v, %v; want 1 entry removed", stats, err)
	}
}
