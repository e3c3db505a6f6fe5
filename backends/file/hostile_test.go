//go:build unix

package file_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/memogen/memogen/backends/file"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
)

// hostileLimit is the Config.MaxEntryBytes of the tests of entries that a
// hostile process sharing the directory put in place.
const hostileLimit = 4096

// hostileFunc binds a fresh store to a name, configures the runtime with a
// small entry limit, and returns a memoized function of it whose first call
// has stored its entry; call runs it, runs counts its executions and path
// is its entry's file. Tests using it must not be parallel: the Config is
// shared.
func hostileFunc(t *testing.T) (f *memoimpl.Func, call func() user, runs *atomic.Int64, path string) {
	t.Helper()
	s, dir := newStore(t, file.Options{})
	name := "filehostile"
	memo.Register(name, s)
	t.Cleanup(func() { memo.Unregister(name) })
	memo.Configure(memo.Config{MaxEntryBytes: hostileLimit})
	t.Cleanup(func() { memo.Configure(memo.Config{}) })
	f = memoimpl.NewFunc(memoimpl.FuncInfo{
		Package: "example.com/hostile", Name: "F", Fingerprint: "00000000000000000000000000000001",
		Backend: name, Codec: "json", Errors: true,
	})
	runs = new(atomic.Int64)
	call = func() user {
		t.Helper()
		c := f.Begin(context.Background())
		c.Key().Int(7)
		if r, ok := memoimpl.Lookup[user](c, false); ok {
			return r
		}
		r, err := memoimpl.Run(c, func() (user, error) {
			runs.Add(1)
			return user{Name: "Ada", ID: 7}, nil
		})
		if err != nil {
			t.Fatalf("Run = %v", err)
		}
		return r
	}
	call()
	paths, _ := filepath.Glob(filepath.Join(dir, "example.com", "hostile", "F", "*.json"))
	if len(paths) != 1 {
		t.Fatalf("entry files = %q; want one", paths)
	}
	return f, call, runs, paths[0]
}

// checkRuns calls and checks the result and the number of runs so far.
func checkRuns(t *testing.T, call func() user, runs *atomic.Int64, want int64) {
	t.Helper()
	if got := call(); got != (user{Name: "Ada", ID: 7}) || runs.Load() != want {
		t.Fatalf("call() = %+v after %d runs; want {Ada 7} after %d", got, runs.Load(), want)
	}
}

// A sparse entry file of a gigabyte is refused by its size, unread: the
// runtime takes it for a corrupt entry, deletes it and recomputes, and the
// read allocates nothing near the file's size.
func TestHugeEntryIsCorruptNotRead(t *testing.T) {
	f, call, runs, path := hostileFunc(t)
	const huge = 1 << 30
	if err := os.Truncate(path, huge); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	checkRuns(t, call, runs, 2)
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > huge/64 {
		t.Errorf("reading a %d-byte entry allocated %d bytes; want well below its size", huge, alloc)
	}
	if st := f.Stats(); st.Corrupt != 1 || st.Failures != 0 {
		t.Errorf("Stats = %+v; want 1 corrupt entry, no failure", st)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() > hostileLimit {
		t.Fatalf("Stat(entry) = %v, %v; want the huge file replaced by the recomputed entry", fi, err)
	}
	checkRuns(t, call, runs, 2) // a hit again
}

// A file that grows past the limit after its size was checked is read no
// further than one byte over it; this one is simply over it from the start
// by a byte.
func TestEntryOneByteOverLimitIsCorrupt(t *testing.T) {
	f, call, runs, path := hostileFunc(t)
	if err := os.Truncate(path, hostileLimit+1); err != nil {
		t.Fatal(err)
	}
	checkRuns(t, call, runs, 2)
	if st := f.Stats(); st.Corrupt != 1 || st.Failures != 0 {
		t.Errorf("Stats = %+v; want 1 corrupt entry, no failure", st)
	}
}

// A FIFO at an entry's path would block an open for reading until a writer
// came: the store opens without waiting, and takes what is not a regular
// file for a miss, which the recomputed entry replaces.
func TestFIFOAtEntryPathIsAMiss(t *testing.T) {
	f, call, runs, path := hostileFunc(t)
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	checkRuns(t, call, runs, 2)
	if st := f.Stats(); st.Corrupt != 0 || st.Failures != 0 {
		t.Errorf("Stats = %+v; want no corrupt entry, no failure", st)
	}
	if fi, err := os.Lstat(path); err != nil || !fi.Mode().IsRegular() {
		t.Fatalf("Lstat(entry) = %v, %v; want the recomputed entry in the FIFO's place", fi, err)
	}
	checkRuns(t, call, runs, 2)
}

// A symbolic link at an entry's path is not followed, and not the store's:
// a miss, not a failing backend; the link's target is left alone.
func TestSymlinkAtEntryPathIsAMiss(t *testing.T) {
	f, call, runs, path := hostileFunc(t)
	target := filepath.Join(t.TempDir(), "target")
	if err := os.Rename(path, target); err != nil {
		t.Fatal(err)
	}
	valid, _ := os.ReadFile(target)
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
	checkRuns(t, call, runs, 2)
	if st := f.Stats(); st.Corrupt != 0 || st.Failures != 0 {
		t.Errorf("Stats = %+v; want no corrupt entry, no failure", st)
	}
	if data, err := os.ReadFile(target); err != nil || string(data) != string(valid) {
		t.Errorf("the link's target holds %q, %v; want it untouched", data, err)
	}
	checkRuns(t, call, runs, 2)
}

// A directory at an entry's path makes that entry unstorable: a miss and a
// failed store, counted, but not an outage that would cool the store down
// for every function. The directory is left alone.
func TestDirectoryAtEntryPathIsNotAnOutage(t *testing.T) {
	f, call, runs, path := hostileFunc(t)
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(path, 0o700); err != nil {
		t.Fatal(err)
	}
	checkRuns(t, call, runs, 2)
	checkRuns(t, call, runs, 3) // no cooldown: the read is tried, and misses
	// Cooling down, the third call would have run uncached, not as a miss.
	if st := f.Stats(); st.Failures != 2 || st.Misses != 3 {
		t.Errorf("Stats = %+v; want 3 misses and 2 failures (the two stores)", st)
	}
	if fi, err := os.Lstat(path); err != nil || !fi.IsDir() {
		t.Errorf("the directory at the entry's path = %v, %v; want it left alone", fi, err)
	}
}
