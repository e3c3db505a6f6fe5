// Package file is memogen's file-system backend: one file per entry under a
// directory, which every process of one user may share.
//
// Importing it registers the "file" URL scheme, so that
//
//	MEMO_BACKEND_<NAME>=file:///var/cache/myapp?max_bytes=1GiB&max_entries=100000
//
// binds a backend from the environment; see [ParseURL] for the form.
//
// # Layout
//
// Each entry is one file:
//
//	<dir>/<import path>/<func>/<digest>.<ext>
//
// <import path> is the package of the memoized function, its slashes making
// directories; <func> is the function's name, "Type.Method" for a method;
// <digest> is the key's 32 hex digits; <ext> is the codec spec with "+"
// replaced by ".", such as "json" or "msgpack.zstd", or "bin" for an empty
// spec. A file holds exactly the bytes the runtime stored: a line of
// metadata (see [memo.Entry]), then the encoded result. cat shows when an
// entry was computed, when it expires, the digest of the key it answers
// (the file's own name: a file renamed, copied or swapped to another path
// is a miss, which the runtime deletes) and for which arguments, and a
// JSON entry shows its result:
//
//	$ cat /var/cache/myapp/example.com/users/Fetch/0c3e…41.json
//	memo2 json 1700000000000000000 1700000600000000000 0c3e…41 5f0e… "id=42"
//	{"name":"Ada"}
//
// Names that start with a dot belong to the store itself (files being
// written, directories being cleared); listings skip them, and no path
// element of a key may start with one. A package whose import path is
// another package's path followed by one of that package's function names
// nests inside that function's directory, so clearing the function also
// drops the nested package's entries, which costs only their recomputation.
//
// # Atomicity and sharing
//
// A write goes to a temporary file in the entry's directory, which is
// synced, closed and renamed over the entry: a reader sees the old entry or
// the new one, never a torn one, however many goroutines and processes
// write the same key. Processes share a directory with no lock and no
// daemon, relying on rename alone. [Store.Clear] renames the function's
// directory away before removing it, so that its entries vanish at once; a
// write that loses its directory this way starts again in a new one.
//
// Expiry is read from an entry's metadata line with the system clock: Get
// reports an expired entry as [memo.ErrNotFound], and the file stays until
// [Store.Prune], eviction or a new result replaces it. A file whose metadata
// line cannot be parsed is returned as it is, for the runtime to detect the
// corruption and delete the entry.
//
// # Bounds
//
// Options.MaxBytes and Options.MaxEntries bound the store, least recently
// used entries evicted first. An entry's modification time is its recency:
// Set sets it and Get refreshes it when it is more than a minute old, which
// every process sharing the directory sees. When a Set takes the store over a bound, the store scans
// its directory and removes the least recently used entries until it holds
// at most MaxEntries − MaxEntries/10 entries and MaxBytes − MaxBytes/10
// bytes, so that a full store does not scan on every write (ccache cleans up
// to a fraction of its limit for the same reason). The entry just written
// is never evicted by its own Set.
//
// To notice crossing a bound, each process counts the entries and bytes it
// adds and removes, starting from a scan on its first Set. It scans again
// every 1000 Sets, and whenever its count crosses a bound, but it does not
// see other processes' writes in between, so with several processes the
// bounds hold approximately: the directory may exceed them until some
// process's count or periodic scan catches up.
//
// # Permissions
//
// Directories are created with mode 0700 and files with mode 0600, because
// results may be as private as the data they were computed from. Processes
// sharing a directory must therefore run as the same user.
package file

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/memogen/memogen/backends/internal/urlopt"
	memo "github.com/memogen/memogen/runtime"
)

// ErrInvalidKey reports a key or function that cannot name a file inside
// the store's directory.
var ErrInvalidKey = errors.New("file: invalid key")

// Options configure a Store.
type Options struct {
	// Dir is the directory the entries live under. It is created, with its
	// parents, on the first Set. A relative Dir is resolved against the
	// working directory when the store is created. Required.
	Dir string
	// MaxBytes bounds the total size of the entry files; 0 means no bound.
	MaxBytes int64
	// MaxEntries bounds the number of entries; 0 means no bound.
	MaxEntries int
}

// A Store is a [memo.Backend] keeping each entry in a file under a
// directory. It is safe for concurrent use, and several processes may use
// one directory at the same time.
type Store struct {
	dir      string // absolute and clean
	opts     Options
	usage    usage
	funcDirs sync.Map // memo.FuncID → its checked entry directory
}

var (
	_ memo.Backend = (*Store)(nil)
	_ memo.Lister  = (*Store)(nil)
	_ memo.Pruner  = (*Store)(nil)
)

// New returns a store of the entries under opts.Dir. It does not touch the
// file system.
func New(opts Options) (*Store, error) {
	switch {
	case opts.Dir == "":
		return nil, errors.New("file: Options.Dir is empty")
	case opts.MaxBytes < 0:
		return nil, fmt.Errorf("file: Options.MaxBytes is %d; want 0 (no bound) or more", opts.MaxBytes)
	case opts.MaxEntries < 0:
		return nil, fmt.Errorf("file: Options.MaxEntries is %d; want 0 (no bound) or more", opts.MaxEntries)
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("file: Options.Dir: %w", err)
	}
	return &Store{dir: dir, opts: opts}, nil
}

// Must returns s, and panics if err is not nil. It suits package-level
// variables: var cache = file.Must(file.New(opts)).
func Must(s *Store, err error) *Store {
	if err != nil {
		panic(err)
	}
	return s
}

// ParseURL returns the options that a URL of the form
//
//	file:///absolute/path?max_bytes=N&max_entries=N
//
// describes. The path, with three slashes, sets Options.Dir. Both
// parameters are optional: max_bytes sets Options.MaxBytes, a size such as
// 1073741824 or 1GiB, and max_entries sets Options.MaxEntries; absent or 0
// means no bound. An unknown, repeated or malformed parameter is an error.
func ParseURL(rawURL string) (Options, error) {
	u, q, err := urlopt.Parse("file", rawURL, "file")
	if err != nil {
		return Options{}, err
	}
	const form = "want file:///absolute/path"
	switch {
	case u.Opaque != "":
		return Options{}, fmt.Errorf("file: URL path %q is relative; %s", u.Opaque, form)
	case u.User != nil || u.Host != "":
		return Options{}, fmt.Errorf("file: URL host %q: %s (three slashes)", u.Host, form)
	case u.Path == "" || !filepath.IsAbs(filepath.FromSlash(u.Path)):
		return Options{}, fmt.Errorf("file: URL path %q is not absolute; %s", u.Path, form)
	}
	opts := Options{
		Dir:        filepath.Clean(filepath.FromSlash(u.Path)),
		MaxBytes:   q.Bytes("max_bytes"),
		MaxEntries: q.Int("max_entries", 0, math.MaxInt),
	}
	if err := q.Err(); err != nil {
		return Options{}, err
	}
	return opts, nil
}

// open is the opener of file:// URLs.
func open(u *url.URL) (memo.Backend, error) {
	opts, err := ParseURL(u.String())
	if err != nil {
		return nil, err
	}
	return New(opts)
}

func init() { memo.RegisterScheme("file", open) }

// Get returns the entry stored under key, or memo.ErrNotFound if there is
// none or it has expired. A hit makes the entry the most recently used.
func (s *Store) Get(ctx context.Context, key memo.Key) ([]byte, error) {
	path, err := s.entryPath(key)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	data, modified, err := readFile(path)
	switch {
	case absent(err):
		return nil, memo.ErrNotFound
	case err != nil:
		return nil, fmt.Errorf("file: get: %w", err)
	}
	now := time.Now()
	if entryExpired(data, now) {
		return nil, memo.ErrNotFound
	}
	// Recency is best effort, and coarse: a read-only directory still
	// serves hits, and an entry used in the last touchInterval is not
	// touched again, which spares a system call on most hits.
	if now.Sub(modified) >= touchInterval {
		_ = os.Chtimes(path, now, now)
	}
	return data, nil
}

// touchInterval is the granularity of recency: a hit refreshes an entry's
// modification time only when it is older than this.
const touchInterval = time.Minute

// Set stores value under key, replacing any entry atomically. An expires
// already past removes the key instead. Expiry is otherwise read back from
// value's metadata line, so a value that is not a stored entry never
// expires here.
func (s *Store) Set(ctx context.Context, key memo.Key, value []byte, expires time.Time) error {
	path, err := s.entryPath(key)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if !expires.IsZero() && !time.Now().Before(expires) {
		return s.remove(path)
	}
	old := s.sizeIfCounted(path)
	if err := writeFile(path, value); err != nil {
		return fmt.Errorf("file: set: %w", err)
	}
	if err := s.added(ctx, path, int64(len(value)), old); err != nil {
		return fmt.Errorf("file: stored %s but evicting failed: %w", path, err)
	}
	return nil
}

// Delete removes key; deleting an absent key is not an error.
func (s *Store) Delete(ctx context.Context, key memo.Key) error {
	path, err := s.entryPath(key)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.remove(path)
}

// Clear removes every entry of fn: it renames fn's directory to a
// temporary name under the store's directory, which takes the entries away
// at once, then removes that directory.
func (s *Store) Clear(ctx context.Context, fn memo.FuncID) error {
	dir, err := s.funcDir(fn)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	trash := filepath.Join(s.dir, clearPrefix+rand.Text())
	if err := os.Rename(dir, trash); err != nil {
		if absent(err) {
			return nil
		}
		return fmt.Errorf("file: clear %s: %w", fn, err)
	}
	if s.bounded() {
		s.usage.removed(countEntries(trash))
	}
	// The entries are gone; removing their files is housekeeping. A write
	// that resolved the directory's old name before the rename can still
	// create its temporary file in it, making the first removal fail; what
	// a second one leaves, Prune collects.
	if os.RemoveAll(trash) != nil {
		_ = os.RemoveAll(trash)
	}
	return nil
}

// remove deletes the entry file at path, counting it out.
func (s *Store) remove(path string) error {
	size := s.sizeIfCounted(path)
	err := os.Remove(path)
	switch {
	case absent(err):
		return nil
	case err != nil:
		return fmt.Errorf("file: delete: %w", err)
	}
	if size >= 0 {
		s.usage.removed(1, size)
	}
	return nil
}

// sizeIfCounted returns the size of the file at path when the store counts
// its usage and the file exists, else -1.
func (s *Store) sizeIfCounted(path string) int64 {
	if !s.bounded() {
		return -1
	}
	fi, err := os.Lstat(path)
	if err != nil {
		return -1
	}
	return fi.Size()
}

// absent reports whether err means that there is no file at a path: it or
// a directory on the way is missing, or a file stands where a directory
// should.
func absent(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}
