// Command e2ebatchstores runs //memo:batch wrappers against persistent
// stores, across processes: a first process fills the store, and later
// ones, their clocks set ahead rather than waiting, find each ID's entry
// and missing marker, or find them expired. The IDs each process asks
// the function for prove what it found.
//
// With no arguments it runs every phase against a file backend in a
// temporary directory and, when MEMO_BATCH_REDIS is set, against that
// Redis URL, re-executing itself for each phase.
package main

import (
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"time"

	_ "github.com/memogen/memogen/backends/file"
	_ "github.com/memogen/memogen/backends/redis"
	memo "github.com/memogen/memogen/runtime"
)

// Product is what Products loads.
type Product struct {
	SKU   int
	Name  string
	Price float64
}

var asked [][]int

// Products loads products; SKUs of 100 and more do not exist.
//
//memo:batch backend=store ttl=1h errttl=1m
func Products(ctx context.Context, tenant string, skus []int) (map[int]Product, error) {
	asked = append(asked, slices.Clone(skus))
	out := make(map[int]Product)
	for _, s := range skus {
		if s < 100 {
			out[s] = Product{SKU: s, Name: tenant + "-" + strconv.Itoa(s), Price: float64(s) / 4}
		}
	}
	return out, nil
}

// Squares is the slice form, with the json codec.
//
//memo:batch backend=store codec=json
func Squares(ctx context.Context, ns []int) ([]int, error) {
	asked = append(asked, slices.Clone(ns))
	out := make([]int, len(ns))
	for i, n := range ns {
		out[i] = n * n
	}
	return out, nil
}

// phases are the processes of a run: each calls the wrappers with its
// clock ahead of the real one by ahead.
var phases = []struct {
	name  string
	ahead time.Duration
}{
	{"fill", 0},
	{"read", 30 * time.Second},           // every ID found, 100 known missing
	{"missing expired", 2 * time.Minute}, // the marker of 100 expired; results live an hour
	{"all expired", 2 * time.Hour},
}

func runPhase(name string, ahead time.Duration) {
	memo.Configure(memo.Config{Now: func() time.Time { return time.Now().Add(ahead) }})
	ctx := context.Background()
	m, err := ProductsCached(ctx, "acme", []int{3, 1, 100, 3})
	fmt.Printf("%s: Products(acme) = %v %v; asked %v\n", name, sorted(m), err, asked)
	asked = nil
	m, err = ProductsCached(ctx, "other", []int{1})
	fmt.Printf("%s: Products(other) = %v %v; asked %v\n", name, sorted(m), err, asked)
	asked = nil
	sq, err := SquaresCached(ctx, []int{4, 5, 4})
	fmt.Printf("%s: Squares = %v %v; asked %v\n", name, sq, err, asked)
	asked = nil
	fmt.Printf("%s: contains 100: %v, contains 2: %v\n", name, ProductsMemo().Contains(ctx, "acme", 100), ProductsMemo().Contains(ctx, "acme", 2))
}

func sorted(m map[int]Product) []Product {
	var out []Product
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, m[k])
	}
	return out
}

func main() {
	if phase := os.Getenv("MEMO_BATCH_PHASE"); phase != "" {
		i, _ := strconv.Atoi(phase)
		runPhase(phases[i].name, phases[i].ahead)
		return
	}
	dir, err := os.MkdirTemp("", "memo-batch-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	stores := []struct{ name, url string }{{"file", "file://" + dir}}
	if u := os.Getenv("MEMO_BATCH_REDIS"); u != "" {
		stores = append(stores, struct{ name, url string }{"redis", u})
	}
	failed := false
	for _, s := range stores {
		fmt.Printf("== %s\n", s.name)
		for i := range phases {
			cmd := exec.Command(os.Args[0])
			cmd.Env = append(os.Environ(), "MEMO_BATCH_PHASE="+strconv.Itoa(i), "MEMO_BACKEND_STORE="+s.url)
			cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
			if err := cmd.Run(); err != nil {
				fmt.Printf("phase %d failed: %v\n", i, err)
				failed = true
			}
		}
	}
	if failed {
		os.Exit(1)
	}
}
