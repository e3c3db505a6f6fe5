//go:build unix

package bench

import (
	"syscall"
	"testing"
	"time"
)

// processCPU returns the CPU time, user and system, that this process has
// used so far: every goroutine's, the garbage collector's included.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}

// loopCPU runs op b.N times like b.Loop, and reports the process's CPU
// time per op as the metric cpu-ns/op: on a shared machine, the wall-clock
// time of a network round trip measures the other jobs' load as much as
// the client, while CPU time measures what the client itself spends.
func loopCPU(b *testing.B, op func()) {
	b.Helper()
	start, ok := processCPU()
	for b.Loop() {
		op()
	}
	if end, ok2 := processCPU(); ok && ok2 {
		b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
	}
}
