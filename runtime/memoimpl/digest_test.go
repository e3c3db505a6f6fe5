package memoimpl

import (
	"encoding/binary"
	"testing"

	"github.com/zeebo/xxh3"
)

// A small key, hashed as one copy, has the digest a streamed XXH3 gives
// its prefix and key, which entries already stored are addressed by, on
// both sides of the size where digestOf switches and of XXH3's own
// thresholds.
func TestDigestIsStreamedXXH3(t *testing.T) {
	data := make([]byte, 2*smallDigest)
	for i := range data {
		data[i] = byte(i*13 + 5)
	}
	for n := 0; n <= len(data); n++ {
		for _, split := range []int{0, n / 2, n} {
			var h xxh3.Hasher
			h.Write(data[:split])
			h.Write(data[split:n])
			sum := h.Sum128()
			var want [16]byte
			binary.BigEndian.PutUint64(want[:8], sum.Hi)
			binary.BigEndian.PutUint64(want[8:], sum.Lo)
			if got := digestOf(data[:split], data[split:n]); got != want {
				t.Fatalf("digestOf(%d+%d bytes) = %x; want %x", split, n-split, got, want)
			}
		}
	}
}
