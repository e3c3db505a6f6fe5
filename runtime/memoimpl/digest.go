package memoimpl

import (
	"encoding/binary"
	"encoding/hex"

	"github.com/memogen/memogen/runtime/internal/xxh3pair"
)

// digestOf returns the 128-bit XXH3 hash of prefix followed by key, big
// endian. Byte-level backends address entries by it; 128 bits make an
// accidental collision negligible, and the prefix carries the function's
// identity, fingerprint and version, so a code change orphans old entries.
func digestOf(prefix, key []byte) [16]byte {
	sum := xxh3pair.Hash128(prefix, key)
	var d [16]byte
	binary.BigEndian.PutUint64(d[:8], sum.Hi)
	binary.BigEndian.PutUint64(d[8:], sum.Lo)
	return d
}

// digestHex is digestOf in the 32 hex digits a [store.Key] carries.
func digestHex(prefix, key []byte) string {
	d := digestOf(prefix, key)
	return hex.EncodeToString(d[:])
}
