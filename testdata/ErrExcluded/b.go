//go:build !memogen

package errexcluded

// B is never seen by memogen.
//
//memo:cache
func B(n int) int { return n }
