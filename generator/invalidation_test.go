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
	p := newProgram(t)
	p.write(strings.Replace(invalidationProgram, "BODY", "10", 1))
	p.run("40 true")  // computed and stored
	p.run("40 false") // served from the entry the first run stored

	p.write(strings.Replace(invalidationProgram, "BODY", "100", 1))
	p.run("400 true") // the edited function's old entry is not served
	p.run("400 false")

	commented := strings.Replace(invalidationProgram, "// Price is what", "// Price, reworded, is what", 1)
	p.write(strings.Replace(commented, "BODY", "100", 1))
	p.run("400 false") // comments are not code: the entry stays valid
}

// typesProgram memoizes three functions whose old entries would be wrong
// values after an edit of a type alone, their own code unchanged.
const typesProgram = `package main

import (
	"fmt"
	"os"

	"github.com/memogen/memogen/backends/file"
	memo "github.com/memogen/memogen/runtime"
)

TYPES

var computed = map[string]bool{}

// Route's parameter type has its fields reordered: the key bytes of
// Transfer{From: "b", To: "a"} become those Transfer{From: "a", To: "b"}
// had.
//
//memo:cache backend=disk
func Route(t Transfer) string {
	computed["Route"] = true
	return t.From + "->" + t.To
}

// Half's result type becomes a float64: 3/2 is no longer 1.
//
//memo:cache backend=disk
func Half(x int) Temp {
	computed["Half"] = true
	return Temp(x) / 2
}

// Count's result field gains a json tag: an old entry would decode into an
// empty field.
//
//memo:cache backend=disk codec=json
func Count(n int) Out {
	computed["Count"] = true
	return Out{N: n}
}

func main() {
	store, err := file.New(file.Options{Dir: os.Args[1]})
	if err != nil {
		panic(err)
	}
	memo.Register("disk", store)
	fmt.Println(RouteCached(Transfer{From: os.Args[2], To: os.Args[3]}), computed["Route"])
	fmt.Println(HalfCached(3), computed["Half"])
	fmt.Println(CountCached(1).N, computed["Count"])
}
`

// TestTypeChangeInvalidates edits only the types of memoized functions'
// parameters and results, regenerates, and runs the program against the
// entries stored before: each function recomputes and returns the right
// value, where serving the old entries would return a wrong one.
func TestTypeChangeInvalidates(t *testing.T) {
	before := "type Transfer struct{ From, To string }\n\ntype Temp int\n\ntype Out struct{ N int }"
	after := "type Transfer struct{ To, From string }\n\ntype Temp float64\n\ntype Out struct {\n\tN int `json:\"count\"`\n}"
	p := newProgram(t)
	p.write(strings.Replace(typesProgram, "TYPES", before, 1))
	p.run("a->b true\n1 true\n1 true", "a", "b")
	p.run("a->b false\n1 false\n1 false", "a", "b")

	p.write(strings.Replace(typesProgram, "TYPES", after, 1))
	p.run("b->a true\n1.5 true\n1 true", "b", "a")
	p.run("b->a false\n1.5 false\n1 false", "b", "a")
}

// program is a main package in a module of its own, generated and run
// against one cache directory.
type program struct {
	t     *testing.T
	dir   string
	cache string
}

func newProgram(t *testing.T) *program {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	return &program{t: t, dir: newTempModule(t, root), cache: t.TempDir()}
}

// write replaces main.go and generates its code.
func (p *program) write(src string) {
	t := p.t
	t.Helper()
	if err := os.WriteFile(filepath.Join(p.dir, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	results, err := generator.Generate(context.Background(), []string{"."}, generator.Options{Dir: p.dir})
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

// run runs the program with args after the cache directory and checks
// what it prints.
func (p *program) run(want string, args ...string) {
	t := p.t
	t.Helper()
	cmd := exec.Command("go", append([]string{"run", ".", p.cache}, args...)...)
	cmd.Dir = p.dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go run: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != want {
		t.Fatalf("program printed %q; want %q", got, want)
	}
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
