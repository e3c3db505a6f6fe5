// Package tests has directives in its test files.
package tests

// Double is cached.
//
//memo:cache
func Double(n int) int { return 2 * n }
