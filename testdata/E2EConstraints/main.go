// Command e2econstraints memoizes functions in files that build
// constraints select: by file name (_linux.go, _linux_amd64.go), by a
// //go:build line (!linux, special, !cgo) and by cgo. Each wrapper is
// generated in a file with its function's constraint, so the package
// builds for every platform, with and without cgo and the special tag
// (builds.txt lists the builds the golden test runs). Every variant
// prints the same lines, so the output is the same wherever it runs.
package main

import "fmt"

var calls = map[string]int{}

// Plain builds everywhere.
//
//memo:cache
func Plain(n int) int {
	calls["plain"]++
	return n
}

func main() {
	for range 2 {
		fmt.Println("plain", PlainCached(1), "calls", calls["plain"])
		fmt.Println("platform", platform(2), "calls", calls["platform"])
		fmt.Println("arch", arch(3), "calls", calls["arch"])
		fmt.Println("native", native(-4), "calls", calls["native"])
		fmt.Println("tagged", tagged(5))
	}
}
