// Command filecache memoizes a function in files you can read: each result
// is one file under the cache directory, a metadata line then JSON.
//
//	go run ./examples/filecache [dir]
package main

//go:generate go run github.com/memogen/memogen/cmd/memogen

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/memogen/memogen/backends/file"
	memo "github.com/memogen/memogen/runtime"
)

// Report is a result worth keeping between runs.
type Report struct {
	Region string   `json:"region"`
	Total  int      `json:"total"`
	Top    []string `json:"top"`
}

// BuildReport pretends to crunch numbers for a region.
//
//memo:cache backend=disk codec=json ttl=24h
func BuildReport(region string, year int) (Report, error) {
	fmt.Printf("  (computing the %s report for %d)\n", region, year)
	return Report{Region: region, Total: year % 1000, Top: []string{"tea", "bread"}}, nil
}

func main() {
	// Close drains and closes the bound backends when main returns; a crash
	// or os.Exit skips it.
	defer memo.Close(context.Background())
	dir := filepath.Join(os.TempDir(), "memogen-filecache-demo")
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	store, err := file.New(file.Options{Dir: dir})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	memo.Register("disk", store)

	for range 2 {
		r, err := BuildReportCached("north", 2026)
		fmt.Printf("report: %+v, err: %v\n", r, err)
	}
	st := BuildReportMemo().Stats()
	fmt.Printf("this run: %d hits, %d misses (run again: the entry outlives the process)\n", st.Hits, st.Misses)

	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".json") {
			data, _ := os.ReadFile(path)
			fmt.Printf("\n$ cat %s\n%s\n", path, data)
		}
		return nil
	})
}
