package generator

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
)

// syntheticModule returns the files of a module whose root package has n
// memoized functions sharing helpers, types and constants with each other
// and with a second package.
func syntheticModule(n int) map[string]string {
	var p strings.Builder
	p.WriteString(`package p

import (
	"fmt"
	"strings"

	"example.com/fp/helpers"
)

// Query is a keyed parameter.
type Query struct {
	Region string
	Limit  int
	Tags   []string
}

// Report is a result.
type Report struct {
	Region string            ` + "`json:\"region\"`" + `
	Total  helpers.Amount    ` + "`json:\"total\"`" + `
	Lines  map[string]Line   ` + "`json:\"lines\"`" + `
}

// Line is part of a result.
type Line struct {
	Name  string
	Value float64
}

const scale = 3

func normalize(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func lines(q Query) map[string]Line {
	out := make(map[string]Line)
	for i, t := range q.Tags {
		out[normalize(t)] = Line{Name: t, Value: float64(helpers.Weight(i, q.Limit))}
	}
	return out
}
`)
	for i := range n {
		fmt.Fprintf(&p, `
// F%[1]d computes report %[1]d.
//
//memo:cache ttl=1m
func F%[1]d(q Query, extra int) (Report, error) {
	if q.Limit < 0 {
		return Report{}, fmt.Errorf("limit %%d", q.Limit)
	}
	total := helpers.Sum(helpers.Apply(q.Limit*scale+%[1]d, extra))
	return Report{Region: normalize(q.Region), Total: total, Lines: lines(q)}, nil
}
`, i)
	}
	return map[string]string{
		"go.mod": fpModule,
		"p.go":   p.String(),
		"helpers/helpers.go": `package helpers

import "strconv"

// Amount is money.
type Amount int64

// MarshalText writes an amount.
func (a Amount) MarshalText() ([]byte, error) { return []byte(strconv.FormatInt(int64(a), 10)), nil }

// Op is a step of a computation.
type Op interface{ Do(int) int }

type add int

func (a add) Do(x int) int { return x + int(a) }

type mul int

func (m mul) Do(x int) int { return x * int(m) }

var ops = []Op{add(1), mul(2)}

// Apply applies every op.
func Apply(x, extra int) []Amount {
	var out []Amount
	for _, op := range ops {
		x = op.Do(x) + extra
		out = append(out, Amount(x))
	}
	return out
}

// Sum adds amounts.
func Sum(as []Amount) Amount {
	var s Amount
	for _, a := range as {
		s += a
	}
	return s
}

// Weight weighs.
func Weight(i, limit int) int { return i*limit + 1 }
`,
	}
}

// BenchmarkGenerate500 generates a package of 500 memoized functions that
// share helpers, after loading it: analysis with fingerprints, and
// rendering. Sub-benchmark fingerprints measures the fingerprints alone.
func BenchmarkGenerate500(b *testing.B) {
	dir := b.TempDir()
	for name, content := range syntheticModule(500) {
		path := dir + "/" + name
		if err := os.MkdirAll(path[:strings.LastIndex(path, "/")], 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	l, err := load(context.Background(), []string{"."}, Options{Dir: dir, Env: append(os.Environ(), "GOWORK=off")})
	if err != nil {
		b.Fatal(err)
	}
	pkg := l.targets[0]
	b.Run("generate", func(b *testing.B) {
		for b.Loop() {
			p := &pkgPlan{host: pkg, output: DefaultOutput, variants: []*variant{{pkg: pkg, fp: newFingerprinter(l)}}}
			for _, f := range pkg.Syntax {
				p.variants[0].founds = append(p.variants[0].founds, scanFile(pkg.Fset, f, &p.errs)...)
			}
			r := p.generate()
			if len(r.Errs) > 0 || r.Content == nil {
				b.Fatalf("errors: %v", r.Errs)
			}
		}
	})
	b.Run("fingerprints", func(b *testing.B) {
		var errs errorList
		var founds []*found
		for _, f := range pkg.Syntax {
			founds = append(founds, scanFile(pkg.Fset, f, &errs)...)
		}
		m := analyzePackage(pkg, newFingerprinter(l), founds, &errs, nil, nil)
		if len(errs) > 0 || len(m.funcs) != 500 {
			b.Fatalf("%d functions, errors %v", len(m.funcs), errs)
		}
		for b.Loop() {
			fp := newFingerprinter(l)
			for _, fm := range m.funcs {
				fp.fingerprint(fm)
			}
		}
	})
}
