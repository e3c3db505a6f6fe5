//go:build special

package main

// Special is built with the special tag only.
//
//memo:cache
func Special(n int) int {
	calls["tagged"]++
	return n + 1
}

func tagged(n int) int { return SpecialCached(n) }
