// Package errbuildline has a file whose //go:build line does not parse
// next to a valid one; the error is reported, as when the file is alone.
package errbuildline

// A is valid.
//
//memo:cache
func A(n int) int { return n }
