package s3

import (
	"fmt"
	"strings"

	"github.com/memogen/memogen/runtime/store"
)

// digestLen is the length of a store.Key's digest: 32 lowercase hex digits.
const digestLen = 32

// objectKey returns the object that holds key's entry:
// <prefix>/<import path>/<Func>/<digest>.
func (s *Store) objectKey(key store.Key) (string, error) {
	folder, err := s.folder(key.Func)
	if err != nil {
		return "", err
	}
	if !validDigest(key.Digest) {
		return "", fmt.Errorf("s3: key digest %q: want %d lowercase hex digits", key.Digest, digestLen)
	}
	return folder + key.Digest, nil
}

// folder returns the prefix of every object of fn, ending in a slash so that
// the folder of F does not hold the entries of F2.
func (s *Store) folder(fn store.FuncID) (string, error) {
	if !validPath(fn.Package) || !validName(fn.Name) {
		return "", fmt.Errorf("s3: function %q: want an import path and a name", fn)
	}
	return s.root + fn.Package + "/" + fn.Name + "/", nil
}

// parseObjectKey returns the function and digest of the entry an object
// under s.root holds, or false for an object of another shape.
func (s *Store) parseObjectKey(objectKey string) (fn store.FuncID, digest string, ok bool) {
	rest, ok := strings.CutPrefix(objectKey, s.root)
	if !ok {
		return fn, "", false
	}
	folder, digest, ok := cutLast(rest)
	if !ok || !validDigest(digest) {
		return fn, "", false
	}
	pkg, name, ok := cutLast(folder)
	if !ok || !validPath(pkg) || !validName(name) {
		return fn, "", false
	}
	return store.FuncID{Package: pkg, Name: name}, digest, true
}

// cutLast splits s around its last slash.
func cutLast(s string) (before, after string, ok bool) {
	i := strings.LastIndexByte(s, '/')
	if i < 0 {
		return "", "", false
	}
	return s[:i], s[i+1:], true
}

// validPath reports whether p is a slash-separated path of valid names.
func validPath(p string) bool {
	for elem := range strings.SplitSeq(p, "/") {
		if !validName(elem) {
			return false
		}
	}
	return true
}

// validName reports whether a path element is neither empty nor . or .. and
// holds no slash, so that keys made of it parse back to it and, on servers
// that keep objects as files, name no folder above the prefix.
func validName(elem string) bool {
	return elem != "" && elem != "." && elem != ".." && !strings.Contains(elem, "/")
}

func validDigest(d string) bool {
	if len(d) != digestLen {
		return false
	}
	for _, c := range []byte(d) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
