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
		name: "method called on a wrapper's result edited",
		files: map[string]string{
			"p.go": "package p\n\n//memo:cache\nfunc F(sku string) int { q := GetQuoteCached(sku); return q.Total() }\n",
			"quote.go": `package p

type Quote struct{ Base, Tax int }

func (q Quote) Total() int { return q.Base + 2*q.Tax }

//memo:cache
func GetQuote(sku string) Quote { return Quote{Base: 100, Tax: 20} }
`,
		},
		edit: map[string]string{"quote.go": `package p

type Quote struct{ Base, Tax int }

func (q Quote) Total() int { return q.Base + 3*q.Tax }

//memo:cache
func GetQuote(sku string) Quote { return Quote{Base: 100, Tax: 20} }
`},
		changes: true,
	},
	{
		name: "method of a wrapper's result in another package edited",
		files: map[string]string{
			"p.go": "package p\n\nimport \"example.com/fp/q\"\n\n//memo:cache\nfunc F(sku string) int { return q.GetQuoteCached(sku).Total() }\n",
			"q/q.go": `package q

type Quote struct{ Base, Tax int }

func (q *Quote) Total() int { return q.Base + 2*q.Tax }

//memo:cache
func GetQuote(sku string) *Quote { return &Quote{Base: 100, Tax: 20} }
`,
		},
		edit: map[string]string{"q/q.go": `package q

type Quote struct{ Base, Tax int }

func (q *Quote) Total() int { return q.Base + 3*q.Tax }

//memo:cache
func GetQuote(sku string) *Quote { return &Quote{Base: 100, Tax: 20} }
`},
		changes: true,
	},
	{
		name: "wrapper's result converted to an interface, nested method edited",
		files: map[string]string{
			"p.go": "package p\n\nimport \"fmt\"\n\n//memo:cache\nfunc F(sku string) string { return fmt.Sprint(GetQuoteCached(sku).Lines()[0]) }\n",
			"quote.go": `package p

type Quote struct{ Base int }

func (q Quote) Lines() []Line { return []Line{{q.Base}} }

type Line struct{ N int }

func (l Line) String() string { return "line" }

//memo:cache
func GetQuote(sku string) Quote { return Quote{Base: 100} }
`,
		},
		edit: map[string]string{"quote.go": `package p

type Quote struct{ Base int }

func (q Quote) Lines() []Line { return []Line{{q.Base}} }

type Line struct{ N int }

func (l Line) String() string { return "LINE" }

//memo:cache
func GetQuote(sku string) Quote { return Quote{Base: 100} }
`},
		changes: true,
	},
	{
		name: "wrapper promoted through an embedded field edited",
		files: map[string]string{
			"p.go": `package p

type Service struct {
	*Store
	Name string
}

//memo:cache
func F(n int) int {
	svc := Service{Store: &Store{Region: "eu"}, Name: "x"}
	return svc.LoadCached(n)
}
`,
			"store.go": "package p\n\ntype Store struct{ Region string }\n\n//memo:cache receiver=fields\nfunc (s *Store) Load(n int) int { return n * 11 }\n",
		},
		edit:    map[string]string{"store.go": "package p\n\ntype Store struct{ Region string }\n\n//memo:cache receiver=fields\nfunc (s *Store) Load(n int) int { return n * 12 }\n"},
		changes: true,
	},
	{
		name: "wrapper called through an interface edited",
		files: map[string]string{
			"p.go": `package p

type Loader interface{ LoadCached(n int) int }

//memo:cache
func F(n int) int {
	var l Loader = &Store{Region: "eu"}
	return l.LoadCached(n)
}
`,
			"store.go": "package p\n\ntype Store struct{ Region string }\n\n//memo:cache receiver=fields\nfunc (s *Store) Load(n int) int { return n * 11 }\n",
		},
		edit:    map[string]string{"store.go": "package p\n\ntype Store struct{ Region string }\n\n//memo:cache receiver=fields\nfunc (s *Store) Load(n int) int { return n * 12 }\n"},
		changes: true,
	},
	{
		name: "String of a type nested in a formatted value edited",
		files: map[string]string{
			"p.go": "package p\n\nimport \"fmt\"\n\n//memo:cache\nfunc F(n int) string { return fmt.Sprintf(\"%v\", Order{Lines: []Line{{Status: Status(n)}}}) }\n",
			"order.go": `package p

type Order struct{ Lines []Line }

type Line struct{ Status Status }

type Status int

func (s Status) String() string { return "status" }
`,
		},
		edit: map[string]string{"order.go": `package p

type Order struct{ Lines []Line }

type Line struct{ Status Status }

type Status int

func (s Status) String() string { return "STATUS" }
`},
		changes: true,
	},
	{
		name: "String added to a type nested in a formatted value",
		files: map[string]string{
			"p.go":     "package p\n\nimport \"fmt\"\n\n//memo:cache\nfunc F(n int) string { return fmt.Sprint(Swatch{Color(n)}) }\n",
			"color.go": "package p\n\ntype Swatch struct{ C Color }\n\ntype Color int\n",
		},
		edit:    map[string]string{"color.go": "package p\n\ntype Swatch struct{ C Color }\n\ntype Color int\n\nfunc (c Color) String() string { return \"colour\" }\n"},
		changes: true,
	},
	{
		name: "String of a map key and of a pointed-to field edited",
		files: map[string]string{
			"p.go":     "package p\n\nimport \"fmt\"\n\n//memo:cache\nfunc F(n int) string { return fmt.Sprint(map[Wrapper]int{{M: new(Money)}: n}) }\n",
			"money.go": "package p\n\ntype Wrapper struct{ M *Money }\n\ntype Money int\n\nfunc (m Money) String() string { return \"money\" }\n",
		},
		edit:    map[string]string{"money.go": "package p\n\ntype Wrapper struct{ M *Money }\n\ntype Money int\n\nfunc (m Money) String() string { return \"MONEY\" }\n"},
		changes: true,
	},
	{
		name: "MarshalXML of a nested type edited",
		files: map[string]string{
			"p.go": "package p\n\nimport \"encoding/xml\"\n\n//memo:cache\nfunc F(n int) string { b, _ := xml.Marshal(Doc{A: Attr(n)}); return string(b) }\n",
			"doc.go": `package p

import "encoding/xml"

type Doc struct{ A Attr }

type Attr int

func (a Attr) MarshalXML(e *xml.Encoder, start xml.StartElement) error { return e.EncodeElement("v1", start) }
`,
		},
		edit: map[string]string{"doc.go": `package p

import "encoding/xml"

type Doc struct{ A Attr }

type Attr int

func (a Attr) MarshalXML(e *xml.Encoder, start xml.StartElement) error { return e.EncodeElement("v2", start) }
`},
		changes: true,
	},
	{
		name: "method a template calls on a method's result edited",
		files: map[string]string{
			"p.go": `package p

import (
	"strings"
	"text/template"
)

var tmpl = template.Must(template.New("x").Parse("{{.Customer.Address.City}}"))

//memo:cache
func F(name string) string {
	var b strings.Builder
	tmpl.Execute(&b, Invoice{Customer: Customer{Name: name}})
	return b.String()
}
`,
			"invoice.go": `package p

type Invoice struct{ Customer Customer }

type Customer struct{ Name string }

func (c Customer) Address() *Address { return &Address{Street: c.Name} }

type Address struct{ Street string }

func (a *Address) City() string { return "city of " + a.Street }
`,
		},
		edit: map[string]string{"invoice.go": `package p

type Invoice struct{ Customer Customer }

type Customer struct{ Name string }

func (c Customer) Address() *Address { return &Address{Street: c.Name} }

type Address struct{ Street string }

func (a *Address) City() string { return "town of " + a.Street }
`},
		changes: true,
	},
	{
		name: "String of a value range-assigned to an interface variable edited",
		files: map[string]string{
			"p.go": `package p

import "fmt"

//memo:cache
func F(n int) string {
	var s fmt.Stringer
	for _, s = range []Tag{Tag(n)} {
	}
	return fmt.Sprint(s)
}
`,
			"tag.go": "package p\n\ntype Tag int\n\nfunc (t Tag) String() string { return \"tag\" }\n",
		},
		edit:    map[string]string{"tag.go": "package p\n\ntype Tag int\n\nfunc (t Tag) String() string { return \"TAG\" }\n"},
		changes: true,
	},
	{
		name: "String of a value appended to a slice of any edited",
		files: map[string]string{
			"p.go":   "package p\n\nimport \"fmt\"\n\n//memo:cache\nfunc F(n int) string { var xs []any; xs = append(xs, Tag(n)); return fmt.Sprint(xs...) }\n",
			"tag.go": "package p\n\ntype Tag int\n\nfunc (t Tag) String() string { return \"tag\" }\n",
		},
		edit:    map[string]string{"tag.go": "package p\n\ntype Tag int\n\nfunc (t Tag) String() string { return \"TAG\" }\n"},
		changes: true,
	},
	{
		name: "implementation of a constraint mentioning a type parameter edited",
		files: map[string]string{
			"p.go": `package p

import "example.com/fp/shapes"

type Areaer[T any] interface {
	*T
	Area() int
}

func TotalArea[T any, PT Areaer[T]](items []T) int {
	total := 0
	for i := range items {
		total += PT(&items[i]).Area()
	}
	return total
}

//memo:cache
func F(side int) int { return TotalArea([]shapes.Square{{Side: side}}) }
`,
			"shapes/shapes.go": "package shapes\n\ntype Square struct{ Side int }\n\nfunc (s *Square) Area() int { return s.Side * s.Side }\n",
		},
		edit:    map[string]string{"shapes/shapes.go": "package shapes\n\ntype Square struct{ Side int }\n\nfunc (s *Square) Area() int { return s.Side * 4 }\n"},
		changes: true,
	},
	{
		name: "implementation of a self-referential constraint edited",
		files: map[string]string{
			"p.go": `package p

type Lesser[T any] interface{ Less(T) bool }

func Min[T Lesser[T]](xs ...T) T {
	m := xs[0]
	for _, x := range xs[1:] {
		if x.Less(m) {
			m = x
		}
	}
	return m
}

//memo:cache
func F(a, b int) Age { return Min(Age(a), Age(b)) }
`,
			"age.go": "package p\n\ntype Age int\n\nfunc (a Age) Less(b Age) bool { return a < b }\n",
		},
		edit:    map[string]string{"age.go": "package p\n\ntype Age int\n\nfunc (a Age) Less(b Age) bool { return a > b }\n"},
		changes: true,
	},
	{
		name: "String of a type argument formatted by generic code edited",
		files: map[string]string{
			"p.go":     "package p\n\nimport \"fmt\"\n\nfunc Show[T any](v T) string { return fmt.Sprint(v) }\n\n//memo:cache\nfunc F(n int) string { return Show(Label(n)) }\n",
			"label.go": "package p\n\ntype Label int\n\nfunc (l Label) String() string { return \"label\" }\n",
		},
		edit:    map[string]string{"label.go": "package p\n\ntype Label int\n\nfunc (l Label) String() string { return \"LABEL\" }\n"},
		changes: true,
	},
	{
		name: "String of an argument of a generic wrapper edited",
		files: map[string]string{
			"p.go":     "package p\n\nimport \"fmt\"\n\n//memo:cache\nfunc Show[T any](v T) string { return fmt.Sprint(v) }\n\n//memo:cache\nfunc F(n int) string { return ShowCached(Label(n)) }\n",
			"label.go": "package p\n\ntype Label int\n\nfunc (l Label) String() string { return \"label\" }\n",
		},
		edit:    map[string]string{"label.go": "package p\n\ntype Label int\n\nfunc (l Label) String() string { return \"LABEL\" }\n"},
		changes: true,
	},
	{
		name: "String of an explicit type argument of a generic wrapper edited",
		files: map[string]string{
			"p.go":     "package p\n\nimport \"fmt\"\n\n//memo:cache\nfunc Show[T any](v T) string { return fmt.Sprint(v) }\n\n//memo:cache\nfunc F(n int) string { return ShowCached[Label](7) }\n",
			"label.go": "package p\n\ntype Label int\n\nfunc (l Label) String() string { return \"label\" }\n",
		},
		edit:    map[string]string{"label.go": "package p\n\ntype Label int\n\nfunc (l Label) String() string { return \"LABEL\" }\n"},
		changes: true,
	},
	{
		name: "alias to a basic type changed",
		files: map[string]string{
			"p.go":   "package p\n\n//memo:cache\nfunc F(n int) float64 { v := Num(n); return float64(v / 2) }\n",
			"num.go": "package p\n\ntype Num = int\n",
		},
		edit:    map[string]string{"num.go": "package p\n\ntype Num = float64\n"},
		changes: true,
	},
	{
		name: "alias to an array type changed",
		files: map[string]string{
			"p.go":    "package p\n\n//memo:cache\nfunc F(n int) int { var p Pair; return len(p) + n }\n",
			"pair.go": "package p\n\ntype Pair = [2]int\n",
		},
		edit:    map[string]string{"pair.go": "package p\n\ntype Pair = [3]int\n"},
		changes: true,
	},
	{
		name: "generic alias changed",
		files: map[string]string{
			"p.go":   "package p\n\n//memo:cache\nfunc F(n int) int { var v Vec[int]; return len(v) + n }\n",
			"vec.go": "package p\n\ntype Vec[T any] = [3]T\n",
		},
		edit:    map[string]string{"vec.go": "package p\n\ntype Vec[T any] = [4]T\n"},
		changes: true,
	},
	{
		name: "variant of a build-constrained file left out of the load edited",
		files: map[string]string{
			"p.go":         "package p\n\n//memo:cache\nfunc F(n int) int { return n * rate() }\n",
			"rate.go":      "//go:build !special\n\npackage p\n\nfunc rate() int { return 2 }\n",
			"rate_spec.go": "//go:build special\n\npackage p\n\nfunc rate() int { return 4 }\n",
		},
		edit:    map[string]string{"rate_spec.go": "//go:build special\n\npackage p\n\nfunc rate() int { return 5 }\n"},
		changes: true,
	},
	{
		name: "other platform's variant edited",
		files: map[string]string{
			"p.go":            "package p\n\nimport \"example.com/fp/q\"\n\n//memo:cache\nfunc F(n int) int { return n * q.Rate() }\n",
			"q/rate.go":       "//go:build !plan9\n\npackage q\n\nfunc Rate() int { return 2 }\n",
			"q/rate_plan9.go": "package q\n\nfunc Rate() int { return 4 }\n",
		},
		edit:    map[string]string{"q/rate_plan9.go": "package q\n\nfunc Rate() int { return 5 }\n"},
		changes: true,
	},
	{
		name: "test file of a build-constrained package edited",
		files: map[string]string{
			"p.go":         "package p\n\n//memo:cache\nfunc F(n int) int { return n * rate() }\n",
			"rate.go":      "//go:build !special\n\npackage p\n\nfunc rate() int { return 2 }\n",
			"rate_spec.go": "//go:build special\n\npackage p\n\nfunc rate() int { return 4 }\n",
			"p_test.go":    "package p\n\nimport \"testing\"\n\nfunc TestRate(t *testing.T) {}\n",
		},
		edit: map[string]string{"p_test.go": "package p\n\nimport \"testing\"\n\nfunc TestRate(t *testing.T) { t.Log(rate()) }\n"},
	},
	{
		name: "file's Go version lowered",
		files: map[string]string{
			"p.go": `package p

//memo:cache
func F(n int) int {
	var fs []func() int
	for i := 0; i < n; i++ {
		fs = append(fs, func() int { return i })
	}
	total := 0
	for _, f := range fs {
		total += f()
	}
	return total
}
`,
		},
		edit: map[string]string{"p.go": `//go:build go1.21

package p

//memo:cache
func F(n int) int {
	var fs []func() int
	for i := 0; i < n; i++ {
		fs = append(fs, func() int { return i })
	}
	total := 0
	for _, f := range fs {
		total += f()
	}
	return total
}
`},
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
	// dynamic= changes how an argument is keyed, so it must change the
	// fingerprint too.
	dyn := "package p\n\n//memo:cache ttl=2m OPTIONS\nfunc F(x any, y any) any { return x }\n"
	writeFiles(t, dir, map[string]string{"p.go": strings.Replace(dyn, "OPTIONS", "dynamic=x ignore=y", 1)})
	x := generatedFingerprints(t, dir)["example.com/fp.F"]
	writeFiles(t, dir, map[string]string{"p.go": strings.Replace(dyn, "OPTIONS", "dynamic=x,y", 1)})
	if xy := generatedFingerprints(t, dir)["example.com/fp.F"]; x == "" || xy == x {
		t.Errorf("dynamic= changed but the fingerprint did not (%q, %q)", x, xy)
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

// TestFingerprintNamedFiles generates for a named file, which stands for
// its package: F's fingerprint covers the code of the package it imports,
// as when the package is named.
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
	writeFiles(t, dir, map[string]string{"q/q.go": "package q\n\nfunc Double(x int) int { return x + x }\n"})
	if after := fingerprint(); before == "" || after == before {
		t.Errorf("fingerprint of F %q after editing q, %q before; want a new one", after, before)
	}
}

// generateContents generates for patterns in the module in dir and
// returns the generated files' contents by package path.
func generateContents(t *testing.T, dir string, patterns ...string) map[string]string {
	t.Helper()
	opts := Options{Dir: dir, Env: append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")}
	results, err := Generate(context.Background(), patterns, opts)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	out := make(map[string]string)
	for _, r := range results {
		if len(r.Errs) > 0 {
			t.Fatalf("Generate %s: %v", r.PkgPath, r.Errs)
		}
		if r.Content != nil {
			out[r.PkgPath] = string(r.Content)
		}
	}
	return out
}

// TestFingerprintLoadSet generates a package alone and together with a
// package that imports it and implements its interface: the fingerprints
// must not depend on which packages are loaded, or -check of ./... would
// fail after generating for the package alone.
func TestFingerprintLoadSet(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"go.mod": fpModule,
		"main.go": `package main

import (
	"fmt"

	"example.com/fp/lib"
)

type special struct{}

func (special) Price(n int) int { return n * 99 }

//memo:cache
func Special(n int) int { var p lib.Pricer = special{}; return p.Price(n) }

func main() { fmt.Println(lib.Total(2), Special(1)) }
`,
		"lib/lib.go": `package lib

import "fmt"

type Pricer interface{ Price(n int) int }

type flat struct{}

func (flat) Price(n int) int { return n * 10 }

//memo:cache
func Total(n int) int { var p Pricer = flat{}; return p.Price(n) }

//memo:cache
func Describe(sku string) string { return fmt.Sprint(sku) + fmt.Sprint(lookupCached(sku).Name()) }

type item struct{ sku string }

func (i item) Name() string { return "item " + i.sku }

//memo:cache
func lookup(sku string) item { return item{sku} }
`,
	})
	alone := generateContents(t, filepath.Join(dir, "lib"), ".")["example.com/fp/lib"]
	all := generateContents(t, dir, "./...")["example.com/fp/lib"]
	if alone == "" || alone != all {
		t.Errorf("lib's generated file differs when generated alone:\n%s\nand with ./...:\n%s", alone, all)
	}
}

// TestFingerprintIgnoresGeneratedFile writes the generated file of a
// package with build-constrained files, which the fingerprints digest in
// full, and generates again: memogen's own output must not count, or the
// file would never be up to date.
func TestFingerprintIgnoresGeneratedFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"go.mod":       fpModule,
		"p.go":         "package p\n\n//memo:cache\nfunc F(n int) int { return n * rate() }\n",
		"rate.go":      "//go:build !special\n\npackage p\n\nfunc rate() int { return 2 }\n",
		"rate_spec.go": "//go:build special\n\npackage p\n\nfunc rate() int { return 4 }\n",
	})
	opts := Options{Dir: dir, Env: append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")}
	results, err := Generate(context.Background(), []string{"."}, opts)
	if err != nil || len(results) != 1 || len(results[0].Errs) > 0 {
		t.Fatalf("Generate: %v %+v", err, results)
	}
	if err := results[0].Commit(); err != nil {
		t.Fatal(err)
	}
	again := generateContents(t, dir, ".")["example.com/fp"]
	if again != string(results[0].Content) {
		t.Errorf("regenerated file differs once the generated file exists:\n%s\nwant:\n%s", again, results[0].Content)
	}
}
