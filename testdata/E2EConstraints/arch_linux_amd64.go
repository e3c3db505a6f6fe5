package main

// Triple is built on Linux on amd64 only.
//
//memo:cache
func Triple(n int) int {
	calls["arch"]++
	return 3 * n
}

func arch(n int) int { return TripleCached(n) }
