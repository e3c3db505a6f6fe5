//go:build my-tag

package errbuildline

// H is in a file whose build line does not parse.
//
//memo:cache
func H(n int) int { return n }
