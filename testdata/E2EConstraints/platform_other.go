//go:build !linux

package main

// OtherDouble is built everywhere but on Linux.
//
//memo:cache
func OtherDouble(n int) int {
	calls["platform"]++
	return 2 * n
}

func platform(n int) int { return OtherDoubleCached(n) }
