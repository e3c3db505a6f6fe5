package memoimpl

import (
	"encoding/binary"
	"encoding/hex"

	"github.com/zeebo/xxh3"
)

// digestOf returns the 128-bit XXH3 hash of prefix followed by key, big
// endian. Byte-level backends address entries by it; 128 bits make an
// accidental collision negligible, and the prefix carries the function's
// identity, fingerprint and version, so a code change orphans old entries.
func digestOf(prefix, key []byte) [16]byte {
	var sum xxh3.Uint128
	if n := len(prefix) + len(key); n <= smallDigest {
		// XXH3 streamed is XXH3 of the whole: hashing one copy on the
		// stack costs less than a Hasher's buffering.
		var buf [smallDigest]byte
		copy(buf[copy(buf[:], prefix):], key)
		sum = xxh3.Hash128(buf[:n])
	} else {
		var h xxh3.Hasher // as xxh3.New makes it, but on the stack
		h.Write(prefix)
		h.Write(key)
		sum = h.Sum128()
	}
	var d [16]byte
	binary.BigEndian.PutUint64(d[:8], sum.Hi)
	binary.BigEndian.PutUint64(d[8:], sum.Lo)
	return d
}

// smallDigest is the size of prefix and key up to which digestOf hashes a
// copy.
const smallDigest = 512

// digestHex is digestOf in the 32 hex digits a [store.Key] carries.
func digestHex(prefix, key []byte) string {
	d := digestOf(prefix, key)
	return hex.EncodeToString(d[:])
}
