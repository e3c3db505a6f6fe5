//go:build !linux || !amd64

package main

// Triple is built everywhere but on Linux on amd64.
//
//memo:cache
func Triple(n int) int {
	calls["arch"]++
	return 3 * n
}

func arch(n int) int { return TripleCached(n) }
