// Package analyzer is memogen's go/analysis analyzer: it reports, where
// go vet, gopls and golangci-lint show them, the mistakes in //memo:cache
// directives that the generator reports, at the same positions and with
// the same messages, since it runs the generator's own checks
// ([generator.Check]).
//
// Run it with the memovet command, on its own (memovet ./...) or under
// go vet (go vet -vettool=$(which memovet) ./...), or in golangci-lint
// through the module plugin in generator/analyzer/golangci.
package analyzer

import (
	"context"
	"go/token"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/memogen/memogen/generator"
)

// Analyzer reports mistakes in //memo:cache directives.
var Analyzer = &analysis.Analyzer{
	Name: "memogen",
	Doc: `report mistakes in //memo:cache directives

The memogen analyzer reports what the memogen generator reports about a
package's directives: unknown or malformed options, parameters that cannot
be keyed, results the codec cannot store, misplaced directives and
near-miss spellings of //memo:cache, with the generator's messages and
positions. It also reports each directive whose wrapper is missing from
the generated file or out of date (-stale, on by default).`,
	URL: "https://pkg.go.dev/github.com/memogen/memogen/generator/analyzer",
	// The generator tolerates type errors (callers of a missing wrapper
	// do not compile), and so does generator.Check.
	RunDespiteErrors: true,
	Run:              run,
}

// stale is the -stale flag. The stale check loads the package again, with
// the local packages it imports, as the generator does (see
// generator.CheckStale): it costs what go tool memogen -check costs, per
// package.
var stale bool

func init() {
	Analyzer.Flags.BoolVar(&stale, "stale", true, "report directives whose generated wrapper is missing or out of date (loads the package as the generator does)")
}

func run(pass *analysis.Pass) (any, error) {
	diags := generator.Check(pass.Fset, pass.Files, pass.Pkg)
	failed := false
	for _, d := range diags {
		failed = failed || !d.Warning
		report(pass, d)
	}
	if stale && !failed && !testVariant(pass) && generator.MayNeedGeneration(pass.Files) {
		dir := filepath.Dir(pass.Fset.Position(pass.Files[0].Package).Filename)
		out, err := generator.CheckStale(context.Background(), dir, generator.Options{})
		if err != nil {
			return nil, err
		}
		for _, d := range out {
			report(pass, d)
		}
	}
	return nil, nil
}

// testVariant reports whether the pass is of a package with its tests, or
// of an external test package: the package without tests, which go vet
// also analyzes, has the wrappers.
func testVariant(pass *analysis.Pass) bool {
	for _, f := range pass.Files {
		if strings.HasSuffix(pass.Fset.Position(f.Package).Filename, "_test.go") {
			return true
		}
	}
	return false
}

func report(pass *analysis.Pass, d generator.Diagnostic) {
	diag := analysis.Diagnostic{Pos: tokenPos(pass.Fset, d.Pos), Message: message(d)}
	if d.Fix != nil {
		fix := analysis.SuggestedFix{Message: d.Fix.Message}
		for _, e := range d.Fix.Edits {
			fix.TextEdits = append(fix.TextEdits, analysis.TextEdit{Pos: tokenPos(pass.Fset, e.Pos), End: tokenPos(pass.Fset, e.End), NewText: []byte(e.New)})
		}
		diag.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	pass.Report(diag)
}

// message returns the diagnostic as the generator prints it, without the
// position: "memo: message" or "memo: warning: message", so that go vet's
// lines are the generator's.
func message(d generator.Diagnostic) string {
	if d.Warning {
		return "memo: warning: " + d.Msg
	}
	return "memo: " + d.Msg
}

// tokenPos returns the token.Pos of a position in one of fset's files, or
// token.NoPos.
func tokenPos(fset *token.FileSet, p token.Position) token.Pos {
	var pos token.Pos
	fset.Iterate(func(f *token.File) bool {
		if f.Name() != p.Filename {
			return true
		}
		if p.Line >= 1 && p.Line <= f.LineCount() {
			pos = f.LineStart(p.Line) + token.Pos(max(p.Column, 1)-1)
		}
		return false
	})
	return pos
}
