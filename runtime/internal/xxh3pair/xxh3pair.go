// Package xxh3pair hashes two byte slices as one with XXH3, the way the
// runtime hashes an entry's head and payload and a key's prefix and bytes.
// XXH3 streamed is XXH3 of the whole, so two small parts are hashed as one
// copy on the stack, which costs less than a Hasher's buffering; larger
// ones are streamed.
package xxh3pair

import "github.com/zeebo/xxh3"

// small is the size of both parts up to which they are hashed as a copy.
const small = 512

// Hash64 returns the XXH3-64 of a followed by b.
func Hash64(a, b []byte) uint64 {
	if n := len(a) + len(b); n <= small {
		var buf [small]byte
		copy(buf[copy(buf[:], a):], b)
		return xxh3.Hash(buf[:n])
	}
	var h xxh3.Hasher // as xxh3.New makes it, but on the stack
	h.Write(a)
	h.Write(b)
	return h.Sum64()
}

// Hash128 returns the XXH3-128 of a followed by b.
func Hash128(a, b []byte) xxh3.Uint128 {
	if n := len(a) + len(b); n <= small {
		var buf [small]byte
		copy(buf[copy(buf[:], a):], b)
		return xxh3.Hash128(buf[:n])
	}
	var h xxh3.Hasher
	h.Write(a)
	h.Write(b)
	return h.Sum128()
}
