// Command hitratio measures the hit ratios of memogen's memory backend,
// an LRU and otter on a Zipf trace and on the same trace with a scan, at
// several capacities, prints them as Markdown tables and draws them as an
// SVG (docs/hitratio.svg):
//
//	cd bench && go run ./cmd/hitratio -svg ../docs/hitratio.svg
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/memogen/memogen/bench/hitratio"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("hitratio: ")
	svg := flag.String("svg", "", "write the plot to this file")
	requests := flag.Int("requests", 1_000_000, "requests in the Zipf trace")
	space := flag.Int("keys", 100_000, "distinct keys of the Zipf trace")
	flag.Parse()

	traces := hitratio.Traces(*requests, *space)
	results := hitratio.Measure(traces, []int{500, 1000, 2000, 5000, 10000, 20000})
	fmt.Printf("%d requests over %d keys (Zipf, s = 1.01); zipf+scan reads %d other keys once in the middle.\n", *requests, *space, 2**space)
	hitratio.WriteTable(os.Stdout, results)
	if *svg != "" {
		var b bytes.Buffer
		hitratio.WriteSVG(&b, results)
		if err := os.WriteFile(*svg, b.Bytes(), 0o644); err != nil {
			log.Fatal(err)
		}
	}
}
