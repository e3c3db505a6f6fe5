package generator_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/memogen/memogen/generator"
)

// labelPackage memoizes a generic function in a file backend that outlives
// the processes that share it.
const labelPackage = `package label

import "fmt"

// Computed is set when Label runs.
var Computed bool

// Label describes v.
//
//memo:cache backend=disk
func Label[T fmt.Stringer](v T) string {
	Computed = true
	return v.String()
}
`

// itemProgram declares its own Item in package main, which every program
// names "main", and labels one with the shared cache.
const itemProgram = `package main

import (
	"fmt"
	"os"

	"example.com/invalidation/label"
	"github.com/memogen/memogen/backends/file"
	memo "github.com/memogen/memogen/runtime"
)

type Item struct{ ID int }

func (i Item) String() string { return fmt.Sprint("PROGRAM's item ", i.ID) }

func main() {
	store, err := file.New(file.Options{Dir: os.Args[1]})
	if err != nil {
		panic(err)
	}
	memo.Register("disk", store)
	fmt.Println(label.LabelCached(Item{ID: 1}), label.Computed)
}
`

// TestMainTypesOfTwoPrograms runs two programs that each declare main.Item,
// with Label[main.Item] cached in one directory: each is served its own
// entry, never the other's. A program built from its files, whose main
// package has no import path, runs such calls uncached.
func TestMainTypesOfTwoPrograms(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir, cache := newTempModule(t, root), t.TempDir()
	files := map[string]string{
		"label/label.go": labelPackage,
		"cmda/main.go":   strings.Replace(itemProgram, "PROGRAM", "a", 1),
		"cmdb/main.go":   strings.Replace(itemProgram, "PROGRAM", "b", 1),
	}
	for name, src := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	results, err := generator.Generate(context.Background(), []string{"./label"}, generator.Options{Dir: dir})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	for _, r := range results {
		if len(r.Errs) > 0 {
			t.Fatalf("Generate: %v", r.Errs)
		}
		if err := r.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	run := func(target, want, wantLog string) {
		t.Helper()
		cmd := exec.Command("go", "run", target, cache)
		cmd.Dir = dir
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go run %s: %v\n%s", target, err, stderr.String())
		}
		if got := strings.TrimSpace(string(out)); got != want {
			t.Fatalf("go run %s printed %q; want %q", target, got, want)
		}
		if log := stderr.String(); wantLog == "" && log != "" || !strings.Contains(log, wantLog) {
			t.Fatalf("go run %s logged %q; want %q", target, log, wantLog)
		}
	}
	run("./cmda", "a's item 1 true", "")
	run("./cmda", "a's item 1 false", "") // served from a's entry
	run("./cmdb", "b's item 1 true", "")  // not a's entry
	run("./cmdb", "b's item 1 false", "")
	run("./cmda", "a's item 1 false", "")
	// Built from its file, a program's main package is "command-line-arguments",
	// as is every other's: its types could be anyone's.
	const unnamed = "a type of package main of a program built from files"
	run("cmda/main.go", "a's item 1 true", unnamed)
	run("cmda/main.go", "a's item 1 true", unnamed)
}
