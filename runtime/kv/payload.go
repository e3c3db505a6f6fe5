package kv

import (
	"encoding/binary"
	"encoding/hex"
	"errors"

	"github.com/zeebo/xxh3"
)

// An entry's payload carries the key's encoding before the encoded value,
// so that iteration can give back the key an entry answers:
//
//	uvarint(len(key)) key value
//
// The entry's checksum covers both, and its digest is that of the key.

// joinPayload returns the payload of an entry of key, the key's encoding,
// holding value, encoded by the codec.
func joinPayload(key, value []byte) []byte {
	b := make([]byte, 0, binary.MaxVarintLen64+len(key)+len(value))
	b = binary.AppendUvarint(b, uint64(len(key)))
	b = append(b, key...)
	return append(b, value...)
}

var errPayload = errors.New("kv: malformed payload")

// splitPayload returns the key's encoding and the encoded value of an
// entry's payload; both alias it.
func splitPayload(payload []byte) (key, value []byte, err error) {
	n, w := binary.Uvarint(payload)
	if w <= 0 || n > uint64(len(payload)-w) {
		return nil, nil, errPayload
	}
	return payload[w : w+int(n)], payload[w+int(n):], nil
}

// digestHex returns the 128-bit XXH3 hash of prefix followed by key, in
// the 32 hex digits of a store.Key's Digest, as memoized functions address
// their entries.
func digestHex(prefix, key []byte) string {
	var h xxh3.Hasher
	h.Write(prefix)
	h.Write(key)
	sum := h.Sum128()
	var d [16]byte
	binary.BigEndian.PutUint64(d[:8], sum.Hi)
	binary.BigEndian.PutUint64(d[8:], sum.Lo)
	return hex.EncodeToString(d[:])
}
