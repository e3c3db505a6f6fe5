package redis

import (
	"strings"

	"github.com/memogen/memogen/runtime/store"
)

// key returns the Redis key of fn's entry with digest:
// <prefix>:<import path>.<Func>:<digest>.
func (s *Store) key(fn store.FuncID, digest string) string {
	return s.funcKeyPrefix(fn) + digest
}

// funcKeyPrefix returns "<prefix>:<import path>.<Func>:", remembered per
// function, since every call of a function asks again.
func (s *Store) funcKeyPrefix(fn store.FuncID) string {
	if p, ok := s.keyPrefixes.Load(fn); ok {
		return p.(string)
	}
	p := s.prefix + ":" + fn.String() + ":"
	s.keyPrefixes.Store(fn, p)
	return p
}

// funcPattern returns the SCAN pattern that matches fn's keys and no other
// function's, whatever glob metacharacters the prefix or names hold.
func (s *Store) funcPattern(fn store.FuncID) string {
	return escapeGlob(s.funcKeyPrefix(fn)) + "*"
}

// escapeGlob quotes the characters that Redis's glob-style MATCH patterns
// treat specially, so that s matches only itself.
func escapeGlob(s string) string {
	if !strings.ContainsAny(s, `*?[]\`) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '*', '?', '[', ']', '\\':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// parseKey recovers the store.Key of a Redis key under the Store's prefix,
// leaving Codec empty; ok is false for a key of another shape. The function
// is split from its package at the first dot after the last slash, which
// is right unless the package path's last element has a dot in it
// (gopkg.in/yaml.v3): the key alone cannot tell that package's F from
// method v3.F of gopkg.in/yaml.
func (s *Store) parseKey(k string) (key store.Key, ok bool) {
	rest, ok := strings.CutPrefix(k, s.prefix+":")
	if !ok {
		return key, false
	}
	colon := strings.LastIndexByte(rest, ':')
	if colon < 0 || !isDigest(rest[colon+1:]) {
		return key, false
	}
	id, digest := rest[:colon], rest[colon+1:]
	if strings.ContainsRune(id, ':') {
		return key, false // under a longer prefix, such as another Store's
	}
	slash := strings.LastIndexByte(id, '/')
	dot := strings.IndexByte(id[slash+1:], '.')
	if dot <= 0 {
		return key, false
	}
	dot += slash + 1
	if dot == len(id)-1 {
		return key, false
	}
	return store.Key{Func: store.FuncID{Package: id[:dot], Name: id[dot+1:]}, Digest: digest}, true
}

// isDigest reports whether s has the form of store.Key.Digest: 32 lowercase
// hex digits.
func isDigest(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := range len(s) {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// metaBytes is how much of a value List reads to find its metadata line.
// The line is short, but its summary is a Go-quoted rendering of up to 256
// bytes, and quoting can stretch a byte to four characters.
const metaBytes = 2048
