package main

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/memogen/memogen/runtime/memoimpl"
	"github.com/memogen/memogen/runtime/store"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/memogen/memogen/codecs/json"
	"github.com/memogen/memogen/internal/testservers"
	memo "github.com/memogen/memogen/runtime"
)

// These tests run "memogen cache" against entries written the way the
// runtime writes them, with fixed times, so that listings are exact.

func TestCacheList(t *testing.T) {
	t.Parallel()
	u, b := fileCache(t)
	populate(t, b, ada, bob, pending)
	storeExpired(t, b, stale)

	status, stdout, stderr := cache(t, "ls", u)
	if status != 0 {
		t.Fatalf("ls: status %d, stderr %q; want 0", status, stderr)
	}
	want := `FUNCTION                      DIGEST        SIZE  CREATED               EXPIRES               ARGS
example.com/users.FetchUser   111111111111  104   2024-01-02T03:04:05Z  never                 id=1
example.com/users.FetchUser   222222222222  122   2024-01-02T03:04:05Z  2100-01-01T00:00:00Z  id=2
example.com/users.Store.Load  333333333333  115   2024-01-02T03:04:05Z  2001-01-01T00:00:00Z  key="a"
example.com/users.Store.Load  444444444444  99    2024-01-02T03:04:05Z  never                 key="b"
`
	if stdout != want {
		t.Errorf("ls printed\n%s\nwant\n%s", stdout, want)
	}

	status, stdout, stderr = cache(t, "ls", u, "example.com/users.Store.Load")
	if status != 0 {
		t.Fatalf("ls Store.Load: status %d, stderr %q; want 0", status, stderr)
	}
	want = `FUNCTION                      DIGEST        SIZE  CREATED               EXPIRES               ARGS
example.com/users.Store.Load  333333333333  115   2024-01-02T03:04:05Z  2001-01-01T00:00:00Z  key="a"
example.com/users.Store.Load  444444444444  99    2024-01-02T03:04:05Z  never                 key="b"
`
	if stdout != want {
		t.Errorf("ls example.com/users.Store.Load printed\n%s\nwant\n%s", stdout, want)
	}

	status, stdout, stderr = cache(t, "ls", u, "example.com/users.Nothing")
	if want := "FUNCTION  DIGEST  SIZE  CREATED  EXPIRES  ARGS\n"; status != 0 || stdout != want {
		t.Errorf("ls of a function without entries: status %d, stdout %q, stderr %q; want 0, %q", status, stdout, stderr, want)
	}
}

func TestCacheListJSON(t *testing.T) {
	t.Parallel()
	u, b := fileCache(t)
	populate(t, b, ada, bob, pending)
	storeExpired(t, b, stale)

	rows := decodeJSON[[]map[string]any](t, "-json", "ls", u)
	want := []map[string]any{ada.row(), bob.row(), stale.row(), pending.row()}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("-json ls = %v; want %v", rows, want)
	}

	rows = decodeJSON[[]map[string]any](t, "-json", "ls", u, "example.com/users.FetchUser")
	if want := []map[string]any{ada.row(), bob.row()}; !reflect.DeepEqual(rows, want) {
		t.Errorf("-json ls example.com/users.FetchUser = %v; want %v", rows, want)
	}

	rows = decodeJSON[[]map[string]any](t, "-json", "ls", u, "example.com/users.Nothing")
	if rows == nil || len(rows) != 0 {
		t.Errorf("-json ls of a function without entries = %#v; want []", rows)
	}
}

func TestCacheStats(t *testing.T) {
	t.Parallel()
	u, b := fileCache(t)
	populate(t, b, ada, bob, pending)
	storeExpired(t, b, stale)

	status, stdout, stderr := cache(t, "stats", u)
	if status != 0 {
		t.Fatalf("stats: status %d, stderr %q; want 0", status, stderr)
	}
	want := `FUNCTION                      ENTRIES  BYTES  EXPIRED
example.com/users.FetchUser   2        226    0
example.com/users.Store.Load  2        214    1
`
	if stdout != want {
		t.Errorf("stats printed\n%s\nwant\n%s", stdout, want)
	}

	rows := decodeJSON[[]map[string]any](t, "-json", "stats", u, "example.com/users.Store.Load")
	wantRows := []map[string]any{{
		"function": "example.com/users.Store.Load", "entries": 2.0,
		"bytes": float64(stale.size() + pending.size()), "expired": 1.0,
	}}
	if !reflect.DeepEqual(rows, wantRows) {
		t.Errorf("-json stats example.com/users.Store.Load = %v; want %v", rows, wantRows)
	}
}

func TestCachePrune(t *testing.T) {
	t.Parallel()
	u, b := fileCache(t)
	populate(t, b, ada, bob, pending)
	storeExpired(t, b, stale)

	status, stdout, stderr := cache(t, "prune", u)
	if want := fmt.Sprintf("pruned 1 expired entries, %d bytes\n", stale.size()); status != 0 || stdout != want {
		t.Errorf("prune: status %d, stdout %q, stderr %q; want 0, %q", status, stdout, stderr, want)
	}
	assertStored(t, b, ada, bob, pending)

	got := decodeJSON[map[string]any](t, "-json", "prune", u)
	if want := map[string]any{"entries": 0.0, "bytes": 0.0}; !reflect.DeepEqual(got, want) {
		t.Errorf("-json prune with nothing expired = %v; want %v", got, want)
	}
	assertStored(t, b, ada, bob, pending)
}

func TestCacheClear(t *testing.T) {
	t.Parallel()
	u, b := fileCache(t)
	populate(t, b, ada, bob, pending)
	storeExpired(t, b, stale)

	status, stdout, stderr := cache(t, "clear", u, "example.com/users.FetchUser")
	if want := "cleared example.com/users.FetchUser\n"; status != 0 || stdout != want {
		t.Errorf("clear FetchUser: status %d, stdout %q, stderr %q; want 0, %q", status, stdout, stderr, want)
	}
	assertStored(t, b, stale, pending)

	populate(t, b, ada)
	status, stdout, stderr = cache(t, "clear", u)
	if want := "cleared example.com/users.FetchUser\ncleared example.com/users.Store.Load\n"; status != 0 || stdout != want {
		t.Errorf("clear: status %d, stdout %q, stderr %q; want 0, %q", status, stdout, stderr, want)
	}
	assertStored(t, b)

	got := decodeJSON[map[string]any](t, "-json", "clear", u)
	if want := map[string]any{"cleared": []any{}}; !reflect.DeepEqual(got, want) {
		t.Errorf("-json clear of an empty cache = %v; want %v", got, want)
	}
}

// TestCacheLeavesOtherFiles runs clear and prune on a directory where a
// person's files sit among the entries, some named as entries are: only
// entries go, and only the directories that held nothing else.
func TestCacheLeavesOtherFiles(t *testing.T) {
	t.Parallel()
	u, b := fileCache(t)
	dir := strings.TrimPrefix(u, "file://")
	theirs := map[string]string{
		"2024/IMG_0001.jpg":                                  "\xff\xd8\xff photo",
		"0123456789abcdef0123456789abcdef.json":              "{}",
		"photos/album/0123456789abcdef0123456789abcdef.json": `{"user": "data"}`,
		"example.com/users/FetchUser/notes.txt":              "mine",
		"project/.tmp-keep/keep.txt":                         "kept",
		"project/.clear-x/keep.txt":                          "kept",
	}
	old := time.Now().Add(-48 * time.Hour)
	for name, content := range theirs {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, old, old); err != nil {
			t.Fatal(err)
		}
	}
	populate(t, b, ada, bob, pending)
	storeExpired(t, b, stale)
	for _, args := range [][]string{{"prune", u}, {"clear", u}} {
		if status, stdout, stderr := cache(t, args...); status != 0 {
			t.Fatalf("memogen cache %q: status %d, stdout %q, stderr %q; want 0", args, status, stdout, stderr)
		}
		for name, content := range theirs {
			got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
			if err != nil || string(got) != content {
				t.Errorf("after memogen cache %s, %s holds %q, %v; want %q", args[0], name, got, err, content)
			}
		}
	}
	assertStored(t, b)
	if _, err := os.Stat(filepath.Join(dir, "example.com/users/Store.Load")); !os.IsNotExist(err) {
		t.Errorf("clear left the directory it emptied (Stat = %v)", err)
	}
}

// TestCacheDottedPackage names a function of a package whose last path
// element has a dot: "gopkg.in/yaml.v3.Marshal" reads as function Marshal
// of gopkg.in/yaml.v3 as well as method v3.Marshal of gopkg.in/yaml.
func TestCacheDottedPackage(t *testing.T) {
	t.Parallel()
	u, b := fileCache(t)
	marshal := fixture{fn: store.FuncID{Package: "gopkg.in/yaml.v3", Name: "Marshal"}, n: 5, summary: "v=1", payload: `"1"`}
	populate(t, b, marshal, ada)

	rows := decodeJSON[[]map[string]any](t, "-json", "ls", u, "gopkg.in/yaml.v3.Marshal")
	if want := []map[string]any{marshal.row()}; !reflect.DeepEqual(rows, want) {
		t.Errorf("-json ls gopkg.in/yaml.v3.Marshal = %v; want %v", rows, want)
	}
	status, stdout, stderr := cache(t, "clear", u, "gopkg.in/yaml.v3.Marshal")
	if want := "cleared gopkg.in/yaml.v3.Marshal\n"; status != 0 || stdout != want {
		t.Errorf("clear gopkg.in/yaml.v3.Marshal: status %d, stdout %q, stderr %q; want 0, %q", status, stdout, stderr, want)
	}
	assertStored(t, b, ada)
}

func TestParseFuncIDs(t *testing.T) {
	t.Parallel()
	tests := map[string][]store.FuncID{
		"example.com/users.FetchUser":       {fetchUser},
		"example.com/users.Store.Load":      {{Package: "example.com/users.Store", Name: "Load"}, storeLoad},
		"gopkg.in/yaml.v3.Marshal":          {{Package: "gopkg.in/yaml.v3", Name: "Marshal"}, {Package: "gopkg.in/yaml", Name: "v3.Marshal"}},
		"strings.ToUpper":                   {{Package: "strings", Name: "ToUpper"}},
		"example.com.F":                     {{Package: "example.com", Name: "F"}, {Package: "example", Name: "com.F"}},
		"example.com/p.Map[int,[]uint8]":    {{Package: "example.com/p", Name: "Map[int,[]uint8]"}},
		"example.com/p.List[int].Join":      {{Package: "example.com/p.List[int]", Name: "Join"}, {Package: "example.com/p", Name: "List[int].Join"}},
		"example.com/p.F[0123456789abcdef]": {{Package: "example.com/p", Name: "F[0123456789abcdef]"}},
	}
	for _, bad := range []string{"example.com/p.F[", "example.com/p.F[]", "example.com/p.[int]"} {
		if got, err := parseFuncIDs(bad); err == nil {
			t.Errorf("parseFuncIDs(%q) = %v, nil; want an error", bad, got)
		}
	}
	for s, want := range tests {
		if got, err := parseFuncIDs(s); err != nil || !slices.Equal(got, want) {
			t.Errorf("parseFuncIDs(%q) = %v, %v; want %v, nil", s, got, err, want)
		}
	}
}

// TestCacheListsWhatWrappersStore fills a cache through the runtime, as a
// generated wrapper does, and checks that ls shows its entries and that
// clear makes the wrapper compute again.
func TestCacheListsWhatWrappersStore(t *testing.T) {
	t.Parallel()
	u, b := fileCache(t)
	name := "cachetest-" + t.Name()
	memo.Register(name, b)
	t.Cleanup(func() { memo.Unregister(name) })
	f := memoimpl.NewFunc(memoimpl.FuncInfo{Package: "example.com/strs", Receiver: "Counter", Name: "Len", Backend: name, Codec: "json", TTL: time.Hour})
	var runs int
	strLen := func(s string) int {
		c := f.Begin(context.Background())
		c.Key().Text(s)
		if r, ok := memoimpl.Lookup[int](c, false); ok {
			return r
		}
		c.Summarize(func() string { return memoimpl.Describe("s", s) })
		r, _ := memoimpl.Run(c, func() (int, error) {
			runs++
			return len(s), nil
		})
		return r
	}
	strLen("hello")
	strLen("hi")
	strLen("hello")
	if runs != 2 {
		t.Fatalf("three calls with two arguments ran the function %d times; want 2", runs)
	}

	rows := decodeJSON[[]entryRow](t, "-json", "ls", u)
	if len(rows) != 2 {
		t.Fatalf("-json ls listed %d entries; want 2: %+v", len(rows), rows)
	}
	dir := filepath.Join(strings.TrimPrefix(u, "file://"), "example.com", "strs", "Counter.Len")
	args := make([]string, len(rows))
	for i, r := range rows {
		args[i] = r.Args
		if r.Function != "example.com/strs.Counter.Len" {
			t.Errorf("entry %d: function %q; want example.com/strs.Counter.Len", i, r.Function)
		}
		fi, err := os.Stat(filepath.Join(dir, r.Digest+".json"))
		if err != nil {
			t.Errorf("entry %d: digest %q names no file the wrapper stored: %v", i, r.Digest, err)
		} else if r.Size != fi.Size() {
			t.Errorf("entry %d: size %d; want %d, the file's", i, r.Size, fi.Size())
		}
		if r.Created == nil || r.Expires == nil || !r.Expires.After(*r.Created) {
			t.Errorf("entry %d: created %v, expires %v; want both, expiry after creation", i, r.Created, r.Expires)
		}
	}
	slices.Sort(args)
	if want := []string{`s="hello"`, `s="hi"`}; !slices.Equal(args, want) {
		t.Errorf("-json ls args = %q; want %q", args, want)
	}

	if status, _, stderr := cache(t, "clear", u, "example.com/strs.Counter.Len"); status != 0 {
		t.Fatalf("clear: status %d, stderr %q; want 0", status, stderr)
	}
	strLen("hello")
	if runs != 3 {
		t.Errorf("after clear, the wrapper ran its function %d times in all; want 3", runs)
	}
}

func TestCacheUsage(t *testing.T) {
	t.Parallel()
	u := "file://" + t.TempDir()
	tests := []struct {
		args       []string
		wantStderr string
	}{
		{nil, "usage: memogen cache [-json] ls|stats|prune|clear <backend url> [function]"},
		{[]string{"ls"}, "usage: memogen cache"},
		{[]string{"ls", u, "example.com/p.F", "extra"}, "usage: memogen cache"},
		{[]string{"-verbose", "ls", u}, "flag provided but not defined: -verbose"},
		{[]string{"list", u}, `memogen cache: unknown command "list" (want ls, stats, prune or clear)`},
		{[]string{"ls", "nosuch://x"}, `no backend for scheme "nosuch"`},
		{[]string{"ls", "file:relative/dir"}, `file: URL path "relative/dir" is relative`},
		{[]string{"ls", u, "FetchUser"}, `memogen cache: function "FetchUser": want import/path.Name`},
		{[]string{"ls", u, "example.com/users"}, `function "example.com/users": want import/path.Name`},
		{[]string{"clear", u, "example.com/users."}, `function "example.com/users.": want import/path.Name`},
		{[]string{"stats", u, "example.com/users.Fetch-User"}, `function "example.com/users.Fetch-User": want import/path.Name`},
		{[]string{"prune", u, "example.com/users.FetchUser"}, "memogen cache: prune takes no function"},
	}
	for _, tt := range tests {
		status, stdout, stderr := cache(t, tt.args...)
		if status != 2 || stdout != "" || !strings.Contains(stderr, tt.wantStderr) {
			t.Errorf("memogen cache %q: status %d, stdout %q, stderr %q; want 2, nothing, a message with %q",
				tt.args, status, stdout, stderr, tt.wantStderr)
		}
	}
}

func TestCacheBackendFailure(t *testing.T) {
	t.Parallel()
	down := fmt.Sprintf("redis://127.0.0.1:%d/0?dial_timeout=100ms&max_retries=-1", testservers.ClosedPort(t))
	loop := filepath.Join(t.TempDir(), "loop")
	if err := os.Symlink("loop", loop); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args       []string
		wantStderr string
	}{
		{[]string{"ls", down}, "memogen cache ls: redis: list:"},
		{[]string{"stats", down, "example.com/users.FetchUser"}, "memogen cache stats: redis: list:"},
		{[]string{"clear", down, "example.com/users.FetchUser"}, "memogen cache clear: example.com/users.FetchUser: redis: clear"},
		{[]string{"clear", down}, "memogen cache clear: clearing every function needs a listing"},
		{[]string{"ls", "file://" + loop}, "memogen cache ls: file: list:"},
		{[]string{"prune", "file://" + loop}, "memogen cache prune: file: prune:"},
	}
	for _, tt := range tests {
		status, stdout, stderr := cache(t, tt.args...)
		if status != 1 || stdout != "" || !strings.HasPrefix(stderr, tt.wantStderr) {
			t.Errorf("memogen cache %q: status %d, stdout %q, stderr %q; want 1, nothing, a message starting %q",
				tt.args, status, stdout, stderr, tt.wantStderr)
		}
	}
}

// TestCacheRedis runs the commands against the server scripts/testservers.sh
// starts. Redis expires entries itself, so there is nothing to prune.
func TestCacheRedis(t *testing.T) {
	t.Parallel()
	u := testservers.RedisURL(t)
	b := openBackend(t, u)
	populate(t, b, ada, bob, pending)

	status, stdout, stderr := cache(t, "ls", u)
	want := `FUNCTION                      DIGEST        SIZE  CREATED               EXPIRES               ARGS
example.com/users.FetchUser   111111111111  104   2024-01-02T03:04:05Z  never                 id=1
example.com/users.FetchUser   222222222222  122   2024-01-02T03:04:05Z  2100-01-01T00:00:00Z  id=2
example.com/users.Store.Load  444444444444  99    2024-01-02T03:04:05Z  never                 key="b"
`
	if status != 0 || stdout != want {
		t.Errorf("ls: status %d, stderr %q, stdout\n%s\nwant 0 and\n%s", status, stderr, stdout, want)
	}

	rows := decodeJSON[[]map[string]any](t, "-json", "stats", u, "example.com/users.FetchUser")
	wantRows := []map[string]any{{"function": "example.com/users.FetchUser", "entries": 2.0, "bytes": float64(ada.size() + bob.size()), "expired": 0.0}}
	if !reflect.DeepEqual(rows, wantRows) {
		t.Errorf("-json stats example.com/users.FetchUser = %v; want %v", rows, wantRows)
	}
	// Both readings of Store.Load name the same Redis keys: each entry is
	// listed once.
	rows = decodeJSON[[]map[string]any](t, "-json", "ls", u, "example.com/users.Store.Load")
	if want := []map[string]any{pending.row()}; !reflect.DeepEqual(rows, want) {
		t.Errorf("-json ls example.com/users.Store.Load = %v; want %v", rows, want)
	}

	status, stdout, stderr = cache(t, "prune", u)
	if want := "pruned 0 expired entries, 0 bytes\n"; status != 0 || stdout != want {
		t.Errorf("prune: status %d, stdout %q, stderr %q; want 0, %q", status, stdout, stderr, want)
	}
	// Redis behind an in-memory front: neither tier has anything to prune.
	tieredURL := "tiered://?front=" + url.QueryEscape("mem://") + "&back=" + url.QueryEscape(u)
	status, stdout, stderr = cache(t, "prune", tieredURL)
	if want := "pruned 0 expired entries, 0 bytes\n"; status != 0 || stdout != want {
		t.Errorf("prune %s: status %d, stdout %q, stderr %q; want 0, %q", tieredURL, status, stdout, stderr, want)
	}

	status, stdout, stderr = cache(t, "clear", u, "example.com/users.Store.Load")
	if want := "cleared example.com/users.Store.Load\n"; status != 0 || stdout != want {
		t.Errorf("clear Store.Load: status %d, stdout %q, stderr %q; want 0, %q", status, stdout, stderr, want)
	}
	assertStored(t, b, ada, bob)

	status, stdout, stderr = cache(t, "clear", u)
	if want := "cleared example.com/users.FetchUser\n"; status != 0 || stdout != want {
		t.Errorf("clear: status %d, stdout %q, stderr %q; want 0, %q", status, stdout, stderr, want)
	}
	assertStored(t, b)
}

// TestCacheS3 runs the commands against the server scripts/testservers.sh
// starts. S3 reports when it wrote an object, not when its result was
// computed, and keeps no summary of the arguments outside the object.
func TestCacheS3(t *testing.T) {
	t.Parallel()
	u := testservers.S3URL(t)
	b := openBackend(t, u)
	populate(t, b, ada, bob, stale, pending)

	rows := decodeJSON[[]entryRow](t, "-json", "ls", u)
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%s %s %d %v %q", r.Function, r.Digest, r.Size, r.Expires, r.Args))
		if r.Created == nil {
			t.Errorf("-json ls: entry %s has no created time; want the object's", r.Digest)
		}
	}
	var want []string
	for _, f := range []fixture{ada, bob, stale, pending} {
		var expires *time.Time
		if !f.expires.IsZero() {
			expires = &f.expires
		}
		want = append(want, fmt.Sprintf("%s %s %d %v %q", f.fn, f.digest(), f.size(), expires, ""))
	}
	if !slices.Equal(got, want) {
		t.Errorf("-json ls listed\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	status, stdout, stderr := cache(t, "stats", u)
	wantStats := `FUNCTION                      ENTRIES  BYTES  EXPIRED
example.com/users.FetchUser   2        226    0
example.com/users.Store.Load  2        214    1
`
	if status != 0 || stdout != wantStats {
		t.Errorf("stats: status %d, stderr %q, stdout\n%s\nwant 0 and\n%s", status, stderr, stdout, wantStats)
	}

	status, stdout, stderr = cache(t, "prune", u)
	if want := fmt.Sprintf("pruned 1 expired entries, %d bytes\n", stale.size()); status != 0 || stdout != want {
		t.Errorf("prune: status %d, stdout %q, stderr %q; want 0, %q", status, stdout, stderr, want)
	}
	assertStored(t, b, ada, bob, pending)

	status, stdout, stderr = cache(t, "clear", u, "example.com/users.FetchUser")
	if want := "cleared example.com/users.FetchUser\n"; status != 0 || stdout != want {
		t.Errorf("clear FetchUser: status %d, stdout %q, stderr %q; want 0, %q", status, stdout, stderr, want)
	}
	assertStored(t, b, pending)

	status, stdout, stderr = cache(t, "clear", u)
	if want := "cleared example.com/users.Store.Load\n"; status != 0 || stdout != want {
		t.Errorf("clear: status %d, stdout %q, stderr %q; want 0, %q", status, stdout, stderr, want)
	}
	assertStored(t, b)
}

// The fixture: two functions, one a method, with four entries computed at
// created; stale has expired, bob expires in 2100.
var (
	fetchUser = store.FuncID{Package: "example.com/users", Name: "FetchUser"}
	storeLoad = store.FuncID{Package: "example.com/users", Name: "Store.Load"}
	created   = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

	ada     = fixture{fn: fetchUser, n: 1, summary: "id=1", payload: `{"name":"Ada"}`}
	bob     = fixture{fn: fetchUser, n: 2, expires: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), summary: "id=2", payload: `{"name":"Bob"}`}
	stale   = fixture{fn: storeLoad, n: 3, expires: time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC), summary: `key="a"`, payload: `"x"`}
	pending = fixture{fn: storeLoad, n: 4, summary: `key="b"`, payload: `"yz"`}
)

// A fixture is one stored result, in JSON, computed at created.
type fixture struct {
	fn      store.FuncID
	n       int       // the digest is n's hex digit, 32 times
	expires time.Time // zero for never
	summary string
	payload string
}

func (f fixture) digest() string { return strings.Repeat(fmt.Sprintf("%x", f.n), 32) }

func (f fixture) key() store.Key { return store.Key{Func: f.fn, Digest: f.digest(), Codec: "json"} }

func (f fixture) data() []byte {
	return store.EncodeEntry(store.Entry{Codec: "json", Digest: f.digest(), Created: created, Expires: f.expires, Summary: f.summary, Payload: []byte(f.payload)})
}

func (f fixture) size() int64 { return int64(len(f.data())) }

// row is f as "memogen cache -json ls" prints it, decoded.
func (f fixture) row() map[string]any {
	r := map[string]any{"function": f.fn.String(), "digest": f.digest(), "size": float64(f.size()), "created": "2024-01-02T03:04:05Z", "args": f.summary}
	if !f.expires.IsZero() {
		r["expires"] = f.expires.Format(time.RFC3339)
	}
	return r
}

// cache runs "memogen cache" with args and returns its exit status and
// output.
func cache(t *testing.T, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	return memogen(t, append([]string{"cache"}, args...)...)
}

// decodeJSON runs "memogen cache" with args, which must succeed, and
// returns its output decoded.
func decodeJSON[T any](t *testing.T, args ...string) T {
	t.Helper()
	status, stdout, stderr := cache(t, args...)
	if status != 0 {
		t.Fatalf("memogen cache %q: status %d, stderr %q; want 0", args, status, stderr)
	}
	var v T
	if err := json.Unmarshal([]byte(stdout), &v); err != nil {
		t.Fatalf("memogen cache %q printed %q: %v", args, stdout, err)
	}
	return v
}

// fileCache returns the URL of a file backend in a directory of t's own,
// and the backend.
func fileCache(t *testing.T) (string, store.Backend) {
	t.Helper()
	u := "file://" + filepath.ToSlash(t.TempDir())
	return u, openBackend(t, u)
}

// openBackend opens the backend at u and closes it when t ends.
func openBackend(t *testing.T, u string) store.Backend {
	t.Helper()
	b, err := memo.Open(u)
	if err != nil {
		t.Fatalf("memo.Open(%q) = %v", u, err)
	}
	if c, ok := b.(io.Closer); ok {
		t.Cleanup(func() { c.Close() })
	}
	return b
}

// populate stores entries in b, each with its expiry.
func populate(t *testing.T, b store.Backend, entries ...fixture) {
	t.Helper()
	for _, f := range entries {
		if err := b.Set(context.Background(), f.key(), f.data(), f.expires); err != nil {
			t.Fatalf("Set(%v) = %v", f.key(), err)
		}
	}
}

// storeExpired stores an entry that has expired since it was stored: a
// file backend refuses to store one past its expiry, but judges stored
// entries by their metadata line.
func storeExpired(t *testing.T, b store.Backend, f fixture) {
	t.Helper()
	if err := b.Set(context.Background(), f.key(), f.data(), time.Time{}); err != nil {
		t.Fatalf("Set(%v) = %v", f.key(), err)
	}
}

// assertStored checks that b holds exactly the entries want.
func assertStored(t *testing.T, b store.Backend, want ...fixture) {
	t.Helper()
	var got []string
	err := b.(store.Lister).List(context.Background(), store.FuncID{}, func(e store.StoredEntry) bool {
		got = append(got, e.Key.Func.String()+" "+e.Key.Digest)
		return true
	})
	if err != nil {
		t.Fatalf("List = %v", err)
	}
	var wantKeys []string
	for _, f := range want {
		wantKeys = append(wantKeys, f.fn.String()+" "+f.digest())
	}
	slices.Sort(got)
	slices.Sort(wantKeys)
	if !slices.Equal(got, wantKeys) {
		t.Errorf("the backend holds %q; want %q", got, wantKeys)
	}
}

// TestCacheActsOnOneInstantiation stores results of two instantiations of a
// generic method in a file cache and checks that ls and clear name each
// one alone.
func TestCacheActsOnOneInstantiation(t *testing.T) {
	t.Parallel()
	u, b := fileCache(t)
	name := "cachetest-" + t.Name()
	memo.Register(name, b)
	t.Cleanup(func() { memo.Unregister(name) })
	g := memoimpl.NewGeneric(memoimpl.FuncInfo{Package: "example.com/lists", Receiver: "List", Name: "Len", Backend: name, Codec: "json"})
	st := func(f *memoimpl.Func) {
		c := f.Begin(context.Background())
		c.Key().Text("k")
		if _, ok := memoimpl.Lookup[int](c, false); ok {
			t.Fatalf("%s: a hit in an empty cache", f.ID())
		}
		memoimpl.Run(c, func() (int, error) { return 1, nil })
	}
	ints, strs := memoimpl.Instance[int](g), memoimpl.Instance[string](g)
	st(ints)
	st(strs)

	for _, f := range []*memoimpl.Func{ints, strs} {
		rows := decodeJSON[[]entryRow](t, "-json", "ls", u, f.ID().String())
		if len(rows) != 1 || rows[0].Function != f.ID().String() {
			t.Errorf("-json ls %s = %+v; want its one entry", f.ID(), rows)
		}
	}
	if status, _, stderr := cache(t, "clear", u, ints.ID().String()); status != 0 {
		t.Fatalf("clear %s: status %d, stderr %q; want 0", ints.ID(), status, stderr)
	}
	rows := decodeJSON[[]entryRow](t, "-json", "ls", u)
	if len(rows) != 1 || rows[0].Function != "example.com/lists.List[string].Len" {
		t.Errorf("-json ls after clear %s = %+v; want the one entry of example.com/lists.List[string].Len", ints.ID(), rows)
	}
}
