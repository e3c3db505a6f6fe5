package file

import (
	"cmp"
	"context"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	memo "github.com/memogen/memogen/runtime"
)

// rescanEvery is how many Sets a bounded store counts by itself before it
// scans its directory again to see what other processes did.
const rescanEvery = 1000

// usage is this process's count of a bounded store's entries and bytes.
// A scan makes it exact; the process's own Sets and removals keep it up to
// date; other processes' changes show only at the next scan.
type usage struct {
	mu      sync.Mutex
	scanned bool  // whether a scan has run; guarded by mu
	entries int   // guarded by mu
	bytes   int64 // guarded by mu
	sets    int   // Sets counted since the last scan; guarded by mu

	scanning atomic.Bool // set while one goroutine scans and evicts
}

// removed counts n entries of size bytes out.
func (u *usage) removed(n int, size int64) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.scanned {
		u.entries -= n
		u.bytes -= size
	}
}

// bounded reports whether the store has bounds to keep, and so counts.
func (s *Store) bounded() bool { return s.opts.MaxBytes > 0 || s.opts.MaxEntries > 0 }

// over reports whether entries and bytes exceed a bound.
func (s *Store) over(entries int, bytes int64) bool {
	return s.opts.MaxEntries > 0 && entries > s.opts.MaxEntries ||
		s.opts.MaxBytes > 0 && bytes > s.opts.MaxBytes
}

// underTarget reports whether entries and bytes are within the level
// eviction brings a full store down to: a tenth below each bound.
func (s *Store) underTarget(entries int, bytes int64) bool {
	maxEntries, maxBytes := s.opts.MaxEntries, s.opts.MaxBytes
	return (maxEntries == 0 || entries <= maxEntries-maxEntries/10) &&
		(maxBytes == 0 || bytes <= maxBytes-maxBytes/10)
}

// added counts the entry of size bytes just written at path, which
// replaced one of old bytes, or none when old is negative, and scans and
// evicts when the count crosses a bound or is due for a check.
func (s *Store) added(ctx context.Context, path string, size, old int64) error {
	if !s.bounded() {
		return nil
	}
	u := &s.usage
	u.mu.Lock()
	if u.scanned {
		if old < 0 {
			u.entries++
			old = 0
		}
		u.bytes += size - old
		u.sets++
	}
	due := !u.scanned || u.sets >= rescanEvery || u.entries < 0 || u.bytes < 0 ||
		s.over(u.entries, u.bytes)
	u.mu.Unlock()
	if !due {
		return nil
	}
	return s.scanAndEvict(ctx, path)
}

// storedFile is an entry file found by a scan.
type storedFile struct {
	path string
	info fs.FileInfo
}

// scanAndEvict counts the store's entries afresh and, if they exceed a
// bound, removes the least recently used until they are under target,
// sparing keep, the entry the caller just wrote. One goroutine does this
// at a time; others skip it, since its scan will do.
func (s *Store) scanAndEvict(ctx context.Context, keep string) error {
	u := &s.usage
	if !u.scanning.CompareAndSwap(false, true) {
		return nil
	}
	defer u.scanning.Store(false)
	var files []storedFile
	var entries int
	var bytes int64
	err := s.walk(ctx, s.dir, true, func(path string, _ memo.Key, d fs.DirEntry) error {
		fi, err := d.Info()
		if absent(err) {
			return nil
		}
		if err != nil {
			return err
		}
		files = append(files, storedFile{path, fi})
		entries++
		bytes += fi.Size()
		return nil
	}, nil)
	if err != nil {
		return err
	}
	if s.over(entries, bytes) {
		slices.SortFunc(files, func(a, b storedFile) int {
			return cmp.Or(a.info.ModTime().Compare(b.info.ModTime()), strings.Compare(a.path, b.path))
		})
		for _, f := range files {
			if s.underTarget(entries, bytes) {
				break
			}
			if f.path == keep {
				continue
			}
			// An entry used or replaced since the scan is no longer the
			// least recently used; it stays.
			removed, rerr := removeIfUnchanged(f.path, f.info)
			if rerr != nil {
				err = rerr
				break
			}
			if removed {
				entries--
				bytes -= f.info.Size()
			}
		}
	}
	u.mu.Lock()
	u.scanned, u.entries, u.bytes, u.sets = true, entries, bytes, 0
	u.mu.Unlock()
	return err
}

// countEntries returns the number and total size of the entry files in the
// tree at root, a function's directory moved aside to be removed.
func countEntries(root string) (n int, size int64) {
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		if fi, err := d.Info(); err == nil {
			n++
			size += fi.Size()
		}
		return nil
	})
	return n, size
}
