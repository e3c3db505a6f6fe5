// Package errexcluded has a directive in a file that the memogen tag
// excludes, which go builds but memogen never loads.
package errexcluded

// A is valid.
//
//memo:cache
func A(n int) int { return n }
