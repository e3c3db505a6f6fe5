// Package fresh has a valid directive, a generated file that is up to date
// and a caller of the wrapper: nothing to report.
package fresh

// Double is cached.
//
//memo:cache
func Double(n int) int { return 2 * n }

// Quadruple calls the wrapper.
func Quadruple(n int) int { return 2 * DoubleCached(n) }
