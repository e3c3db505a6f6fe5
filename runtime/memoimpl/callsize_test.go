package memoimpl

import (
	"testing"
	"unsafe"
)

// TestCallFillsCacheLines checks that a Call is a whole number of 64-byte
// cache lines, and small enough for a size class that keeps it so (Go's
// size classes up to 512 bytes that are multiples of 64 are exactly the
// multiples of 64), so that Calls used by two cores never share a line.
func TestCallFillsCacheLines(t *testing.T) {
	size := unsafe.Sizeof(Call{})
	if size%64 != 0 || size > 512 {
		t.Fatalf("a Call is %d bytes; its padding must make it a multiple of 64 up to 512", size)
	}
}

// TestPooledKeyBufferFillsCacheLines checks that a new pooled Call's key
// buffer is a whole number of cache lines.
func TestPooledKeyBufferFillsCacheLines(t *testing.T) {
	c := callPool.New().(*Call)
	if got := cap(c.w.Bytes()); got != keyBufferSize || got%64 != 0 {
		t.Fatalf("key buffer capacity %d, want %d (a multiple of 64)", got, keyBufferSize)
	}
}
