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

// invalidationProgram memoizes Price in a file backend that outlives the
// process, and says whether its call was computed or served.
const invalidationProgram = `package main

import (
	"fmt"
	"os"

	"github.com/memogen/memogen/backends/file"
	memo "github.com/memogen/memogen/runtime"
)

var computed bool

// Price is what a change of code must invalidate.
//
//memo:cache backend=disk codec=json
func Price(item string) int {
	computed = true
	return len(item) * BODY
}

func main() {
	store, err := file.New(file.Options{Dir: os.Args[1]})
	if err != nil {
		panic(err)
	}
	memo.Register("disk", store)
	fmt.Println(PriceCached("book"), computed)
}
`

// TestCodeChangeInvalidates runs a program three times against one cache
// directory: the second run is served from the first's entry; after the
// function's body is edited and code regenerated, the old entry is not
// served; a comment-only edit keeps the entry.
func TestCodeChangeInvalidates(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	mod := newTempModule(t, root)
	cache := t.TempDir()
	write := func(src string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(mod, "main.go"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		results, err := generator.Generate(context.Background(), []string{"."}, generator.Options{Dir: mod})
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
	}
	run := func(want string) {
		t.Helper()
		cmd := exec.Command("go", "run", ".", cache)
		cmd.Dir = mod
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go run: %v\n%s", err, out)
		}
		if got := strings.TrimSpace(string(out)); got != want {
			t.Fatalf("program printed %q; want %q", got, want)
		}
	}

	write(strings.Replace(invalidationProgram, "BODY", "10", 1))
	run("40 true")  // computed and stored
	run("40 false") // served from the entry the first run stored

	write(strings.Replace(invalidationProgram, "BODY", "100", 1))
	run("400 true") // the edited function's old entry is not served
	run("400 false")

	commented := strings.Replace(invalidationProgram, "// Price is what", "// Price, reworded, is what", 1)
	write(strings.Replace(commented, "BODY", "100", 1))
	run("400 false") // comments are not code: the entry stays valid
}

// newTempModule returns a module directory that requires this repository
// through a replace directive.
func newTempModule(t *testing.T, root string) string {
	t.Helper()
	dir := t.TempDir()
	gomod := "module example.com/invalidation\n\ngo 1.26.0\n\nrequire github.com/memogen/memogen v0.0.0\n\nreplace github.com/memogen/memogen => " + root + "\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOFLAGS", "-mod=mod")
	return dir
}
