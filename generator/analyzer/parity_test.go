package analyzer_test

import (
	"context"
	"fmt"

	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/memogen/memogen/generator"
	"github.com/memogen/memogen/generator/analyzer"
)

// TestSameAsGenerator runs the analyzer over every testdata/Err* golden
// case of the generator, with its tests, and checks that it reports
// exactly the generator's errors and warnings, want/errors.txt and
// want/warnings.txt, at the same positions.
func TestSameAsGenerator(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	cases, err := filepath.Glob(filepath.Join(root, "testdata", "Err*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("no testdata/Err* cases")
	}
	for _, dir := range cases {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want := generatorLines(t, root, name)
			if len(want) == 0 {
				if name == "ErrBuildLine" { // only a load error, see generatorLines
					return
				}
				t.Fatal("the generator reports nothing")
			}
			got := analyzerLines(t, root, name)
			if !slices.Equal(got, want) {
				t.Errorf("analyzer reports:\n%s\ngenerator reports:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// generatorLines returns the errors and warnings Generate reports for the
// case, sorted, each "file:line:col: memo: message" with the file's base
// name.
func generatorLines(t *testing.T, root, name string) []string {
	results, err := generator.Generate(context.Background(), []string{"./testdata/" + name}, generator.Options{Dir: root})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, r := range results {
		for _, e := range append(r.Errs, r.Warnings...) {
			// A file the go command cannot load (a malformed //go:build
			// line) is reported by the go command itself, before go vet
			// runs any analyzer: the parity is over memogen's messages.
			if !strings.Contains(e.Error(), ": memo: ") {
				continue
			}
			lines = append(lines, baseName(e.Error()))
		}
	}
	slices.Sort(lines)
	return lines
}

// analyzerLines returns the analyzer's diagnostics for the case and its
// test variants, in the same form.
func analyzerLines(t *testing.T, root, name string) []string {
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Dir: root, Tests: true}
	pkgs, err := packages.Load(cfg, "./testdata/"+name)
	if err != nil {
		t.Fatal(err)
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{analyzer.Analyzer}, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for act := range graph.All() {
		if !act.IsRoot || act.Analyzer != analyzer.Analyzer {
			continue
		}
		for _, d := range act.Diagnostics {
			lines = append(lines, baseName(fmt.Sprintf("%s: %s", act.Package.Fset.Position(d.Pos), d.Message)))
		}
	}
	slices.Sort(lines)
	return slices.Compact(lines)
}

// baseName reduces the file name a line begins with to its base name.
func baseName(line string) string {
	file, rest, ok := strings.Cut(line, ".go:")
	if !ok {
		return line
	}
	return filepath.Base(file) + ".go:" + rest
}
