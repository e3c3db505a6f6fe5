package otel_test

import (
	"context"
	"testing"

	"github.com/memogen/memogen/backends/memory"
	memootel "github.com/memogen/memogen/metrics/otel"
	"github.com/memogen/memogen/runtime/memoimpl"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// memoSquare and squareCached are what memogen generates for
//
//	//memo:cache
//	func Square(n int) int
var memoSquare = memoimpl.NewFunc(memoimpl.FuncInfo{Package: "example.com/calc", Name: "Square"})

func squareCached(n int) int {
	c := memoSquare.Begin(context.Background())
	c.Key().Int(int64(n))
	if r, ok := memoimpl.Lookup[int](c, false); ok {
		return r
	}
	r, _ := memoimpl.Run(c, func() (int, error) { return n * n, nil })
	return r
}

func TestRegister(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	unregister, err := memootel.Register(provider.Meter("memogen"))
	if err != nil {
		t.Fatal(err)
	}
	defer unregister()

	squareCached(3)
	squareCached(3)
	squareCached(3)
	squareCached(4)

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{} // instrument/outcome → value or count
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch data := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range data.DataPoints {
					outcome, _ := p.Attributes.Value("outcome")
					if fn, _ := p.Attributes.Value("function"); fn.AsString() != "example.com/calc.Square" {
						t.Errorf("%s: function %q", m.Name, fn.AsString())
					}
					got[m.Name+"/"+outcome.AsString()] = p.Value
				}
			case metricdata.Gauge[int64]:
				for _, p := range data.DataPoints {
					got[m.Name] = p.Value
				}
			case metricdata.Histogram[float64]:
				for _, p := range data.DataPoints {
					outcome, _ := p.Attributes.Value("outcome")
					got[m.Name+"/"+outcome.AsString()] = int64(p.Count)
				}
			}
		}
	}
	want := map[string]int64{
		"memogen.calls/hit": 2, "memogen.calls/miss": 2, "memogen.calls/shared": 0, "memogen.calls/stale": 0,
		"memogen.entries":             2,
		"memogen.bytes":               2 * (memory.EntryOverhead + 8 + 8), // an 8-byte key and an int each
		"memogen.call.duration/hit":   2,
		"memogen.call.duration/miss":  2,
		"memogen.corrupt_entries/":    0,
		"memogen.evictions/":          0,
		"memogen.function_errors/":    0,
		"memogen.cache_failures/":     0,
		"memogen.oversize_results/":   0,
		"memogen.unstorable_results/": 0,
		"memogen.canceled_waits/":     0,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %d, want %d", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d series %v, want %d", len(got), got, len(want))
	}
}
