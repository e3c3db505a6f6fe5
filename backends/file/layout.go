package file

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/memogen/memogen/runtime/store"
)

// This file maps keys to paths and back:
// <dir>/<import path>/<func>/<digest>.<ext>.

// The store's own directory, beside the entries: its name starts with a
// dot, which no path element of a key may.
const (
	ownDir    = ".memogen"   // <dir>/.memogen, created by the store
	tmpDir    = "tmp"        // <dir>/.memogen/tmp: entries being written
	usageFile = "usage"      // <dir>/.memogen/usage: the shared count
	evictLock = "evict.lock" // <dir>/.memogen/evict.lock: held by the process evicting
)

// binExt is the extension of an entry whose codec spec is empty.
const binExt = "bin"

// A funcDir is the directory of one function's entries.
type funcDir struct {
	path string
	// ready is set once the directories from the root down to path have
	// passed their checks and exist; a write that finds one gone, or the
	// removal of an emptied directory, clears it.
	ready atomic.Bool
}

// entryPath returns the file of key and the directory it is in.
func (s *Store) entryPath(key store.Key) (string, *funcDir, error) {
	dir, err := s.funcDir(key.Func)
	if err != nil {
		return "", nil, err
	}
	if !isDigest(key.Digest) {
		return "", nil, fmt.Errorf("%w: digest %q is not 32 lowercase hex digits", ErrInvalidKey, key.Digest)
	}
	ext, err := extension(key.Codec)
	if err != nil {
		return "", nil, err
	}
	return dir.path + string(filepath.Separator) + key.Digest + "." + ext, dir, nil
}

// funcDir returns the directory of fn's entries. Every path element is
// checked, so that no key reaches outside the store's directory; valid
// directories are remembered, since every call of a function asks again.
func (s *Store) funcDir(fn store.FuncID) (*funcDir, error) {
	if dir, ok := s.funcDirs.Load(fn); ok {
		return dir.(*funcDir), nil
	}
	path, err := s.checkFuncDir(fn)
	if err != nil {
		return nil, err
	}
	dir, _ := s.funcDirs.LoadOrStore(fn, &funcDir{path: path})
	return dir.(*funcDir), nil
}

// prepare checks the directories from the root down to dir, creating the
// missing ones when create is set. Without create, a missing directory is
// an error for which absent reports true.
func (s *Store) prepare(dir *funcDir, create bool) error {
	if dir.ready.Load() && s.rootReady.Load() {
		return nil
	}
	err := s.checkDirs(dir.path, create)
	if err == nil {
		dir.ready.Store(true)
	}
	return err
}

// checkDirs checks the root and the directories below it down to dir,
// creating the missing ones when create is set. A root found gone on the
// way, removed since it was checked, is made again.
func (s *Store) checkDirs(dir string, create bool) error {
	err := s.checkRoot(create)
	if err == nil {
		err = s.checkBelow(dir, create)
	}
	if create && errors.Is(err, fs.ErrNotExist) {
		s.rootReady.Store(false)
		if err = s.checkRoot(true); err == nil {
			err = s.checkBelow(dir, true)
		}
	}
	return err
}

// forgetDirs makes every function's directory be checked again on its next
// use, after the store removed emptied directories.
func (s *Store) forgetDirs() {
	s.funcDirs.Range(func(_, dir any) bool {
		dir.(*funcDir).ready.Store(false)
		return true
	})
}

// checkOwn checks the store's own directories, creating them if need be.
func (s *Store) checkOwn() error {
	if s.ownReady.Load() && s.rootReady.Load() {
		return nil
	}
	err := s.checkDirs(filepath.Join(s.dir, ownDir, tmpDir), true)
	if err == nil {
		s.ownReady.Store(true)
	}
	return err
}

func (s *Store) checkFuncDir(fn store.FuncID) (string, error) {
	if fn.Package == "" {
		return "", fmt.Errorf("%w: %s: empty package path", ErrInvalidKey, fn)
	}
	for elem := range strings.SplitSeq(fn.Package, "/") {
		if err := checkElem(elem); err != nil {
			return "", fmt.Errorf("%w: package %q: %v", ErrInvalidKey, fn.Package, err)
		}
	}
	if err := checkElem(fn.Name); err != nil {
		return "", fmt.Errorf("%w: function name %q: %v", ErrInvalidKey, fn.Name, err)
	}
	return filepath.Join(s.dir, filepath.FromSlash(fn.Package), fn.Name), nil
}

// checkElem reports why elem cannot be one directory name of the layout.
// Go import paths and identifiers pass.
func checkElem(elem string) error {
	switch {
	case elem == "":
		return fmt.Errorf("empty path element")
	case elem[0] == '.':
		// Covers "." and "..", and keeps the store's own names apart.
		return fmt.Errorf("path element %q starts with a dot", elem)
	case strings.ContainsAny(elem, "/\\:\x00"):
		// Backslashes and colons are separators, drives or streams on
		// Windows.
		return fmt.Errorf("path element %q contains a slash, backslash, colon or NUL", elem)
	}
	return nil
}

func isDigest(s string) bool {
	if len(s) != 32 {
		return false
	}
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// extension returns the file extension of a codec spec: its parts joined
// with dots, which the parts themselves may not contain, so that the spec
// can be read back from the name.
func extension(codec string) (string, error) {
	if codec == "" {
		return binExt, nil
	}
	for part := range strings.SplitSeq(codec, "+") {
		if part == "" || strings.Trim(part, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != "" {
			return "", fmt.Errorf("%w: codec %q: want names of letters, digits, _ and - joined by +", ErrInvalidKey, codec)
		}
	}
	return strings.ReplaceAll(codec, "+", "."), nil
}

// keyOf returns the key of the entry file at path, a file under the store's
// directory, or false if the name is not one the store gives entries.
func (s *Store) keyOf(path string) (store.Key, bool) {
	rel, err := filepath.Rel(s.dir, path)
	if err != nil {
		return store.Key{}, false
	}
	elems := strings.Split(filepath.ToSlash(rel), "/")
	if len(elems) < 3 {
		return store.Key{}, false
	}
	name := elems[len(elems)-1]
	digest, ext, ok := strings.Cut(name, ".")
	if !ok || !isDigest(digest) {
		return store.Key{}, false
	}
	codec := ""
	if ext != binExt {
		codec = strings.ReplaceAll(ext, ".", "+")
	}
	if e, err := extension(codec); err != nil || e != ext {
		return store.Key{}, false
	}
	fn := store.FuncID{Package: strings.Join(elems[:len(elems)-2], "/"), Name: elems[len(elems)-2]}
	return store.Key{Func: fn, Digest: digest, Codec: codec}, true
}
