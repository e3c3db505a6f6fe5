//go:build !unix

package bench

import "testing"

// loopCPU runs op b.N times like b.Loop; this system reports no CPU time.
func loopCPU(b *testing.B, op func()) {
	b.Helper()
	for b.Loop() {
		op()
	}
}
