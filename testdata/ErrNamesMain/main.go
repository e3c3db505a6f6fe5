// Command errnamesmain asks for a wrapper named main, which in package main
// is the program's entry point.
package main

// run is the program.
//
//memo:cache name=main
func run(n int) int { return n }
