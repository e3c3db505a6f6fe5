package generator

import (
	"context"
	"fmt"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCoverage measures the share of exported functions of the packages
// MEMO_COVERAGE_PKGS lists (space-separated patterns, resolved in this
// module) that a user can memoize without edits: for each function whose
// signature another package can spell, it writes in a scratch package of
// this module a function of the same signature under a bare //memo:cache,
// generates, and counts the functions without errors. It logs one line per
// pattern and a total, which docs/coverage.md records. It skips without
// the variable, since the packages come from the module cache.
func TestCoverage(t *testing.T) {
	env := os.Getenv("MEMO_COVERAGE_PKGS")
	if env == "" {
		t.Skip("MEMO_COVERAGE_PKGS is not set")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	var total, totalOK int
	for i, pattern := range strings.Fields(env) {
		ok, n, reasons := coverageOf(t, root, pattern, fmt.Sprintf("zzcoverage%d", i))
		t.Logf("%s: %d of %d (%.0f%%)", pattern, ok, n, 100*float64(ok)/float64(max(n, 1)))
		for r, c := range reasons {
			if c*10 >= n-ok && c > 1 {
				t.Logf("    %4d %s", c, r)
			}
		}
		total, totalOK = total+n, totalOK+ok
	}
	t.Logf("total: %d of %d (%.1f%%)", totalOK, total, 100*float64(totalOK)/float64(max(total, 1)))
}

// unexportedRef matches a reference to another package's unexported name.
var unexportedRef = regexp.MustCompile(`\bp\d+\.[a-z_]`)

// coverageOf writes the scratch package for pattern and generates it.
func coverageOf(t *testing.T, root, pattern, name string) (ok, n int, reasons map[string]int) {
	l, err := load(context.Background(), []string{pattern}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	imports := map[string]string{}
	qualify := func(p *types.Package) string {
		if imports[p.Path()] == "" {
			imports[p.Path()] = fmt.Sprintf("p%d", len(imports))
		}
		return imports[p.Path()]
	}
	var body strings.Builder
	var lines []int // the line of each function's directive
	line := 1
	for _, pkg := range l.targets {
		scope := pkg.Types.Scope()
		for _, id := range scope.Names() {
			fn, isFunc := scope.Lookup(id).(*types.Func)
			if !isFunc || !fn.Exported() {
				continue
			}
			sig := fn.Type().(*types.Signature)
			if sig.TypeParams().Len() > 0 || sig.Results().Len() == 0 || sig.Results().Len() == 1 && isError(sig.Results().At(0).Type()) {
				continue // generic, or nothing to cache
			}
			var params, results []string
			for i := range sig.Params().Len() {
				s := types.TypeString(sig.Params().At(i).Type(), qualify)
				if sig.Variadic() && i == sig.Params().Len()-1 {
					s = "..." + strings.TrimPrefix(s, "[]")
				}
				params = append(params, fmt.Sprintf("a%d %s", i, s))
			}
			for i := range sig.Results().Len() {
				results = append(results, types.TypeString(sig.Results().At(i).Type(), qualify))
			}
			text := fmt.Sprintf("//memo:cache\nfunc F%d(%s) (%s) { panic(0) }\n\n", len(lines), strings.Join(params, ", "), strings.Join(results, ", "))
			if unexportedRef.MatchString(text) || strings.Contains(text, "internal") {
				continue // the user could not spell the signature either
			}
			body.WriteString(text)
			lines = append(lines, line)
			line += 3
		}
	}
	var head strings.Builder
	head.WriteString("package " + name + "\n\nimport (\n")
	for path, alias := range imports {
		if strings.Contains(body.String(), alias+".") {
			fmt.Fprintf(&head, "\t%s %q\n", alias, path)
		}
	}
	head.WriteString(")\n\n")
	offset := strings.Count(head.String(), "\n")
	dir := filepath.Join(root, "internal", name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "shim.go"), []byte(head.String()+body.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	results, err := Generate(context.Background(), []string{"./internal/" + name}, Options{Dir: root})
	if err != nil {
		t.Fatal(err)
	}
	failed := map[int]bool{}
	reasons = map[string]int{}
	for _, r := range results {
		for _, e := range r.Errs {
			pe, isPos := e.(*posError)
			if !isPos {
				t.Fatalf("%s: %v", pattern, e)
			}
			i := (pe.Pos.Line - offset - 1) / 3
			if !failed[i] {
				reasons[reason(pe.Msg)]++
			}
			failed[i] = true
		}
	}
	return len(lines) - len(failed), len(lines), reasons
}

// reason shortens an error to its kind, for the tally.
func reason(msg string) string {
	if i := strings.Index(msg, " cannot be keyed: "); i >= 0 {
		msg = msg[i+1:]
	}
	msg, _, _ = strings.Cut(msg, ";")
	return msg
}
