package file

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/memogen/memogen/runtime/store"
)

// staleAfter is how old a temporary file must be for Prune to take it for
// the leftover of a crashed process rather than a write in progress.
const staleAfter = time.Hour

// List calls yield for each entry of fn, or of every function when fn is
// the zero FuncID, in lexical order of their paths, until yield returns
// false. The entries of fn do not include those of a package nested in its
// directory. A file is an entry if it has an entry's name and starts with
// an entry's metadata line; other files are not the store's and are not
// listed. Created, Expires and Summary come from that line; Size is the
// file's size.
func (s *Store) List(ctx context.Context, fn store.FuncID, yield func(store.StoredEntry) bool) error {
	root, recursive := s.dir, true
	if fn != (store.FuncID{}) {
		dir, err := s.funcDir(fn)
		if err != nil {
			return err
		}
		if err := s.prepare(dir, false); err != nil {
			if absent(err) {
				return nil
			}
			return fmt.Errorf("file: list: %w", err)
		}
		root, recursive = dir.path, false
	} else if err := s.checkRoot(false); err != nil {
		if absent(err) {
			return nil
		}
		return fmt.Errorf("file: list: %w", err)
	}
	err := s.walk(ctx, root, recursive, func(path string, key store.Key, _ fs.DirEntry) error {
		e, err := readEntry(path, key)
		switch {
		case err != nil:
			return err
		case e.isEntry && !yield(e.StoredEntry):
			return fs.SkipAll
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("file: list: %w", err)
	}
	return nil
}

// Prune removes expired entries, entries of the previous format (which no
// reader serves, see [store.ErrOldEntry]), temporary files that crashed
// processes left more than an hour ago, and the directories it empties. It
// reports the entries removed and the bytes freed, temporary files
// included. It removes nothing else: no file that is not an entry, and no
// directory that is not empty.
func (s *Store) Prune(ctx context.Context) (store.PruneStats, error) {
	var stats store.PruneStats
	if err := s.checkRoot(false); err != nil {
		if absent(err) {
			return stats, ctx.Err()
		}
		return stats, fmt.Errorf("file: prune: %w", err)
	}
	var entryBytes int64
	emptied := make(map[string]bool)
	now := time.Now()
	err := s.walk(ctx, s.dir, true, func(path string, key store.Key, _ fs.DirEntry) error {
		e, err := readEntry(path, key)
		if err != nil || !e.isEntry || !e.Expired(now) && !e.old {
			return err
		}
		removed, err := removeIfUnchanged(path, e.info)
		if removed {
			stats.Entries++
			entryBytes += e.info.Size()
			emptied[filepath.Dir(path)] = true
		}
		return err
	})
	s.removed(ctx, stats.Entries, entryBytes)
	stats.Bytes += entryBytes
	if err == nil {
		var n int64
		n, err = s.pruneTemp(ctx, now)
		stats.Bytes += n
	}
	s.removeEmptied(slices.Collect(func(yield func(string) bool) {
		for dir := range emptied {
			if !yield(dir) {
				return
			}
		}
	}))
	if err != nil {
		return stats, fmt.Errorf("file: prune: %w", err)
	}
	return stats, nil
}

// pruneTemp removes the files in the store's temporary directory modified
// more than staleAfter before now, and returns their total size.
func (s *Store) pruneTemp(ctx context.Context, now time.Time) (int64, error) {
	dir := filepath.Join(s.dir, ownDir, tmpDir)
	if err := s.checkBelow(dir, false); err != nil {
		if absent(err) {
			return 0, nil
		}
		return 0, err
	}
	ents, err := os.ReadDir(dir)
	if absent(err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var freed int64
	for _, d := range ents {
		if err := ctx.Err(); err != nil {
			return freed, err
		}
		if !d.Type().IsRegular() || !strings.HasSuffix(d.Name(), ".tmp") {
			continue
		}
		fi, err := d.Info()
		if err != nil || now.Sub(fi.ModTime()) < staleAfter {
			continue
		}
		if err := os.Remove(filepath.Join(dir, d.Name())); err == nil {
			freed += fi.Size()
		} else if !absent(err) {
			return freed, err
		}
	}
	return freed, nil
}

// removeEmptied removes each of dirs, directories below the root from which
// the store removed entries, if it is now empty, and then each parent up to
// the root that this empties. It never removes a directory that holds
// anything.
func (s *Store) removeEmptied(dirs []string) {
	// Deepest first, so that a parent is tried after its children.
	slices.SortFunc(dirs, func(a, b string) int {
		return cmp.Or(cmp.Compare(strings.Count(b, string(filepath.Separator)), strings.Count(a, string(filepath.Separator))), strings.Compare(a, b))
	})
	removed := false
	for _, dir := range dirs {
		for p := dir; p != s.dir && strings.HasPrefix(p, s.dir+string(filepath.Separator)); p = filepath.Dir(p) {
			// Rmdir, not os.Remove, which would unlink a file put in
			// the directory's place.
			if syscall.Rmdir(p) != nil {
				break
			}
			removed = true
		}
	}
	if removed {
		s.forgetDirs()
	}
}

// walk visits the entry files in the tree at root in lexical order, calling
// entry with each one's key. With recursive false it stays in root itself:
// a function's directory, whose subdirectories are nested packages. Names
// starting with a dot are the store's own, or not entries: walk skips them
// and never descends into them, nor follows a symbolic link. What vanishes
// during the walk is skipped, since other processes may be removing
// entries; so is a missing root.
func (s *Store) walk(ctx context.Context, root string, recursive bool, entry func(path string, key store.Key, d fs.DirEntry) error) error {
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
