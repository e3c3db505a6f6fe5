package bench

import "testing"

// TestContenders checks that every contender computes the same thing, so the
// benchmarks compare equal work.
func TestContenders(t *testing.T) {
	want := Search(benchIndex, benchQuery, benchPage)
	hand := &handMemo{m: make(map[string]Result)}
	for i := range 2 {
		if got := SearchCached(benchIndex, benchQuery, benchPage); got != want {
			t.Errorf("call %d: SearchCached = %+v; want %+v", i, got, want)
		}
		if got := hand.Search(benchIndex, benchQuery, benchPage); got != want {
			t.Errorf("call %d: handMemo.Search = %+v; want %+v", i, got, want)
		}
	}
	if st := SearchMemo().Stats(); st.Hits != 1 || st.Misses != 1 {
		t.Errorf("SearchCached stats = %+v; want 1 hit and 1 miss", st)
	}
}
