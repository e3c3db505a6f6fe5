// Package errtestfiles has directives in its test files, which memogen does
// not see: it generates code for the package without its tests.
package errtestfiles

// Plain is cached as usual.
//
//memo:cache
func Plain(n int) int { return n }
