package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/memogen/memogen/runtime/memoimpl"
	"github.com/memogen/memogen/runtime/store"

	_ "github.com/memogen/memogen/codecs/json"
	"github.com/memogen/memogen/internal/testservers"
	memo "github.com/memogen/memogen/runtime"
)

// These tests run "memocache" against entries written the way the
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
	want := `FUNCTION                      DIGEST        SIZE   CREATED  EXPIRES          ARGS
example.com/users.FetchUser   111111111111  104 B  3h ago   never            id=1
example.com/users.FetchUser   222222222222  122 B  3h ago   in 76y           id=2
example.com/users.Store.Load  333333333333  115 B  3h ago   expired 23y ago  key="a"
example.com/users.Store.Load  444444444444  99 B   3h ago   never            key="b"
`
	if stdout != want {
		t.Errorf("ls printed\n%s\nwant\n%s", stdout, want)
	}

	status, stdout, stderr = cache(t, "ls", u, "example.com/users.Store.Load")
	if status != 0 {
		t.Fatalf("ls Store.Load: status %d, stderr %q; want 0", status, stderr)
	}
	want = `FUNCTION                      DIGEST        SIZE   CREATED  EXPIRES          ARGS
example.com/users.Store.Load  333333333333  115 B  3h ago   expired 23y ago  key="a"
example.com/users.Store.Load  444444444444  99 B   3h ago   never            key="b"
`
	if stdout != want {
		t.Errorf("ls example.com/users.Store.Load printed\n%s\nwant\n%s", stdout, want)
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

	rows = decodeJSON[[]map[string]any](t, "-json", "ls", "file://"+t.TempDir())
	if rows == nil || len(rows) != 0 {
		t.Errorf("-json ls of an empty cache = %#v; want []", rows)
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
	want := `FUNCTION                      ENTRIES  SIZE   EXPIRED
example.com/users.FetchUser   2        226 B  0
example.com/users.Store.Load  2        214 B  1
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
	if want := fmt.Sprintf("pruned 1 expired entry, %d B\n", stale.size()); status != 0 || stdout != want {
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
	if want := "cleared 2 entries, 226 B\n"; status != 0 || stdout != want {
		t.Errorf("clear FetchUser: status %d, stdout %q, stderr %q; want 0, %q", status, stdout, stderr, want)
	}
	assertStored(t, b, stale, pending)

	populate(t, b, ada)
	status, stdout, stderr = cache(t, "clear", u)
	if want := "cleared 3 entries, 318 B\n"; status != 0 || stdout != want {
		t.Errorf("clear: status %d, stdout %q, stderr %q; want 0, %q", status, stdout, stderr, want)
	}
	assertStored(t, b)

	populate(t, b, ada, pending)
	got := decodeJSON[map[string]any](t, "clear", u, "-json")
	want := map[string]any{"entries": 2.0, "bytes": float64(ada.size() + pending.size()), "functions": []any{"example.com/users.FetchUser", "example.com/users.Store.Load"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("clear -json = %v; want %v", got, want)
	}
	got = decodeJSON[map[string]any](t, "-json", "clear", u)
	if want := map[string]any{"entries": 0.0, "bytes": 0.0, "functions": []any{}}; !reflect.DeepEqual(got, want) {
		t.Errorf("-json clear of an empty cache = %v; want %v", got, want)
	}
}

// TestCacheNoSuchFunction names functions that have no entries: a typo
// gets a did-you-mean, and every command exits 1, saying which functions
// the cache holds, and removes nothing.
func TestCacheNoSuchFunction(t *testing.T) {
	t.Parallel()
	u, b := fileCache(t)
	populate(t, b, ada, bob, pending)
	for _, verb := range []string{"clear", "ls", "stats"} {
		status, stdout, stderr := cache(t, verb, u, "example.com/users.FetchUsr")
		want := "memocache " + verb + `: no entries of example.com/users.FetchUsr; did you mean "example.com/users.FetchUser"?
the cache holds entries of example.com/users.FetchUser, example.com/users.Store.Load
`
		if status != 1 || stdout != "" || stderr != want {
			t.Errorf("%s of a misspelt function: status %d, stdout %q, stderr\n%s\nwant 1, nothing and\n%s", verb, status, stdout, stderr, want)
		}
	}
	status, _, stderr := cache(t, "clear", u, "example.com/other.Nothing")
	if want := "memocache clear: no entries of example.com/other.Nothing\nthe cache holds entries of example.com/users.FetchUser, example.com/users.Store.Load\n"; status != 1 || stderr != want {
		t.Errorf("clear of an unknown function: status %d, stderr %q; want 1, %q", status, stderr, want)
	}
	assertStored(t, b, ada, bob, pending)

	empty := "file://" + t.TempDir()
	status, _, stderr = cache(t, "clear", empty, "example.com/users.FetchUser")
	if want := "memocache clear: no entries of example.com/users.FetchUser: the cache is empty\n"; status != 1 || stderr != want {
		t.Errorf("clear of a function in an empty cache: status %d, stderr %q; want 1, %q", status, stderr, want)
	}
}

// TestCacheMissingDirectory checks that a file URL whose directory does not
// exist is an error for every command, not an empty cache.
func TestCacheMissingDirectory(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "nosuch")
	for _, u := range []string{"file://" + missing, "tiered://?back=" + url.QueryEscape("file://"+missing)} {
		for _, args := range [][]string{{"ls", u}, {"stats", u}, {"prune", u}, {"clear", u}, {"clear", u, "example.com/users.FetchUser"}} {
			status, stdout, stderr := cache(t, args...)
			want := fmt.Sprintf("memocache %s: file: directory %s does not exist\n", args[0], missing)
			if status != 1 || stdout != "" || stderr != want {
				t.Errorf("memocache %q: status %d, stdout %q, stderr %q; want 1, nothing, %q", args, status, stdout, stderr, want)
			}
		}
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("the commands created %s (Stat = %v)", missing, err)
	}
}

// TestCacheRelativeDirectory opens a file cache by a URL relative to the
// working directory.
func TestCacheRelativeDirectory(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	b := openBackend(t, "file://"+filepath.ToSlash(filepath.Join(dir, "cache")))
	populate(t, b, ada)
	for _, u := range []string{"file:cache", "file:./cache"} {
		rows := decodeJSON[[]map[string]any](t, "ls", u, "-json")
		if want := []map[string]any{ada.row()}; !reflect.DeepEqual(rows, want) {
			t.Errorf("ls %s -json = %v; want %v", u, rows, want)
		}
	}
	status, _, stderr := cache(t, "ls", "file:nosuch")
	if want := fmt.Sprintf("memocache ls: file: directory %s does not exist\n", filepath.Join(dir, "nosuch")); status != 1 || stderr != want {
		t.Errorf("ls file:nosuch: status %d, stderr %q; want 1, %q", status, stderr, want)
	}
}

// TestCacheFlagsAnywhere gives -json before, between and after the other
// arguments.
func TestCacheFlagsAnywhere(t *testing.T) {
	t.Parallel()
	u, b := fileCache(t)
	populate(t, b, ada, pending)
	want := []map[string]any{ada.row()}
	for _, args := range [][]string{
		{"-json", "ls", u, "example.com/users.FetchUser"},
		{"ls", "-json", u, "example.com/users.FetchUser"},
		{"ls", u, "-json", "example.com/users.FetchUser"},
		{"ls", u, "example.com/users.FetchUser", "-json"},
		{"ls", u, "example.com/users.FetchUser", "--json"},
		{"-json", "--", "ls", u, "example.com/users.FetchUser"},
	} {
		if rows := decodeJSON[[]map[string]any](t, args...); !reflect.DeepEqual(rows, want) {
			t.Errorf("memocache %q = %v; want %v", args, rows, want)
		}
	}
	status, stdout, stderr := cache(t, "ls", "--", u, "-json")
	if want := `memocache: function "-json": want import/path.Name, e.g. example.com/users.FetchUser` + "\n"; status != 2 || stdout != "" || stderr != want {
		t.Errorf(`memocache ls -- URL -json: status %d, stdout %q, stderr %q; want 2, nothing, %q`, status, stdout, stderr, want)
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
	rows := decodeJSON[[]map[string]any](t, "-json", "ls", u)
	if want := []map[string]any{ada.row(), bob.row(), stale.row(), pending.row()}; !reflect.DeepEqual(rows, want) {
		t.Errorf("-json ls among other files = %v; want the entries alone, %v", rows, want)
	}
	for _, args := range [][]string{{"prune", u}, {"clear", u}} {
		if status, stdout, stderr := cache(t, args...); status != 0 {
			t.Fatalf("memocache %q: status %d, stdout %q, stderr %q; want 0", args, status, stdout, stderr)
		}
		for name, content := range theirs {
			got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
			if err != nil || string(got) != content {
				t.Errorf("after memocache %s, %s holds %q, %v; want %q", args[0], name, got, err, content)
			}
		}
	}
	assertStored(t, b)
	for _, emptied := range []string{"example.com/users/Store.Load", "example.com/users/FetchUser"} {
		_, err := os.Stat(filepath.Join(dir, emptied))
		if kept := emptied == "example.com/users/FetchUser"; kept != (err == nil) {
			t.Errorf("after clear, Stat(%s) = %v; want the directory gone unless it holds another file", emptied, err)
		}
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
	if want := fmt.Sprintf("cleared 1 entry, %d B\n", marshal.size()); status != 0 || stdout != want {
		t.Errorf("clear gopkg.in/yaml.v3.Marshal: status %d, stdout %q, stderr %q; want 0, %q", status, stdout, stderr, want)
	}
	assertStored(t, b, ada)
}

func TestCheckFuncName(t *testing.T) {
	t.Parallel()
	for _, good := range []string{
		"example.com/users.FetchUser", "example.com/users.Store.Load", "gopkg.in/yaml.v3.Marshal", "strings.ToUpper",
		"example.com.F", "example.com/p.Map[int,[]uint8]", "example.com/p.List[int].Join", "example.com/p.F[0123456789abcdef]",
	} {
		if err := checkFuncName(good); err != nil {
			t.Errorf("checkFuncName(%q) = %v; want nil", good, err)
		}
	}
	for _, bad := range []string{
		"FetchUser", "example.com/users", "example.com/users.", "example.com/users.Fetch-User",
		"example.com/p.F[", "example.com/p.F[]", "example.com/p.[int]", "example.com/p.F]int[",
	} {
		if err := checkFuncName(bad); err == nil {
			t.Errorf("checkFuncName(%q) = nil; want an error", bad)
		}
	}
}

func TestReadings(t *testing.T) {
	t.Parallel()
	tests := map[string][]store.FuncID{
		"example.com/users.FetchUser":  {fetchUser},
		"example.com/users.Store.Load": {{Package: "example.com/users.Store", Name: "Load"}, storeLoad},
		"gopkg.in/yaml.v3.Marshal":     {{Package: "gopkg.in/yaml.v3", Name: "Marshal"}, {Package: "gopkg.in/yaml", Name: "v3.Marshal"}},
		"example.com/p.List[int].Join": {{Package: "example.com/p.List[int]", Name: "Join"}, {Package: "example.com/p", Name: "List[int].Join"}},
	}
	for s, want := range tests {
		if got := readings(s); !slices.Equal(got, want) {
			t.Errorf("readings(%q) = %v; want %v", s, got, want)
		}
	}
}

func TestMatches(t *testing.T) {
	t.Parallel()
	show := func(name string) store.FuncID { return store.FuncID{Package: "example.com/p", Name: name} }
	tests := []struct {
		name string
		fn   store.FuncID
		want bool
	}{
		{"example.com/p.Show", show("Show"), true},
		{"example.com/p.Show", show("Show[int]"), true},
		{"example.com/p.Show", show("Show[map[string][]int]"), true},
		{"example.com/p.Show", show("Shows[int]"), false},
		{"example.com/p.Show[int]", show("Show[int]"), true},
		{"example.com/p.Show[int]", show("Show[string]"), false},
		{"example.com/p.List.Join", show("List[int].Join"), true},
		{"example.com/p.List[int].Join", show("List[string].Join"), false},
		{"example.com/p.Show", store.FuncID{Package: "example.com/p/q", Name: "Show[int]"}, false},
	}
	for _, tt := range tests {
		if got := matches(tt.name, tt.fn); got != tt.want {
			t.Errorf("matches(%q, %s) = %v; want %v", tt.name, tt.fn, got, tt.want)
		}
	}
}

func TestHumanForms(t *testing.T) {
	t.Parallel()
	sizes := map[int64]string{0: "0 B", 999: "999 B", 1000: "1.0 kB", 3400: "3.4 kB", 12345: "12 kB", 999_499: "999 kB", 999_500: "1.0 MB", 17_900_000: "18 MB", 5e15: "5.0 PB", 5e18: "5000 PB"}
	for n, want := range sizes {
		if got := formatSize(n); got != want {
			t.Errorf("formatSize(%d) = %q; want %q", n, got, want)
		}
	}
	times := map[time.Duration]string{
		0: "now", -5 * time.Second: "5s ago", 90 * time.Second: "in 1m", -59 * time.Minute: "59m ago",
		47 * time.Hour: "in 47h", -48 * time.Hour: "2d ago", 729 * 24 * time.Hour: "in 729d", -3 * 365 * 24 * time.Hour: "3y ago",
	}
	for d, want := range times {
		if got := relative(fixedNow.Add(d), fixedNow); got != want {
			t.Errorf("relative(now%+v) = %q; want %q", d, got, want)
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
		{nil, "usage: memocache [-json] ls|stats|prune|clear <backend url> [function]"},
		{[]string{"ls"}, "usage: memocache"},
		{[]string{"ls", u, "example.com/p.F", "extra"}, "usage: memocache"},
		{[]string{"ls", u, "-verbose"}, "flag provided but not defined: -verbose"},
		{[]string{"-verbose", "ls", u}, "flag provided but not defined: -verbose"},
		{[]string{"list", u}, `memocache: unknown command "list" (want ls, stats, prune or clear)`},
		{[]string{"ls", "nosuch://x"}, `no backend for scheme "nosuch"`},
		{[]string{"ls", "file://relative/dir"}, `file: URL host "relative": want file:///absolute/path (three slashes) or file:relative/path`},
		{[]string{"ls", u, "FetchUser"}, `memocache: function "FetchUser": want import/path.Name`},
		{[]string{"ls", u, "example.com/users"}, `function "example.com/users": want import/path.Name`},
		{[]string{"clear", u, "example.com/users."}, `function "example.com/users.": want import/path.Name`},
		{[]string{"stats", u, "example.com/users.Fetch-User"}, `function "example.com/users.Fetch-User": want import/path.Name`},
		{[]string{"prune", u, "example.com/users.FetchUser"}, "memocache: prune takes no function"},
	}
	for _, tt := range tests {
		status, stdout, stderr := cache(t, tt.args...)
		if status != 2 || stdout != "" || !strings.Contains(stderr, tt.wantStderr) {
			t.Errorf("memocache %q: status %d, stdout %q, stderr %q; want 2, nothing, a message with %q",
				tt.args, status, stdout, stderr, tt.wantStderr)
		}
	}
}

func TestCacheBackendFailure(t *testing.T) {
	t.Parallel()
	down := fmt.Sprintf("redis://127.0.0.1:%d/0?dial_timeout=100ms&max_retries=-1", testservers.ClosedPort(t))
	retried := fmt.Sprintf("redis://127.0.0.1:%d/0?dial_timeout=100ms", testservers.ClosedPort(t))
	loop := filepath.Join(t.TempDir(), "loop")
	if err := os.Symlink("loop", loop); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args       []string
		wantStderr string
	}{
		{[]string{"ls", down}, "memocache ls: redis: list:"},
		{[]string{"ls", retried}, "memocache ls: redis: list:"},
		{[]string{"stats", down, "example.com/users.FetchUser"}, "memocache stats: redis: list:"},
		{[]string{"clear", down, "example.com/users.FetchUser"}, "memocache clear: redis: list:"},
		{[]string{"clear", down}, "memocache clear: redis: list:"},
		{[]string{"ls", "file://" + loop}, "memocache ls: file: list:"},
		{[]string{"prune", "file://" + loop}, "memocache prune: file: prune:"},
	}
	for _, tt := range tests {
		// One line: the error, and no log line of go-redis's.
		status, stdout, stderr := cache(t, tt.args...)
		if status != 1 || stdout != "" || !strings.HasPrefix(stderr, tt.wantStderr) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("memocache %q: status %d, stdout %q, stderr %q; want 1, nothing, one line starting %q",
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
	want := `FUNCTION                      DIGEST        SIZE   CREATED  EXPIRES  ARGS
example.com/users.FetchUser   111111111111  104 B  3h ago   never    id=1
example.com/users.FetchUser   222222222222  122 B  3h ago   in 76y   id=2
example.com/users.Store.Load  444444444444  99 B   3h ago   never    key="b"
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
	if want := "pruned 0 expired entries, 0 B\n"; status != 0 || stdout != want {
		t.Errorf("prune: status %d, stdout %q, stderr %q; want 0, %q", status, stdout, stderr, want)
	}
	// Redis behind an in-memory front: neither tier has anything to prune.
	tieredURL := "tiered://?front=" + url.QueryEscape("mem://") + "&back=" + url.QueryEscape(u)
	status, stdout, stderr = cache(t, "prune", tieredURL)
	if want := "pruned 0 expired entries, 0 B\n"; status != 0 || stdout != want {
		t.Errorf("prune %s: status %d, stdout %q, stderr %q; want 0, %q", tieredURL, status, stdout, stderr, want)
	}

	status, stdout, stderr = cache(t, "clear", u, "example.com/users.Store.Load")
	if want := "cleared 1 entry, 99 B\n"; status != 0 || stdout != want {
		t.Errorf("clear Store.Load: status %d, stdout %q, stderr %q; want 0, %q", status, stdout, stderr, want)
	}
	assertStored(t, b, ada, bob)

	status, stdout, stderr = cache(t, "clear", u)
	if want := "cleared 2 entries, 226 B\n"; status != 0 || stdout != want {
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
	wantStats := `FUNCTION                      ENTRIES  SIZE   EXPIRED
example.com/users.FetchUser   2        226 B  0
example.com/users.Store.Load  2        214 B  1
`
	if status != 0 || stdout != wantStats {
		t.Errorf("stats: status %d, stderr %q, stdout\n%s\nwant 0 and\n%s", status, stderr, stdout, wantStats)
	}

	status, stdout, stderr = cache(t, "prune", u)
	if want := fmt.Sprintf("pruned 1 expired entry, %d B\n", stale.size()); status != 0 || stdout != want {
		t.Errorf("prune: status %d, stdout %q, stderr %q; want 0, %q", status, stdout, stderr, want)
	}
	assertStored(t, b, ada, bob, pending)

	status, stdout, stderr = cache(t, "clear", u, "example.com/users.FetchUser")
	if want := "cleared 2 entries, 226 B\n"; status != 0 || stdout != want {
		t.Errorf("clear FetchUser: status %d, stdout %q, stderr %q; want 0, %q", status, stdout, stderr, want)
	}
	assertStored(t, b, pending)

	status, stdout, stderr = cache(t, "clear", u)
	if want := "cleared 1 entry, 99 B\n"; status != 0 || stdout != want {
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

// row is f as "memocache -json ls" prints it, decoded.
func (f fixture) row() map[string]any {
	r := map[string]any{"function": f.fn.String(), "digest": f.digest(), "size": float64(f.size()), "created": "2024-01-02T03:04:05Z", "args": f.summary}
	if !f.expires.IsZero() {
		r["expires"] = f.expires.Format(time.RFC3339)
	}
	return r
}

// cache runs memocache with args and returns its exit status and output.
func cache(t *testing.T, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	status = run(context.Background(), args, &out, &errOut)
	return status, out.String(), errOut.String()
}

// fixedNow is the time that tables show times against in these tests:
// three hours after the fixtures were computed.
var fixedNow = created.Add(3 * time.Hour)

func TestMain(m *testing.M) {
	now = func() time.Time { return fixedNow }
	os.Exit(m.Run())
}

// decodeJSON runs "memocache" with args, which must succeed, and
// returns its output decoded.
func decodeJSON[T any](t *testing.T, args ...string) T {
	t.Helper()
	status, stdout, stderr := cache(t, args...)
	if status != 0 {
		t.Fatalf("memocache %q: status %d, stderr %q; want 0", args, status, stderr)
	}
	var v T
	if err := json.Unmarshal([]byte(stdout), &v); err != nil {
		t.Fatalf("memocache %q printed %q: %v", args, stdout, err)
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

// TestCacheActsOnEveryInstantiation stores results of three instantiations
// of a generic function, and of a function whose name starts alike, and
// checks that the generic name without type arguments names all three.
func TestCacheActsOnEveryInstantiation(t *testing.T) {
	t.Parallel()
	u, b := fileCache(t)
	name := "cachetest-" + t.Name()
	memo.Register(name, b)
	t.Cleanup(func() { memo.Unregister(name) })
	store := func(f *memoimpl.Func) {
		c := f.Begin(context.Background())
		c.Key().Text("k")
		if _, ok := memoimpl.Lookup[int](c, false); ok {
			t.Fatalf("%s: a hit in an empty cache", f.ID())
		}
		memoimpl.Run(c, func() (int, error) { return 1, nil })
	}
	show := memoimpl.NewGeneric(memoimpl.FuncInfo{Package: "example.com/fmt", Name: "Show", Backend: name, Codec: "json"})
	store(memoimpl.Instance[int](show))
	store(memoimpl.Instance[string](show))
	store(memoimpl.Instance[[]byte](show))
	store(memoimpl.NewFunc(memoimpl.FuncInfo{Package: "example.com/fmt", Name: "Shows", Backend: name, Codec: "json"}))

	rows := decodeJSON[[]entryRow](t, "ls", u, "example.com/fmt.Show", "-json")
	var fns []string
	for _, r := range rows {
		fns = append(fns, r.Function)
	}
	if want := []string{"example.com/fmt.Show[[]uint8]", "example.com/fmt.Show[int]", "example.com/fmt.Show[string]"}; !slices.Equal(fns, want) {
		t.Errorf("ls example.com/fmt.Show listed %q; want %q", fns, want)
	}
	status, stdout, stderr := cache(t, "clear", u, "example.com/fmt.Show")
	if !regexp.MustCompile(`^cleared 3 entries, \d+ B\n$`).MatchString(stdout) || status != 0 {
		t.Errorf("clear example.com/fmt.Show: status %d, stdout %q, stderr %q; want 0, cleared 3 entries", status, stdout, stderr)
	}
	rows = decodeJSON[[]entryRow](t, "-json", "ls", u)
	if len(rows) != 1 || rows[0].Function != "example.com/fmt.Shows" {
		t.Errorf("-json ls after clear example.com/fmt.Show = %+v; want the one entry of example.com/fmt.Shows", rows)
	}
	status, _, stderr = cache(t, "clear", u, "example.com/fmt.Show")
	if want := "memocache clear: no entries of example.com/fmt.Show; did you mean \"example.com/fmt.Shows\"?\nthe cache holds entries of example.com/fmt.Shows\n"; status != 1 || stderr != want {
		t.Errorf("clear example.com/fmt.Show again: status %d, stderr %q; want 1, %q", status, stderr, want)
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	status, stdout, stderr := cache(t, "-version")
	if status != 0 || !regexp.MustCompile(`^memocache (\(devel\)|v\S+)\n$`).MatchString(stdout) || stderr != "" {
		t.Errorf("memocache -version: status %d, stdout %q, stderr %q; want 0, memocache and a version", status, stdout, stderr)
	}
}
