// Command e2estructtags memoizes a function whose parameter is a struct
// with a tag that reads "invalid type", a valid type whatever its tag
// says; execution counters prove which calls ran the function.
package main

import "fmt"

var calls int

// Point is keyed by its fields; its tags do not enter the key.
type Point = struct {
	X int `json:"invalid type"`
	Y int `json:"y"`
}

// Sum takes a struct literal type with tags.
//
//memo:cache
func Sum(p struct {
	X int `json:"invalid type"`
	Y int `json:"y"`
}) int {
	calls++
	return p.X + p.Y
}

func main() {
	show := func(what string, got int) {
		fmt.Printf("%-20s = %-3d calls=%d\n", what, got, calls)
	}
	show("Sum({1 2})", SumCached(Point{X: 1, Y: 2}))
	show("Sum({1 2}) again", SumCached(Point{X: 1, Y: 2}))
	show("Sum({2 1})", SumCached(Point{X: 2, Y: 1}))
}
