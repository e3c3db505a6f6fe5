// Command e2eforeign keys another package's exported struct whose fields
// have unexported types; execution counters prove which calls ran the
// function.
package main

import (
	"fmt"

	"github.com/memogen/memogen/testdata/E2EForeign/shapes"
)

var calls = map[string]int{}

// Area takes another package's struct with fields of unexported types.
//
//memo:cache
func Area(b shapes.Box) int {
	calls["Area"]++
	return b.Area()
}

func main() {
	show := func(what string, got any) {
		fmt.Printf("%-30s = %-6v calls=%d\n", what, got, calls["Area"])
	}
	show("Area(0 0 2 3, 1 step)", AreaCached(shapes.NewBox(0, 0, 2, 3, 1)))
	show("Area(0 0 2 3, 1 step) again", AreaCached(shapes.NewBox(0, 0, 2, 3, 1)))
	show("Area(0 0 2 3, 2 steps)", AreaCached(shapes.NewBox(0, 0, 2, 3, 2)))
	show("Area(1 0 3 3, 1 step)", AreaCached(shapes.NewBox(1, 0, 3, 3, 1)))
}
