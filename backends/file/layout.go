package file

import (
	"fmt"
	"path/filepath"
	"strings"

	memo "github.com/memogen/memogen/runtime"
)

// This file maps keys to paths and back:
// <dir>/<import path>/<func>/<digest>.<ext>.

// Prefixes of the names the store gives its own files and directories.
const (
	tempPrefix  = ".tmp-"   // an entry being written
	clearPrefix = ".clear-" // a function's directory being removed
)

// binExt is the extension of an entry whose codec spec is empty.
const binExt = "bin"

// entryPath returns the file of key.
func (s *Store) entryPath(key memo.Key) (string, error) {
	dir, err := s.funcDir(key.Func)
	if err != nil {
		return "", err
	}
	if !isDigest(key.Digest) {
		return "", fmt.Errorf("%w: digest %q is not 32 lowercase hex digits", ErrInvalidKey, key.Digest)
	}
	ext, err := extension(key.Codec)
	if err != nil {
		return "", err
	}
	return dir + string(filepath.Separator) + key.Digest + "." + ext, nil
}

// funcDir returns the directory of fn's entries. Every path element is
// checked, so that no key reaches outside the store's directory; valid
// directories are remembered, since every call of a function asks again.
func (s *Store) funcDir(fn memo.FuncID) (string, error) {
	if dir, ok := s.funcDirs.Load(fn); ok {
		return dir.(string), nil
	}
	dir, err := s.checkFuncDir(fn)
	if err == nil {
		s.funcDirs.Store(fn, dir)
	}
	return dir, err
}

func (s *Store) checkFuncDir(fn memo.FuncID) (string, error) {
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
func (s *Store) keyOf(path string) (memo.Key, bool) {
	rel, err := filepath.Rel(s.dir, path)
	if err != nil {
		return memo.Key{}, false
	}
	elems := strings.Split(filepath.ToSlash(rel), "/")
	if len(elems) < 3 {
		return memo.Key{}, false
	}
	name := elems[len(elems)-1]
	digest, ext, ok := strings.Cut(name, ".")
	if !ok || !isDigest(digest) {
		return memo.Key{}, false
	}
	codec := ""
	if ext != binExt {
		codec = strings.ReplaceAll(ext, ".", "+")
	}
	if e, err := extension(codec); err != nil || e != ext {
		return memo.Key{}, false
	}
	fn := memo.FuncID{Package: strings.Join(elems[:len(elems)-2], "/"), Name: elems[len(elems)-2]}
	return memo.Key{Func: fn, Digest: digest, Codec: codec}, true
}
