package generator

import (
	"go/ast"
	"go/importer"
	goparser "go/parser"
	"go/token"
	"go/types"
	"testing"
)

// fingerprintOf returns the fingerprint of function F in src, with options.
func fingerprintOf(t *testing.T, src, options string) string {
	t.Helper()
	fset := token.NewFileSet()
	file, err := goparser.ParseFile(fset, "f.go", src, goparser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Defs: map[*ast.Ident]types.Object{}}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{file}, info)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range file.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == "F" {
			sig := info.Defs[fd.Name].Type().(*types.Signature)
			var results []*types.Var
			for i := range sig.Results().Len() {
				results = append(results, sig.Results().At(i))
			}
			return fingerprint(fd, options, results, pkg)
		}
	}
	t.Fatal("no func F")
	return ""
}

func TestFingerprint(t *testing.T) {
	const base = `package p

// F doubles.
func F(x int) int { return x * 2 }
`
	same := map[string]string{
		"doc comment reworded": `package p

// F returns twice x.
func F(x int) int { return x * 2 }
`,
		"reformatted": `package p



// F doubles.
func F(x int) int {
	// a comment inside
	return x*2
}
`,
	}
	different := map[string]string{
		"body edited":          "package p\n\nfunc F(x int) int { return x * 3 }\n",
		"parameter renamed":    "package p\n\nfunc F(y int) int { return y * 2 }\n",
		"result type changed":  "package p\n\nfunc F(x int) int64 { return int64(x) * 2 }\n",
		"parameter type added": "package p\n\nfunc F(x int, s string) int { return x * 2 }\n",
	}
	want := fingerprintOf(t, base, "backend=default")
	if len(want) != 32 {
		t.Errorf("fingerprint %q has %d hex digits; want 32", want, len(want))
	}
	for name, src := range same {
		if got := fingerprintOf(t, src, "backend=default"); got != want {
			t.Errorf("%s: fingerprint changed (%s → %s); want it unchanged", name, want, got)
		}
	}
	for name, src := range different {
		if got := fingerprintOf(t, src, "backend=default"); got == want {
			t.Errorf("%s: fingerprint unchanged; want a new one", name)
		}
	}
	if got := fingerprintOf(t, base, "backend=default ttl=1m0s"); got == want {
		t.Errorf("directive options changed but the fingerprint did not")
	}
}
