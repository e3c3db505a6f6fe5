//go:build !special

package main

func tagged(n int) int {
	calls["tagged"]++
	return n + 1
}
