package xxh3pair

import (
	"testing"

	"github.com/zeebo/xxh3"
)

// Both hashes equal the streamed XXH3 of their parts, which stored entries
// carry and are addressed by, for every length on both sides of the size
// where they switch to streaming and of XXH3's own thresholds, split at
// the start, the middle and the end.
func TestHashesAreStreamedXXH3(t *testing.T) {
	data := make([]byte, 2*small)
	for i := range data {
		data[i] = byte(i*13 + 5)
	}
	for n := 0; n <= len(data); n++ {
		for _, split := range []int{0, n / 3, n} {
			a, b := data[:split], data[split:n]
			var h xxh3.Hasher
			h.Write(a)
			h.Write(b)
			if got, want := Hash64(a, b), h.Sum64(); got != want {
				t.Fatalf("Hash64(%d+%d bytes) = %x; want %x", len(a), len(b), got, want)
			}
			if got, want := Hash128(a, b), h.Sum128(); got != want {
				t.Fatalf("Hash128(%d+%d bytes) = %x; want %x", len(a), len(b), got, want)
			}
		}
	}
}
