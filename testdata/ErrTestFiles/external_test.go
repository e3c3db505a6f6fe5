package errtestfiles_test

import "testing"

//memo:cache
func triple(n int) int { return 3 * n }

// A directive on no function is reported too.
//
//memo:cache

func TestTriple(t *testing.T) {
	if got := tripleCached(2); got != 6 {
		t.Errorf("tripleCached(2) = %d; want 6", got)
	}
}
