//go:build !cgo

package main

// Abs is built without cgo only.
//
//memo:cache
func Abs(n int) int {
	calls["native"]++
	if n < 0 {
		return -n
	}
	return n
}

func native(n int) int { return AbsCached(n) }
