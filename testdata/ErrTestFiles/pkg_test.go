package errtestfiles

import "testing"

// helper is a test's own function.
//
//memo:cache
func helper(n int) int { return 2 * n }

type fixture struct{}

// load is a test's method.
//
//memo:cache receiver=ignore
func (f *fixture) load(n int) int { return n }

func TestHelper(t *testing.T) {
	if got := helperCached(2); got != 4 {
		t.Errorf("helperCached(2) = %d; want 4", got)
	}
}
