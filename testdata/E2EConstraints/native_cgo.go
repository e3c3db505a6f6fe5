package main

// #include <stdlib.h>
import "C"

// Abs is built with cgo only.
//
//memo:cache
func Abs(n int) int {
	calls["native"]++
	return int(C.abs(C.int(n)))
}

func native(n int) int { return AbsCached(n) }
