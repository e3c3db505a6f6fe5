package prometheus_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/memogen/memogen/backends/memory"
	memoprom "github.com/memogen/memogen/metrics/prometheus"
	"github.com/memogen/memogen/runtime/memoimpl"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// memoDouble and doubleCached are what memogen generates for
//
//	//memo:cache
//	func Double(n int) int
var memoDouble = memoimpl.NewFunc(memoimpl.FuncInfo{Package: "example.com/calc", Name: "Double"})

func doubleCached(n int) int {
	c := memoDouble.Begin(context.Background())
	c.Key().Int(int64(n))
	if r, ok := memoimpl.Lookup[int](c, false); ok {
		return r
	}
	r, _ := memoimpl.Run(c, func() (int, error) { return 2 * n, nil })
	return r
}

func TestCollector(t *testing.T) {
	c := memoprom.NewCollector()
	defer c.Close()
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c)

	doubleCached(21)
	doubleCached(21)
	doubleCached(1)

	want := fmt.Sprintf(`
# HELP memogen_calls_total Calls of memoized functions, by how they were served.
# TYPE memogen_calls_total counter
memogen_calls_total{backend="default",function="example.com/calc.Double",outcome="hit"} 1
memogen_calls_total{backend="default",function="example.com/calc.Double",outcome="miss"} 2
memogen_calls_total{backend="default",function="example.com/calc.Double",outcome="shared"} 0
memogen_calls_total{backend="default",function="example.com/calc.Double",outcome="stale"} 0
# HELP memogen_entries Results a memoized function holds, for backends that count them (memory).
# TYPE memogen_entries gauge
memogen_entries{backend="default",function="example.com/calc.Double"} 2
# HELP memogen_corrupt_entries_total Stored entries that failed to decode or verify, deleted and recomputed.
# TYPE memogen_corrupt_entries_total counter
memogen_corrupt_entries_total{backend="default",function="example.com/calc.Double"} 0
# HELP memogen_bytes Estimated bytes of a memoized function's results, as the memory backend's max_bytes counts them.
# TYPE memogen_bytes gauge
memogen_bytes{backend="default",function="example.com/calc.Double"} %d
`, 2*(memory.EntryOverhead+8+8)) // an 8-byte key and an int each
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want),
		"memogen_calls_total", "memogen_entries", "memogen_corrupt_entries_total", "memogen_bytes"); err != nil {
		t.Fatal(err)
	}

	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]uint64{}
	for _, mf := range families {
		if mf.GetName() != "memogen_call_duration_seconds" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "outcome" {
					counts[l.GetValue()] = m.GetHistogram().GetSampleCount()
				}
			}
		}
	}
	if counts["hit"] != 1 || counts["miss"] != 2 {
		t.Fatalf("histogram sample counts by outcome = %v, want hit 1, miss 2", counts)
	}

	// Close stops observing; the counters stay.
	c.Close()
	doubleCached(21)
	if got := testutil.CollectAndCount(c, "memogen_call_duration_seconds"); got != 2 {
		t.Fatalf("histogram series after Close = %d, want 2", got)
	}
	if err := testutil.GatherAndCompare(reg, strings.NewReader(strings.Replace(want, `outcome="hit"} 1`, `outcome="hit"} 2`, 1)), "memogen_calls_total"); err != nil {
		t.Fatal(err)
	}
}
