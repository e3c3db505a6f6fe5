package generator

import (
	"go/ast"
	"go/importer"
	goparser "go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"
)

// resultsOf type-checks src, a package declaring func F, and returns F's
// results.
func resultsOf(t *testing.T, src string) ([]*types.Var, *types.Package, *token.FileSet) {
	t.Helper()
	fset := token.NewFileSet()
	file, err := goparser.ParseFile(fset, "f.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{file}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sig := pkg.Scope().Lookup("F").Type().(*types.Signature)
	var results []*types.Var
	for i := range sig.Results().Len() {
		results = append(results, sig.Results().At(i))
	}
	return results, pkg, fset
}

// storableCases declare, before F, the types F returns.
const storableTypes = `package p

import (
	"encoding/json"
	"strconv"
	"time"
)

type Money struct{ cents int }

func (m Money) MarshalJSON() ([]byte, error) { return json.Marshal(m.cents) }
func (m *Money) UnmarshalJSON(b []byte) error { return json.Unmarshal(b, &m.cents) }

type Packed struct{ n int }

func (p Packed) MarshalBinary() ([]byte, error) { return []byte(strconv.Itoa(p.n)), nil }
func (p *Packed) UnmarshalBinary(b []byte) (err error) { p.n, err = strconv.Atoi(string(b)); return err }

type User struct {
	Name         string
	PasswordHash string ` + "`json:\"-\"`" + `
}

type Account struct {
	Name  string
	Token string ` + "`msgpack:\"-\"`" + `
}

type Base struct{ ID int }

type Item struct {
	Base
	ID string
}

type ItemFirst struct {
	ID string
	Base
}

type Other struct{ ID int }

type Both struct {
	Base
	Other
}

type Tagged struct {
	Base
	Other ` + "`json:\"Other\"`" + `
}

type Label struct{ s string }

func (l Label) MarshalText() ([]byte, error) { return []byte(l.s), nil }

type Ptr struct{ n int }

func (p *Ptr) MarshalJSON() ([]byte, error) { return []byte(strconv.Itoa(p.n)), nil }
func (p *Ptr) UnmarshalJSON(b []byte) (err error) { p.n, err = strconv.Atoi(string(b)); return err }

type Event struct {
	time.Time
	Name string
}

type Stamp struct{ time.Time }

type Color string

func (c *Color) UnmarshalText(b []byte) error { *c = Color(b); return nil }

type inner struct{ Y int }

type Outer struct {
	inner
	X int
}

type Aliased struct {
	ID   int
	Name string ` + "`msgpack:\"name,alias:ID\"`" + `
}

type Node struct {
	*Node
	V int
}

type Cell struct {
	Val  int
	Next *Cell
}

type Bag struct{ Items []any }

type SelfAlias struct {
	ID int ` + "`msgpack:\"id,alias:id\"`" + `
}

type PtrInner struct {
	*inner
	X int
}
`

func TestUnstorable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		result string
		codec  string
		want   string // a part of the reason, or "" for storable
	}{
		{"Money", "", "field Money.cents (f.go:9) is unexported: msgpack would drop it (msgpack does not call Money's MarshalJSON and UnmarshalJSON)"},
		{"Money", "msgpack+zstd", "field Money.cents (f.go:9) is unexported"},
		{"Money", "json", ""},
		{"Money", "gob", "field Money.cents (f.go:9) is unexported: gob would drop it"},
		{"Packed", "json+gzip", "field Packed.n (f.go:14) is unexported: json would drop it (json does not call Packed's MarshalBinary and UnmarshalBinary)"},
		{"Packed", "msgpack", ""},
		{"Packed", "gob", ""},
		{"User", "json", `field User.PasswordHash (f.go:21) is tagged json:"-": json would drop it`},
		{"User", "msgpack", ""},
		{"Account", "msgpack", `field Account.Token (f.go:26) is tagged msgpack:"-": msgpack would drop it`},
		{"Account", "json", ""},
		{"Item", "json", `field Item.Base.ID (f.go:29) is hidden by Item.ID (f.go:33), of the same name "ID": json would drop it`},
		{"Item", "msgpack", `field Item.Base.ID (f.go:29) is hidden by Item.ID (f.go:33), of the same name "ID": msgpack would drop it`},
		{"Item", "gob", ""},
		{"ItemFirst", "msgpack", ""},
		{"ItemFirst", "json", `field ItemFirst.Base.ID (f.go:29) is hidden by ItemFirst.ID`},
		{"Both", "json", `field Both.Base.ID (f.go:29) and Both.Other.ID (f.go:41) have the same name "ID": json would drop both`},
		{"Both", "msgpack", ""},
		{"Tagged", "json", ""},
		{"Label", "msgpack", "type Label (f.go:53) has MarshalText but no UnmarshalText: msgpack would write it with MarshalText and read it field by field"},
		{"Label", "json", "type Label (f.go:53) has MarshalText but no UnmarshalText"},
		{"Label", "gob", "field Label.s (f.go:53) is unexported"},
		{"Ptr", "json", ""},
		{"Money", "yaml", "field Money.cents (f.go:9) is unexported: yaml would drop it"},
		{"User", "yaml", ""},
		{"[]complex128", "yaml", "result 1 contains a complex128, which yaml cannot store"},
		{"any", "yaml", "result 1 is an interface"},
		{"[]Ptr", "json", ""},
		{"map[string]*Ptr", "json", ""},
		{"map[string]Ptr", "json", "result 1 contains Ptr, whose MarshalJSON is declared on *Ptr: json does not call it on a map key or value and would write its fields"},
		{"map[string]Ptr", "msgpack", "field Ptr.n (f.go:57) is unexported"},
		{"map[string][1]Ptr", "json", "whose MarshalJSON is declared on *Ptr"},
		{"Event", "json", "type Event (f.go:62) gets MarshalJSON from its embedded Time: json would write only that and drop field Name (f.go:64)"},
		{"Event", "msgpack", "type Event (f.go:62) gets MarshalBinary from its embedded Time: msgpack would write only that"},
		{"Event", "gob", "gets GobEncode from its embedded Time"},
		{"Stamp", "json", ""},
		{"Stamp", "msgpack", ""},
		{"time.Time", "msgpack", ""},
		{"map[string][]*time.Time", "json", ""},
		{"complex128", "msgpack", "result 1 is a complex128, which msgpack cannot store"},
		{"[]complex64", "json", "result 1 contains a complex64, which json cannot store"},
		{"complex128", "gob", ""},
		{"uintptr", "msgpack", "a uintptr, which msgpack cannot store"},
		{"map[Color]int", "json", ""},
		{"map[Base]int", "json", "result 1 is a map with keys of type Base (f.go:29), which json cannot write"},
		{"map[Label]int", "json", "which json cannot read"},
		{"map[Base]int", "msgpack", ""},
		{"map[int64]string", "json", ""},
		{"Outer", "json", ""},
		{"Outer", "msgpack", ""},
		{"Outer", "gob", "field Outer.inner (f.go:76) is unexported: gob would drop it"},
		{"Aliased", "msgpack", `field Aliased.ID (f.go:81) is read into Aliased.Name (f.go:82), whose alias is "ID": msgpack would drop it`},
		{"Node", "json", "field Node.Node (f.go:86) embeds its own type: json would drop the fields it holds"},
		{"Node", "msgpack", "field Node.Node (f.go:86) embeds its own type"},
		{"Node", "gob", ""},
		{"*Cell", "msgpack", ""},
		{"Bag", "gob", ""},
		{"Bag", "msgpack", "field Bag.Items contains an interface (any): msgpack would lose its dynamic type"},
		{"struct{ A Money }", "msgpack", "field Money.cents (f.go:9) is unexported"},
		{"struct{ a int }", "json", "result 1 field a (f.go:"},
		{"func()", "json", "result 1 is a func, which no codec can store"},
		{"SelfAlias", "msgpack", ""},
		{"PtrInner", "msgpack", "field PtrInner.inner (f.go:102) embeds a pointer to an unexported struct type: msgpack cannot decode into it"},
		{"PtrInner", "json", "field PtrInner.inner (f.go:102) embeds a pointer to an unexported struct type: json cannot decode into it"},
		{"Money", "mine", ""},
		{"Money", "mine+gzip", ""},
	}
	for _, tt := range tests {
		src := storableTypes + "\nfunc F() " + tt.result + " { panic(0) }\n"
		results, pkg, fset := resultsOf(t, src)
		got := unstorable(results, tt.codec, pkg, fset)
		if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
			t.Errorf("unstorable(%s, codec %q) = %q; want %q", tt.result, tt.codec, got, tt.want)
		}
	}
}

func TestMayRecurse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		results              string
		wantMay, wantRecurse bool
	}{
		{"int", false, false},
		{"(Money, []User)", false, false},
		{"*Cell", true, true},
		{"(int, map[string][]Cell)", true, true},
		{"Node", true, true},
		{"Bag", true, false},
		{"error", true, false},
		{"time.Time", false, false},
	}
	for _, tt := range tests {
		results, _, _ := resultsOf(t, storableTypes+"\nfunc F() "+tt.results+" { panic(0) }\n")
		if may, recursive := mayRecurse(results); may != tt.wantMay || recursive != tt.wantRecurse {
			t.Errorf("mayRecurse(%s) = %t, %t; want %t, %t", tt.results, may, recursive, tt.wantMay, tt.wantRecurse)
		}
	}
	src := storableTypes + "\nfunc G[T any](v T) T { return v }\nfunc F() int { return 0 }\n"
	_, pkg, _ := resultsOf(t, src)
	sig := pkg.Scope().Lookup("G").Type().(*types.Signature)
	if may, recursive := mayRecurse([]*types.Var{sig.Results().At(0)}); !may || recursive {
		t.Errorf("mayRecurse(T) = %t, %t; want true, false: a type parameter is known only at run time", may, recursive)
	}
}
