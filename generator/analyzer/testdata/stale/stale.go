// Package stale has a generated file older than one of its functions.
package stale

// Same has not changed since generation.
//
//memo:cache
func Same(n int) int { return n }

// Changed has a body that changed since generation.
//
// want +2 `^memo: the wrapper of Changed in memo_gen.go is out of date: Changed changed since it was generated; run go generate \./\.\.\. \(or go tool memogen \./\.\.\.\)$`
//
//memo:cache
func Changed(n int) int { return n + 1 }
