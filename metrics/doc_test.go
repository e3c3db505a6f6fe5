package metrics_test

import (
	"testing"

	"github.com/memogen/memogen/metrics"
	memo "github.com/memogen/memogen/runtime"
)

// TestOutcomes checks that each outcome reads its own field of memo.Stats.
func TestOutcomes(t *testing.T) {
	s := memo.Stats{Hits: 1, Misses: 2, Shared: 3, Stale: 4}
	want := map[string]uint64{"hit": 1, "miss": 2, "shared": 3, "stale": 4}
	got := map[string]uint64{}
	for _, c := range metrics.Outcomes {
		got[c.Name] = c.Read(s)
	}
	if len(got) != len(want) {
		t.Fatalf("outcomes %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %d, want %d", k, got[k], v)
		}
	}
}
