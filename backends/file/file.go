// Package file is memogen's file-system backend: one file per entry under a
// directory, which every process of one user may share.
//
// Importing it registers the "file" URL scheme, so that
//
//	MEMO_BACKEND_<NAME>=file:///var/cache/myapp?max_bytes=1GiB&max_entries=100000
//
// binds a backend from the environment; see [ParseURL] for the form.
// trust_dir=1 accepts a directory that others may write to (see
// Permissions).
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
// metadata (see [store.Entry]), then the encoded result. cat shows when an
// entry was computed, when it expires, the digest of the key it answers
// (the file's own name: a file renamed, copied or swapped to another path
// is a miss, which the runtime deletes) and for which arguments, and a
// JSON entry shows its result:
//
//	$ cat /var/cache/myapp/example.com/users/Fetch/0c3e…41.json
//	memo2 json 1700000000000000000 1700000600000000000 0c3e…41 5f0e… "id=42"
//	{"name":"Ada"}
//
// The store keeps its own files in <dir>/.memogen: tmp/, where entries are
// written before they are renamed into place, and the count of entries that
// the processes sharing the directory keep together. No path element of a
// key may start with a dot, so no key reaches them.
//
// # What the store touches
//
// A directory may hold other files than entries: the store neither lists,
// evicts, prunes nor clears a file unless its name is an entry's and it
// starts with an entry's metadata line, and it removes a directory only
// when it has emptied it itself, with rmdir, which removes nothing else.
// Temporary files live in .memogen/tmp alone, and a failed write removes
// its own. A package whose import path is another package's path followed
// by one of that package's function names nests inside that function's
// directory; clearing the function leaves the nested package's entries.
//
// # Atomicity and sharing
//
// A write goes to a temporary file, which is synced, closed and renamed
// over the entry: a reader sees the old entry or the new one, never a torn
// one, however many goroutines and processes write the same key. Processes
// share a directory with no daemon, relying on rename, and on a flock
// around the few bytes of the shared count.
//
// Expiry is read from an entry's metadata line with the system clock: Get
// reports an expired entry as [store.ErrNotFound], and the file stays until
// [Store.Prune], eviction or a new result replaces it. A file whose metadata
// line cannot be parsed is returned as it is, for the runtime to detect the
// corruption and delete the entry.
//
// # Bounds
//
// Options.MaxBytes and Options.MaxEntries bound the store, least recently
// used entries evicted first. An entry's modification time is its recency:
// Set sets it and Get refreshes it when it is more than a minute old, which
// every process sharing the directory sees.
//
// The processes sharing a directory keep one count of its entries and
// bytes, in .memogen/usage, under a flock. A Set reserves its bytes, and
// its entry if the key is new, in that count before it writes, and settles
// after the rename, so that the entries plus the files being written never
// exceed a bound by more than its slack, a tenth of the bound and at least
// one entry or byte, however many goroutines and processes write. A Set
// that would go past that asks for eviction and waits, for up to three
// eviction rounds and no longer than its context allows, then fails with
// [ErrFull]; an entry larger than MaxBytes fails at once.
//
// Eviction runs on a goroutine of its own, in one process at a time, once a
// Set has taken the count over a bound: it scans the directory and removes
// the least recently used entries until the count is a tenth below each
// bound, so that a full store does not scan on every write. The scan also
// corrects the count for what it was not told: entries whose process
// crashed before counting them, files removed by hand. It runs every
// max(1000, entries) Sets as well. A reservation that is not settled within
// a minute or two, because its process crashed, is dropped. Until then the
// count may be off by such changes; otherwise it errs toward evicting,
// never toward holding more.
//
// # Permissions
//
// Directories are created with mode 0700 and files with mode 0600, because
// results may be as private as the data they were computed from. Processes
// sharing a directory must therefore run as the same user.
//
// An entry in the directory is returned to every caller, so the store
// refuses, with [ErrUnsafeDir], a directory that another user could write
// to: the root Dir, every directory below it, and any directory the store
// sets out to create on the way to Dir but finds made by someone else,
// must be owned by the process's effective user and writable by no group
// or other user. Neither may a directory below the root be a symbolic
// link, and entries are opened without following one. Dir itself may be a
// symbolic link owned by that user or by root. The directories above Dir
// that already exist are not checked: a world-writable parent such as /tmp
// is fine, since its sticky bit keeps others from renaming Dir away.
// New checks Dir when it exists, and every operation checks what it has not
// checked yet; a store that fails the check serves no call, and the runtime
// runs the calls uncached and reports why. Options.TrustDir, trust_dir=1 in
// a URL, accepts directories that other users own or may write to, for a
// cache shared on purpose; it still refuses symbolic links.
package file

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/memogen/memogen/backends/internal/urlopt"
	"github.com/memogen/memogen/runtime/store"
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
	// TrustDir accepts a Dir, or directories below it, that another user
	// owns or that group or others may write to; by default the store
	// refuses them with ErrUnsafeDir. It never accepts a symbolic link
	// below Dir.
	TrustDir bool
}

// A Store is a [store.Backend] keeping each entry in a file under a
// directory. It is safe for concurrent use, and several processes may use
// one directory at the same time.
type Store struct {
	dir       string // absolute and clean
	opts      Options
	funcDirs  sync.Map    // store.FuncID → *funcDir
	rootReady atomic.Bool // the root exists and passed its checks
	ownReady  atomic.Bool // the store's own directories exist and passed their checks
	usage     usage
	evictor   evictor
	foreign   sync.Map // path → fs.FileInfo of a file with an entry's name that is not one
	stats     struct{ evictions, scans, refused atomic.Uint64 }
}

var (
	_ store.Backend = (*Store)(nil)
	_ store.Lister  = (*Store)(nil)
	_ store.Pruner  = (*Store)(nil)
	_ io.Closer     = (*Store)(nil)
)

// New returns a store of the entries under opts.Dir. It creates nothing;
// if the directory exists, New checks that no other user may write to it
// (see Permissions in the package documentation).
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
	s := &Store{dir: dir, opts: opts}
	s.usage.token = make(chan struct{}, 1)
	// Other errors, such as a directory that cannot be read, are the
	// operations' to report.
	if err := s.checkRoot(false); errors.Is(err, ErrUnsafeDir) {
		return nil, err
	}
	return s, nil
}

// Must returns s, and panics if err is not nil. It suits package-level
// variables: var cache = file.Must(file.New(opts)).
func Must(s *Store, err error) *Store {
	if err != nil {
		panic(err)
	}
	return s
}

// ParseURL returns the options that a URL of one of the forms
//
//	file:///absolute/path?max_bytes=N&max_entries=N&trust_dir=1
//	file:relative/path?params
//	file:./relative/path?params
//
// describes. The path sets Options.Dir: after file:// it is absolute (three
// slashes); after file: alone it is relative to the working directory of
// the process when the store is created, as a relative Options.Dir is.
// Every parameter is optional: max_bytes sets Options.MaxBytes, a size
// such as 1073741824 or 1GiB, and max_entries sets Options.MaxEntries,
// absent or 0 meaning no bound; trust_dir sets Options.TrustDir. An
// unknown, repeated or malformed parameter is an error.
func ParseURL(rawURL string) (Options, error) {
	u, q, err := urlopt.Parse("file", rawURL, "file")
	if err != nil {
		return Options{}, err
	}
	const form = "want file:///absolute/path or file:relative/path"
	var dir string
	switch {
	case u.User != nil || u.Host != "":
		return Options{}, fmt.Errorf("file: URL host %q: want file:///absolute/path (three slashes) or file:relative/path", u.Host)
	case u.Opaque != "":
		p, err := url.PathUnescape(u.Opaque)
		if err != nil {
			return Options{}, fmt.Errorf("file: URL path %q: %w", u.Opaque, err)
		}
		dir = filepath.FromSlash(p)
		if filepath.IsAbs(dir) {
			return Options{}, fmt.Errorf("file: URL path %q is absolute; %s", u.Opaque, form)
		}
	case u.Path == "" || !filepath.IsAbs(filepath.FromSlash(u.Path)):
		return Options{}, fmt.Errorf("file: URL path %q is not absolute; %s", u.Path, form)
	default:
		dir = filepath.FromSlash(u.Path)
	}
	opts := Options{
		Dir:        filepath.Clean(dir),
		MaxBytes:   q.Bytes("max_bytes"),
		MaxEntries: q.Int("max_entries", 0, math.MaxInt),
		TrustDir:   q.Bool("trust_dir"),
	}
	if err := q.Err(); err != nil {
		return Options{}, err
	}
	return opts, nil
}

// open is the opener of file:// URLs.
func open(u *url.URL) (store.Backend, error) {
	opts, err := ParseURL(u.String())
	if err != nil {
		return nil, err
	}
	return New(opts)
}

func init() { store.RegisterScheme("file", open) }

// Get returns the entry stored under key, or store.ErrNotFound if there is
// none or it has expired. A hit makes the entry the most recently used.
// A file larger than the entry limit (store.DefaultLimits().MaxBytes) is
// not read: Get returns an error wrapping store.ErrTooLarge, for the runtime
// to delete it. A symbolic link, FIFO or device at the entry's path is
// neither followed, read nor waited on: Get reports store.ErrNotFound.
func (s *Store) Get(ctx context.Context, key store.Key) ([]byte, error) {
	path, dir, err := s.entryPath(key)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := s.prepare(dir, false); err != nil {
		if absent(err) {
			return nil, store.ErrNotFound
		}
		return nil, fmt.Errorf("file: get: %w", err)
	}
	data, modified, err := readFile(path, store.DefaultLimits().MaxBytes)
	switch {
	case absent(err), errors.Is(err, errNotRegular), err != nil && foreignAt(path):
		// A symbolic link, a FIFO or a device at an entry's path is not
		// the store's: a miss, which a new result replaces; the store
		// neither reads nor deletes it.
		return nil, store.ErrNotFound
	case err != nil:
		return nil, fmt.Errorf("file: get: %w", err)
	}
	now := time.Now()
	if entryExpired(data, now) {
		return nil, store.ErrNotFound
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
// expires here. With bounds, Set may wait for eviction, or fail with
// ErrFull; see Bounds in the package documentation.
func (s *Store) Set(ctx context.Context, key store.Key, value []byte, expires time.Time) error {
	path, dir, err := s.entryPath(key)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if !expires.IsZero() && !time.Now().Before(expires) {
		return s.remove(ctx, dir, path)
	}
	if err := s.prepare(dir, true); err != nil {
		return fmt.Errorf("file: set: %w", err)
	}
	old, entries := int64(-1), int64(1)
	if fi, err := os.Lstat(path); err == nil && fi.Mode().IsRegular() {
		old, entries = fi.Size(), 0
	}
	size := int64(len(value))
	minute, err := s.admit(ctx, entries, size)
	if err != nil {
		return err
	}
	err = s.writeFile(dir, path, value)
	if c := s.settle(ctx, minute, entries, size, old, err == nil); s.wantsRound(c) {
		s.kick(0)
	}
	if err != nil {
		if fi, lerr := os.Lstat(path); lerr == nil && !fi.Mode().IsRegular() {
			// A directory or another file that is not an entry holds the
			// entry's place: this entry cannot be stored, but the store is
			// not down, so the runtime must not cool it down.
			return fmt.Errorf("file: set: %w: %s is not a regular file: %w", store.ErrCorrupt, path, err)
		}
		return fmt.Errorf("file: set: %w", err)
	}
	return nil
}

// Delete removes key; deleting an absent key is not an error.
func (s *Store) Delete(ctx context.Context, key store.Key) error {
	path, dir, err := s.entryPath(key)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.remove(ctx, dir, path)
}

// remove deletes the entry file at path, in dir, counting it out.
func (s *Store) remove(ctx context.Context, dir *funcDir, path string) error {
	if err := s.prepare(dir, false); err != nil {
		if absent(err) {
			return nil
		}
		return fmt.Errorf("file: delete: %w", err)
	}
	fi, err := os.Lstat(path)
	if err == nil {
		err = os.Remove(path)
	}
	switch {
	case absent(err):
		return nil
	case err != nil:
		return fmt.Errorf("file: delete: %w", err)
	}
	if fi.Mode().IsRegular() {
		s.removed(ctx, 1, fi.Size())
	}
	return nil
}

// Clear removes every entry of fn, and then fn's directory and those of
// its package if that empties them. Files in fn's directory that are not
// entries stay, and so do the entries of a package nested in it.
func (s *Store) Clear(ctx context.Context, fn store.FuncID) error {
	dir, err := s.funcDir(fn)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.prepare(dir, false); err != nil {
		if absent(err) {
			return nil
		}
		return fmt.Errorf("file: clear %s: %w", fn, err)
	}
	ents, err := os.ReadDir(dir.path)
	if absent(err) {
		return nil
	}
	var n int
	var size int64
	for _, d := range ents {
		if err != nil {
			break
		}
		if err = ctx.Err(); err != nil || !d.Type().IsRegular() {
			continue
		}
		path := dir.path + string(filepath.Separator) + d.Name()
		key, ok := s.keyOf(path)
		if !ok {
			continue
		}
		e, rerr := readEntry(path, key)
		if err = rerr; err != nil || !e.isEntry || e.info == nil {
			continue
		}
		if err = os.Remove(path); absent(err) {
			err = nil
			continue
		}
		if err == nil {
			n++
			size += e.info.Size()
		}
	}
	s.removed(ctx, n, size)
	s.removeEmptied([]string{dir.path})
	if err != nil {
		return fmt.Errorf("file: clear %s: %w", fn, err)
	}
	return nil
}

// Close stops the store's eviction, if running, writes this process's
// changes to the shared count and closes the count's file. A closed store
// may still be used: it opens again what it needs.
func (s *Store) Close() error {
	s.stopEvicting()
	s.closeCounts()
	return nil
}

// errNotRegular reports a file at an entry's path that is not a regular
// file: a FIFO, a device, a socket or a directory.
var errNotRegular = errors.New("file: not a regular file")

// foreignAt reports whether what stands at path, not followed, is anything
// but a regular file: open fails on a symbolic link with an error that
// varies by system (ELOOP, EMLINK, EFTYPE), so a failed open asks again.
func foreignAt(path string) bool {
	fi, err := os.Lstat(path)
	return err == nil && !fi.Mode().IsRegular()
}

// absent reports whether err means that there is no file at a path: it or
// a directory on the way is missing, or a file stands where a directory
// should.
func absent(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}
