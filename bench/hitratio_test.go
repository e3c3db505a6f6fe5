package bench

import (
	"fmt"
	"testing"

	"github.com/memogen/memogen/bench/hitratio"
)

// BenchmarkHitRatio replays a Zipf trace, and the same with a scan in the
// middle, through memogen's memory backend, an LRU and otter at equal
// capacity, and reports the share of requests that hit as hit%. The full
// table and plot come from `go run ./cmd/hitratio`.
func BenchmarkHitRatio(b *testing.B) {
	for _, tr := range hitratio.Traces(1_000_000, 100_000) {
		keys := hitratio.Keys(tr)
		for _, capacity := range []int{1000, 10000} {
			for _, c := range hitratio.Caches() {
				b.Run(fmt.Sprintf("%s/cap=%d/%s", tr.Name, capacity, c.Name), func(b *testing.B) {
					var ratio float64
					for b.Loop() {
						ratio = hitratio.Ratio(c, capacity, keys)
					}
					b.ReportMetric(100*ratio, "hit%")
				})
			}
		}
	}
}
