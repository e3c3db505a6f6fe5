package store

import (
	"bytes"
	"time"
)

// checkGoodEntry is CheckEntry's path for an entry that passes: it reads
// the metadata line at the places the key fixes (the codec it names, the
// digest's 32 and the checksum's 16 hex digits) instead of splitting it
// field by field, and reports false for anything else, which CheckEntry
// then splits to say what is wrong. It accepts exactly the entries the
// field-by-field check does; FuzzCheckEntry compares the two.
func checkGoodEntry(data []byte, key Key) (payload []byte, expires time.Time, ok bool) {
	nl := bytes.IndexByte(data, '\n')
	if nl < 0 {
		return nil, time.Time{}, false
	}
	line, payload := data[:nl], data[nl+1:]
	const magic = entryMagic + " "
	if len(line) < len(magic) || string(line[:len(magic)]) != magic {
		return nil, time.Time{}, false
	}
	p := len(magic)
	codec, p, ok := field(line, p)
	if !ok || string(codec) != key.Codec {
		return nil, time.Time{}, false
	}
	if _, p, ok = field(line, p); !ok { // created: not checked here, as in splitEntry
		return nil, time.Time{}, false
	}
	exp, p, ok := field(line, p)
	if !ok {
		return nil, time.Time{}, false
	}
	n, ok := parseDecimal(exp)
	if !ok || len(line) < p+digestLen+1+sumLen+1 || line[p+digestLen] != ' ' || line[p+digestLen+1+sumLen] != ' ' {
		return nil, time.Time{}, false
	}
	digest, sum := line[p:p+digestLen], line[p+digestLen+1:p+digestLen+1+sumLen]
	if string(digest) != key.Digest || !isDigest(digest) {
		return nil, time.Time{}, false
	}
	want, ok := parseHex64(sum)
	if !ok || checksum(line[:p+digestLen], payload) != want {
		return nil, time.Time{}, false
	}
	return payload, unixNano(n), true
}

// digestLen and sumLen are the lengths of an entry's key digest and
// checksum.
const (
	digestLen = 32
	sumLen    = 16
)

// field returns the bytes of line from p to the next space and the
// position after that space; ok is false when no space follows.
func field(line []byte, p int) (f []byte, next int, ok bool) {
	sp := bytes.IndexByte(line[p:], ' ')
	if sp < 0 {
		return nil, p, false
	}
	return line[p : p+sp], p + sp + 1, true
}
