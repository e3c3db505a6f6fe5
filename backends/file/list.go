package file

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	memo "github.com/memogen/memogen/runtime"
)

// staleAfter is how old a temporary file or directory must be for Prune to
// take it for the leftover of a crashed process rather than work in
// progress.
const staleAfter = time.Hour

// List calls yield for each entry of fn, or of every function when fn is
// the zero FuncID, in lexical order of their paths, until yield returns
// false. The entries of fn do not include those of a package nested in its
// directory. Created, Expires and Summary come from each file's metadata line
// and are left zero when it cannot be parsed; Size is the file's size.
func (s *Store) List(ctx context.Context, fn memo.FuncID, yield func(memo.StoredEntry) bool) error {
	root, recursive := s.dir, true
	if fn != (memo.FuncID{}) {
		dir, err := s.funcDir(fn)
		if err != nil {
			return err
		}
		root, recursive = dir, false
	}
	err := s.walk(ctx, root, recursive, func(path string, key memo.Key, _ fs.DirEntry) error {
		e, err := readEntry(path, key)
		switch {
		case err != nil:
			return err
		case e.info == nil:
			return nil
		case !yield(e.StoredEntry):
			return fs.SkipAll
		}
		return nil
	}, nil)
	if err != nil {
		return fmt.Errorf("file: list: %w", err)
	}
	return nil
}

// Prune removes expired entries, entries of the previous format (which no
// reader serves, see [memo.ErrOldEntry]), and the temporary files and
// directories that crashed processes, or writes racing a Clear, left behind
// more than an hour ago. It reports the entries removed and the bytes
// freed, leftovers included.
func (s *Store) Prune(ctx context.Context) (memo.PruneStats, error) {
	var stats memo.PruneStats
	var entryBytes int64
	now := time.Now()
	pruneEntry := func(path string, key memo.Key, _ fs.DirEntry) error {
		e, err := readEntry(path, key)
		if err != nil || e.info == nil || !e.Expired(now) && !e.old {
			return err
		}
		removed, err := removeIfUnchanged(path, e.info)
		if removed {
			stats.Entries++
			entryBytes += e.info.Size()
		}
		return err
	}
	pruneLeftover := func(path string, d fs.DirEntry) error {
		if !strings.HasPrefix(d.Name(), tempPrefix) && !strings.HasPrefix(d.Name(), clearPrefix) {
			return nil
		}
		fi, err := d.Info()
		if err != nil || now.Sub(fi.ModTime()) < staleAfter {
			return nil
		}
		size := fi.Size()
		if d.IsDir() {
			size = treeSize(path)
		}
		if err := os.RemoveAll(path); err != nil {
			return err
		}
		stats.Bytes += size
		return nil
	}
	err := s.walk(ctx, s.dir, true, pruneEntry, pruneLeftover)
	stats.Bytes += entryBytes
	s.usage.removed(stats.Entries, entryBytes)
	if err != nil {
		return stats, fmt.Errorf("file: prune: %w", err)
	}
	return stats, nil
}

// walk visits the entry files in the tree at root in lexical order, calling
// entry with each one's key. With recursive false it stays in root itself:
// a function's directory, whose subdirectories are nested packages. Names
// starting with a dot are the store's own: walk passes them to dot, if not
// nil, and never descends into them. What vanishes during the walk is
// skipped, since other processes may be removing entries; so is a missing
// root.
func (s *Store) walk(ctx context.Context, root string, recursive bool,
	entry func(path string, key memo.Key, d fs.DirEntry) error,
	dot func(path string, d fs.DirEntry) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	// A trailing separator makes WalkDir enter root even when it is a
	// symbolic link, as a cache directory often is.
	root += string(filepath.Separator)
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if absent(err) {
				return nil
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if path == root {
			return nil
		}
		switch {
		case strings.HasPrefix(d.Name(), "."):
			if dot != nil {
				if err := dot(path, d); err != nil {
					return err
				}
			}
			if d.IsDir() {
				return fs.SkipDir
			}
		case d.IsDir():
			if !recursive {
				return fs.SkipDir
			}
		case d.Type().IsRegular():
			if key, ok := s.keyOf(path); ok {
				return entry(path, key, d)
			}
		}
		return nil
	})
}

// removeIfUnchanged removes the file at path if it is still the one fi
// describes: not replaced by a newer entry, nor used, since fi was taken.
func removeIfUnchanged(path string, fi fs.FileInfo) (bool, error) {
	cur, err := os.Lstat(path)
	if err == nil && (!os.SameFile(fi, cur) || !cur.ModTime().Equal(fi.ModTime())) {
		return false, nil
	}
	if err == nil {
		err = os.Remove(path)
	}
	if absent(err) {
		return false, nil
	}
	return err == nil, err
}

// treeSize returns the total size of the regular files in the tree at root.
func treeSize(root string) int64 {
	var size int64
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				size += fi.Size()
			}
		}
		return nil
	})
	return size
}
