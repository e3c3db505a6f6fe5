package file_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/memogen/memogen/backends/backendtest"
	"github.com/memogen/memogen/backends/file"
	_ "github.com/memogen/memogen/codecs/json"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
	"github.com/memogen/memogen/runtime/store"
)

type user struct {
	Name string `json:"name"`
	ID   int64  `json:"id"`
}

// TestThroughRuntime drives a store with the calls generated wrappers make:
// results are cached in files of the documented form, and a damaged file
// is a miss that replaces it.
func TestThroughRuntime(t *testing.T) {
	t.Parallel()
	s, dir := newStore(t, file.Options{MaxEntries: 100})
	memo.Register("filetest", s)
	t.Cleanup(func() { memo.Unregister("filetest") })

	info := memoimpl.FuncInfo{
		Package:     "example.com/p",
		Name:        "F",
		Fingerprint: "00000000000000000000000000000001",
		Backend:     "filetest",
		Codec:       "json",
		Errors:      true,
		TTL:         time.Hour,
	}
	var runs atomic.Int64
	call := func(f *memoimpl.Func, id int64) user {
		t.Helper()
		c := f.Begin(context.Background())
		c.Key().Int(id)
		if r, ok := memoimpl.Lookup[user](c, false); ok {
			return r
		}
		c.Summarize(func() string { return memoimpl.Describe("id", id) })
		r, err := memoimpl.Run(c, func() (user, error) {
			runs.Add(1)
			return user{Name: "Ada", ID: id}, nil
		})
		if err != nil {
			t.Fatalf("Run = %v", err)
		}
		return r
	}
	want := user{Name: "Ada", ID: 42}
	check := func(f *memoimpl.Func, wantRuns int64) {
		t.Helper()
		if got := call(f, 42); got != want || runs.Load() != wantRuns {
			t.Fatalf("call(42) = %+v after %d runs; want %+v after %d", got, runs.Load(), want, wantRuns)
		}
	}

	f := memoimpl.NewFunc(info)
	check(f, 1)
	check(f, 1)
	if st := f.Stats(); st.Hits != 1 || st.Misses != 1 {
		t.Errorf("Stats = %+v; want 1 hit, 1 miss", st)
	}

	// The entry is a file at the documented path: a metadata line, then
	// JSON.
	paths, _ := filepath.Glob(filepath.Join(dir, "example.com", "p", "F", "*"))
	if len(paths) != 1 || !regexp.MustCompile(`/[0-9a-f]{32}\.json$`).MatchString(filepath.ToSlash(paths[0])) {
		t.Fatalf("files in example.com/p/F = %q; want one <32 hex digits>.json", paths)
	}
	path := paths[0]
	readEntry := func() (meta string, payload []byte) {
		t.Helper()
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		line, payload, _ := bytes.Cut(data, []byte("\n"))
		return string(line), payload
	}
	meta, payload := readEntry()
	if !strings.HasPrefix(meta, "memo2 json ") || !strings.HasSuffix(meta, ` "id=42"`) {
		t.Errorf("metadata line = %q; want memo2 json … \"id=42\"", meta)
	}
	var got user
	if err := json.Unmarshal(payload, &got); err != nil || got != want {
		t.Errorf("payload %q decodes to %+v, %v; want %+v", payload, got, err, want)
	}

	// A damaged entry is a miss: the runtime counts it, deletes it and
	// stores the recomputed result in its place.
	valid, _ := os.ReadFile(path)
	damage := []struct {
		name    string
		content []byte
	}{
		{"garbage", []byte("garbage\n{}")},
		{"truncated payload", valid[:len(valid)-3]},
		{"truncated metadata", valid[:20]},
		{"empty", nil},
	}
	for i, d := range damage {
		if err := os.WriteFile(path, d.content, 0o600); err != nil {
			t.Fatal(err)
		}
		check(f, int64(2+i))
		if st := f.Stats(); st.Corrupt != uint64(1+i) {
			t.Errorf("after a %s entry: Stats.Corrupt = %d; want %d", d.name, st.Corrupt, 1+i)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("after a %s entry: %v; want the entry replaced", d.name, err)
		}
		if _, err := store.DecodeEntry(data); err != nil {
			t.Errorf("after a %s entry: the file holds %q: %v; want a valid entry", d.name, data, err)
		}
		check(f, int64(2+i))
	}
	runsBefore := runs.Load()

	// Another fingerprint is another key: the old entry is not used.
	info.Fingerprint = "00000000000000000000000000000002"
	f2 := memoimpl.NewFunc(info)
	check(f2, runsBefore+1)
	check(f2, runsBefore+1)
	if paths, _ := filepath.Glob(filepath.Join(dir, "example.com", "p", "F", "*.json")); len(paths) != 2 {
		t.Errorf("after a fingerprint change, files = %q; want the old entry and the new", paths)
	}
	check(f, runsBefore+1) // the old code's entry is still there for it
}

// An entry file renamed over another argument's, or copied into another
// function's directory, is a miss: its metadata line names the key it
// answers, under the checksum, and the runtime compares it with the key
// it read the file under.
func TestEntryFilesAnswerForOneKey(t *testing.T) {
	t.Parallel()
	s, dir := newStore(t, file.Options{})
	swap := func(t *testing.T, a, c store.Key) {
		t.Helper()
		pa, pc := pathOf(dir, a), pathOf(dir, c)
		tmp := pa + ".swap"
		for _, mv := range [][2]string{{pa, tmp}, {pc, pa}, {tmp, pc}} {
			if err := os.Rename(mv[0], mv[1]); err != nil {
				t.Fatal(err)
			}
		}
	}
	place := func(t *testing.T, from, to store.Key) {
		t.Helper()
		data, err := os.ReadFile(pathOf(dir, from))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(pathOf(dir, to), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	backendtest.EntryKeys(t, s, swap, place)
}
