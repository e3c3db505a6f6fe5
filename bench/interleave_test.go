package bench

import (
	"slices"
	"testing"
	"time"
)

// interleaveSlice is about how long each side runs per round of
// benchInterleaved.
const interleaveSlice = 10 * time.Millisecond

// benchInterleaved runs a and c in alternate slices of about
// interleaveSlice each, one round per iteration, and reports the median of the rounds'
// time ratios a/b ("ratio") and each side's median ns per call. On a
// shared machine whose speed drifts from second to second, this ratio is
// steadier than two benchmarks run one after the other.
func benchInterleaved(b *testing.B, a, c func()) {
	n := callsPerSlice(a, c)
	var ratios, as, cs []float64
	for b.Loop() {
		t0 := time.Now()
		for range n {
			a()
		}
		t1 := time.Now()
		for range n {
			c()
		}
		t2 := time.Now()
		da := float64(t1.Sub(t0)) / float64(n)
		dc := float64(t2.Sub(t1)) / float64(n)
		ratios, as, cs = append(ratios, da/dc), append(as, da), append(cs, dc)
	}
	b.ReportMetric(median(ratios), "ratio")
	b.ReportMetric(median(as), "a-ns/call")
	b.ReportMetric(median(cs), "b-ns/call")
}

// callsPerSlice returns how many calls of the slower of a and c take
// about interleaveSlice, timing a few of each.
func callsPerSlice(a, c func()) int {
	var slowest time.Duration
	for _, f := range []func(){a, c} {
		start := time.Now()
		for range 10 {
			f()
		}
		slowest = max(slowest, time.Since(start)/10)
	}
	return max(1, int(interleaveSlice/max(slowest, time.Nanosecond)))
}

func median(x []float64) float64 {
	slices.Sort(x)
	return x[len(x)/2]
}
