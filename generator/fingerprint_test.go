package generator

import (
	"archive/zip"
	"cmp"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFiles writes files, by slash-separated path, under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// generatedFingerprints generates code for every package of the module in
// dir and returns the fingerprints of its functions, by "path.F" or
// "path.T.M".
func generatedFingerprints(t *testing.T, dir string, env ...string) map[string]string {
	t.Helper()
	opts := Options{Dir: dir, Env: append(os.Environ(), append([]string{"GOWORK=off", "GOFLAGS=-mod=mod"}, env...)...)}
	results, err := Generate(context.Background(), []string{"./..."}, opts)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	out := make(map[string]string)
	for _, r := range results {
		if len(r.Errs) > 0 {
			t.Fatalf("Generate %s: %v", r.PkgPath, r.Errs)
		}
		for name, fp := range fingerprints(r.Content) {
			out[r.PkgPath+"."+name] = fp
		}
	}
	return out
}

const fpModule = "module example.com/fp\n\ngo 1.26.0\n"

// fingerprintCase is a module, an edit of some of its files, and whether
// the edit must change the fingerprint of example.com/fp.F (or of fn).
type fingerprintCase struct {
	name    string
	fn      string // "T.M" for a method; "" means F
	files   map[string]string
	edit    map[string]string
	changes bool
}

var fingerprintCases = []fingerprintCase{
	{
		name: "parameter struct fields reordered",
		files: map[string]string{"p.go": `package p

type Transfer struct{ From, To string }

//memo:cache
func F(t Transfer) string { return t.From + "->" + t.To }
`},
		edit: map[string]string{"p.go": `package p

type Transfer struct{ To, From string }

//memo:cache
func F(t Transfer) string { return t.From + "->" + t.To }
`},
		changes: true,
	},
	{
		name: "result type's underlying type changed",
		files: map[string]string{
			"p.go":    "package p\n\n//memo:cache\nfunc F(x int) Temp { return Temp(x) / 2 }\n",
			"temp.go": "package p\n\ntype Temp int\n",
		},
		edit:    map[string]string{"temp.go": "package p\n\ntype Temp float64\n"},
		changes: true,
	},
	{
		name: "tag added to a result field",
		files: map[string]string{
			"p.go":   "package p\n\n//memo:cache codec=json\nfunc F(n int) Out { return Out{N: n} }\n",
			"out.go": "package p\n\ntype Out struct{ N int }\n",
		},
		edit:    map[string]string{"out.go": "package p\n\ntype Out struct {\n\tN int `json:\"n\"`\n}\n"},
		changes: true,
	},
	{
		name: "field of a nested result type reordered",
		files: map[string]string{
			"p.go":   "package p\n\n//memo:cache\nfunc F(n int) []Out { return []Out{{A: n}} }\n",
			"out.go": "package p\n\ntype Out struct{ In map[string]*In }\n\ntype In struct{ A, B int }\n",
		},
		edit:    map[string]string{"out.go": "package p\n\ntype Out struct{ In map[string]*In }\n\ntype In struct{ B, A int }\n"},
		changes: true,
	},
	{
		name: "marshaler method added to a result type",
		files: map[string]string{
			"p.go":   "package p\n\n//memo:cache codec=json\nfunc F(n int) Out { return Out{N: n} }\n",
			"out.go": "package p\n\ntype Out struct{ N int }\n",
		},
		edit: map[string]string{"out.go": `package p

type Out struct{ N int }

func (o *Out) UnmarshalJSON(b []byte) error { o.N = len(b); return nil }
`},
		changes: true,
	},
	{
		name: "marshaler method edited",
		files: map[string]string{
			"p.go":   "package p\n\n//memo:cache codec=json\nfunc F(n int) Out { return Out{N: n} }\n",
			"out.go": "package p\n\ntype Out struct{ N int }\n\nfunc (o Out) MarshalText() ([]byte, error) { return []byte(\"n\"), nil }\n",
		},
		edit:    map[string]string{"out.go": "package p\n\ntype Out struct{ N int }\n\nfunc (o Out) MarshalText() ([]byte, error) { return []byte(\"N\"), nil }\n"},
		changes: true,
	},
	{
		name: "keyed receiver's fields reordered",
		fn:   "Pair.F",
		files: map[string]string{
			"p.go":    "package p\n\n//memo:cache receiver=fields\nfunc (p Pair) F() int { return p.A - p.B }\n",
			"pair.go": "package p\n\ntype Pair struct{ A, B int }\n",
		},
		edit:    map[string]string{"pair.go": "package p\n\ntype Pair struct{ B, A int }\n"},
		changes: true,
	},
	{
		name: "marshaler's helper edited",
		files: map[string]string{
			"p.go": "package p\n\n//memo:cache codec=json\nfunc F(n int) Out { return Out{N: n} }\n",
			"out.go": `package p

import "strconv"

type Out struct{ N int }

func (o Out) MarshalJSON() ([]byte, error) { return []byte(encode(o.N)), nil }

func encode(n int) string { return strconv.Itoa(n) }
`,
		},
		edit: map[string]string{"out.go": `package p

import "strconv"

type Out struct{ N int }

func (o Out) MarshalJSON() ([]byte, error) { return []byte(encode(o.N)), nil }

func encode(n int) string { return strconv.Itoa(n + 1) }
`},
		changes: true,
	},
	{
		name: "helper edited",
		files: map[string]string{
			"p.go":      "package p\n\n//memo:cache\nfunc F(x int) int { return double(x) }\n",
			"helper.go": "package p\n\nfunc double(x int) int { return twice(x) }\n\nfunc twice(x int) int { return x * 2 }\n",
		},
		edit:    map[string]string{"helper.go": "package p\n\nfunc double(x int) int { return twice(x) }\n\nfunc twice(x int) int { return x + x + 1 }\n"},
		changes: true,
	},
	{
		name: "helper in another package edited",
		files: map[string]string{
			"p.go":     "package p\n\nimport \"example.com/fp/q\"\n\n//memo:cache\nfunc F(x int) int { return q.Double(x) }\n",
			"q/q.go":   "package q\n\nimport \"example.com/fp/q/r\"\n\nfunc Double(x int) int { return r.Twice(x) }\n",
			"q/r/r.go": "package r\n\nfunc Twice(x int) int { return x * 2 }\n",
		},
		edit:    map[string]string{"q/r/r.go": "package r\n\nfunc Twice(x int) int { return x * 3 }\n"},
		changes: true,
	},
	{
		name: "function value's code edited",
		files: map[string]string{
			"p.go":      "package p\n\nimport \"slices\"\n\n//memo:cache\nfunc F(xs []int) []int { ys := slices.Clone(xs); slices.SortFunc(ys, byValue); return ys }\n",
			"helper.go": "package p\n\nfunc byValue(a, b int) int { return a - b }\n",
		},
		edit:    map[string]string{"helper.go": "package p\n\nfunc byValue(a, b int) int { return b - a }\n"},
		changes: true,
	},
	{
		name: "method reached through an interface call edited",
		files: map[string]string{
			"p.go": `package p

import "example.com/fp/shapes"

var registry = map[string]shapes.Shape{"square": shapes.Square{}}

//memo:cache
func F(name string, x float64) float64 { return registry[name].Scale(x) }
`,
			"shapes/shapes.go": `package shapes

type Shape interface{ Scale(float64) float64 }

type Square struct{}

func (Square) Scale(x float64) float64 { return x * x }
`,
		},
		edit: map[string]string{"shapes/shapes.go": `package shapes

type Shape interface{ Scale(float64) float64 }

type Square struct{}

func (Square) Scale(x float64) float64 { return x * x * 2 }
`},
		changes: true,
	},
	{
		name: "method of a value converted to an interface edited",
		files: map[string]string{
			"p.go":    "package p\n\nimport \"fmt\"\n\n//memo:cache\nfunc F(n int) string { return fmt.Sprint(Level(n)) }\n",
			"temp.go": "package p\n\ntype Level int\n\nfunc (l Level) String() string { return \"level\" }\n",
		},
		edit:    map[string]string{"temp.go": "package p\n\ntype Level int\n\nfunc (l Level) String() string { return \"LEVEL\" }\n"},
		changes: true,
	},
	{
		name: "function behind a generated wrapper edited",
		files: map[string]string{
			"p.go":   "package p\n\nimport \"example.com/fp/q\"\n\n//memo:cache\nfunc F(x int) int { return q.GCached(x) + 1 }\n",
			"q/q.go": "package q\n\n//memo:cache\nfunc G(x int) int { return x * 2 }\n",
		},
		edit:    map[string]string{"q/q.go": "package q\n\n//memo:cache\nfunc G(x int) int { return x * 3 }\n"},
		changes: true,
	},
	{
		name: "package-level constant edited",
		files: map[string]string{
			"p.go":    "package p\n\n//memo:cache\nfunc F(x int) int { return x * rate }\n",
			"rate.go": "package p\n\nconst rate = 3\n",
		},
		edit:    map[string]string{"rate.go": "package p\n\nconst rate = 4\n"},
		changes: true,
	},
	{
		name: "generic helper edited",
		files: map[string]string{
			"p.go":      "package p\n\n//memo:cache\nfunc F(xs []int) int { return Sum(xs) }\n",
			"helper.go": "package p\n\nfunc Sum[T int | float64](xs []T) T { var s T; for _, x := range xs { s += x }; return s }\n",
		},
		edit:    map[string]string{"helper.go": "package p\n\nfunc Sum[T int | float64](xs []T) T { var s T; for _, x := range xs { s -= x }; return s }\n"},
		changes: true,
	},
	{
		name: "unrelated function edited",
		files: map[string]string{
			"p.go": "package p\n\n//memo:cache\nfunc F(x int) int { return double(x) }\n",
			"helper.go": `package p

func double(x int) int { return x * 2 }

func unrelated(x int) int { return x * 5 }

type Out struct{ N int }

func (o Out) Describe() string { return "out" }
`,
			"q/q.go": "package q\n\nfunc Other() int { return 1 }\n",
		},
		edit: map[string]string{
			"helper.go": `package p

func double(x int) int { return x * 2 }

func unrelated(x int) int { return x * 6 }

type Out struct{ N, M int }

func (o Out) Describe() string { return "OUT" }
`,
			"q/q.go": "package q\n\nfunc Other() int { return 2 }\n",
		},
	},
	{
		name: "unconsulted method of a result type edited",
		files: map[string]string{
			"p.go":   "package p\n\n//memo:cache\nfunc F(n int) Out { return Out{N: n} }\n",
			"out.go": "package p\n\ntype Out struct{ N int }\n\nfunc (o Out) Double() int { return o.N * 2 }\n",
		},
		edit: map[string]string{"out.go": "package p\n\ntype Out struct{ N int }\n\nfunc (o Out) Double() int { return o.N * 3 }\n"},
	},
	{
		name: "reformatted, comments edited",
		files: map[string]string{
			"p.go":      "package p\n\n// F doubles.\n//\n//memo:cache\nfunc F(x int) int { return double(x) }\n",
			"helper.go": "package p\n\n// double doubles.\nfunc double(x int) int { return x * 2 }\n",
		},
		edit: map[string]string{
			"p.go":      "package p\n\n\n\n// F returns twice x.\n//\n//memo:cache\nfunc F(x int) int {\n\t// the helper does it\n\treturn double(x)\n}\n",
			"helper.go": "package p\n\n// double returns x twice.\nfunc double(x int) int {\n\treturn x*2 // no overflow check\n}\n",
		},
	},
}

// TestFingerprintCoverage edits each module and checks whether F's
// fingerprint changes: it must after any edit that can change F's results
// or how they are keyed and stored, and must not otherwise.
func TestFingerprintCoverage(t *testing.T) {
	t.Parallel()
	for _, tc := range fingerprintCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fn := cmp.Or(tc.fn, "F")
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{"go.mod": fpModule})
			writeFiles(t, dir, tc.files)
			before := generatedFingerprints(t, dir)["example.com/fp."+fn]
			if before == "" {
				t.Fatalf("no fingerprint for %s", fn)
			}
			writeFiles(t, dir, tc.edit)
			after := generatedFingerprints(t, dir)["example.com/fp."+fn]
			switch {
			case tc.changes && after == before:
				t.Errorf("fingerprint of %s unchanged (%s); want a new one", fn, before)
			case !tc.changes && after != before:
				t.Errorf("fingerprint of %s changed (%s → %s); want it unchanged", fn, before, after)
			}
		})
	}
}

// TestFingerprintOptions checks that the directive's options are covered.
func TestFingerprintOptions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := "package p\n\n//memo:cache OPTIONS\nfunc F(x int) int { return x * 2 }\n"
	writeFiles(t, dir, map[string]string{"go.mod": fpModule, "p.go": strings.Replace(src, "OPTIONS", "ttl=1m", 1)})
	before := generatedFingerprints(t, dir)["example.com/fp.F"]
	if len(before) != 32 {
		t.Errorf("fingerprint %q has %d hex digits; want 32", before, len(before))
	}
	writeFiles(t, dir, map[string]string{"p.go": strings.Replace(src, "OPTIONS", "ttl=2m", 1)})
	if after := generatedFingerprints(t, dir)["example.com/fp.F"]; after == before {
		t.Errorf("ttl= changed but the fingerprint did not")
	}
}

// TestFingerprintModuleVersion serves a module from a local proxy at two
// versions with the same code: moving to the other version must change the
// fingerprint of a function that calls it, its code being out of sight.
func TestFingerprintModuleVersion(t *testing.T) {
	t.Parallel()
	proxy := t.TempDir()
	for _, v := range []string{"v1.0.0", "v1.1.0"} {
		publish(t, proxy, "example.com/dep", v, map[string]string{
			"go.mod": "module example.com/dep\n\ngo 1.26.0\n",
			"dep.go": "package dep\n\nfunc Double(x int) int { return x * 2 }\n",
		})
	}
	dir := t.TempDir()
	env := []string{"GOPROXY=file://" + filepath.ToSlash(proxy), "GOSUMDB=off", "GOFLAGS=-mod=mod -modcacherw", "GOMODCACHE=" + t.TempDir()}
	src := "package p\n\nimport \"example.com/dep\"\n\n//memo:cache\nfunc F(x int) int { return dep.Double(x) }\n\n//memo:cache\nfunc G(x int) int { return x }\n"
	writeFiles(t, dir, map[string]string{"go.mod": fpModule + "\nrequire example.com/dep v1.0.0\n", "p.go": src})
	before := generatedFingerprints(t, dir, env...)
	writeFiles(t, dir, map[string]string{"go.mod": fpModule + "\nrequire example.com/dep v1.1.0\n"})
	after := generatedFingerprints(t, dir, env...)
	if before["example.com/fp.F"] == "" || after["example.com/fp.F"] == before["example.com/fp.F"] {
		t.Errorf("fingerprint of F %q after the upgrade, %q before; want a new one", after["example.com/fp.F"], before["example.com/fp.F"])
	}
	if after["example.com/fp.G"] != before["example.com/fp.G"] {
		t.Errorf("fingerprint of G, which does not call the module, changed (%s → %s)", before["example.com/fp.G"], after["example.com/fp.G"])
	}
}

// publish lays out version of module in a GOPROXY directory.
func publish(t *testing.T, proxy, module, version string, files map[string]string) {
	t.Helper()
	dir := filepath.Join(proxy, filepath.FromSlash(module), "@v")
	writeFiles(t, dir, map[string]string{
		version + ".info": `{"Version":"` + version + `","Time":"2025-01-01T00:00:00Z"}`,
		version + ".mod":  files["go.mod"],
	})
	f, err := os.Create(filepath.Join(dir, version+".zip"))
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, content := range files {
		w, err := zw.Create(module + "@" + version + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestFingerprintNamedFiles generates for named files, which the go command
// cannot load together with other packages: a package they import is then
// covered by the contents of its files, so that even a comment counts.
func TestFingerprintNamedFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"go.mod": fpModule,
		"p.go":   "package p\n\nimport \"example.com/fp/q\"\n\n//memo:cache\nfunc F(x int) int { return q.Double(x) }\n",
		"q/q.go": "package q\n\nfunc Double(x int) int { return x * 2 }\n",
	})
	fingerprint := func() string {
		t.Helper()
		opts := Options{Dir: dir, Env: append(os.Environ(), "GOWORK=off")}
		results, err := Generate(context.Background(), []string{"p.go"}, opts)
		if err != nil {
			t.Fatalf("Generate: %v", err)
		}
		if len(results) != 1 || len(results[0].Errs) > 0 {
			t.Fatalf("Generate: %+v", results)
		}
		return fingerprints(results[0].Content)["F"]
	}
	before := fingerprint()
	writeFiles(t, dir, map[string]string{"q/q.go": "package q\n\n// Double doubles.\nfunc Double(x int) int { return x * 2 }\n"})
	if after := fingerprint(); before == "" || after == before {
		t.Errorf("fingerprint of F %q after editing q, %q before; want a new one", after, before)
	}
}
