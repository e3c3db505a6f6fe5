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

// invalidTypeSrc declares one function per case: a Bad function's
// parameter mentions an undefined type, a Good function's does not.
const invalidTypeSrc = `package p

import "context"

type List[T any] struct{ v T }

type Alias[T any] = List[T]

type Broken struct{ X Undefined }

type BrokenAlias = Undefined

func GoodTag(x struct{ X int ` + "`json:\"invalid type\"`" + ` })  {}
func GoodNamed(x List[List[int]])                                  {}
func GoodAlias(x Alias[string])                                     {}
func GoodFunc(x func(context.Context, ...int) (string, error))      {}
func GoodIface(x interface{ M(invalid int) })                       {}
func GoodBrokenNamed(x Broken)                                      {}
func GoodBrokenAlias(x BrokenAlias)                                 {}
func GoodParam[T ~int | ~string](x T)                               {}

func BadPlain(x Undefined)                                  {}
func BadPointer(x *Undefined)                               {}
func BadSlice(x []Undefined)                                {}
func BadArray(x [2]Undefined)                               {}
func BadMapKey(x map[Undefined]int)                         {}
func BadMapElem(x map[int]Undefined)                        {}
func BadChan(x <-chan Undefined)                            {}
func BadField(x struct{ A int; B *Undefined })              {}
func BadFuncParam(x func(int, Undefined))                   {}
func BadFuncResult(x func() (int, Undefined))               {}
func BadIfaceMethod(x interface{ M() Undefined })           {}
func BadIfaceEmbedded(x interface{ Undefined; N() })        {}
func BadNamedArg(x List[*Undefined])                        {}
func BadAliasArg(x Alias[[]Undefined])                      {}
func BadDeep(x map[string][]func() List[map[int]Undefined]) {}
`

// TestInvalidType checks invalidType on the first parameter of every
// function in invalidTypeSrc, type-checked with its errors.
func TestInvalidType(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	file, err := goparser.ParseFile(fset, "p.go", invalidTypeSrc, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Defs: map[*ast.Ident]types.Object{}}
	conf := types.Config{Importer: importer.Default(), Error: func(error) {}}
	pkg, _ := conf.Check("p", fset, []*ast.File{file}, info)
	var n int
	for _, name := range pkg.Scope().Names() {
		fn, ok := pkg.Scope().Lookup(name).(*types.Func)
		if !ok {
			continue
		}
		n++
		typ := fn.Type().(*types.Signature).Params().At(0).Type()
		want := strings.HasPrefix(name, "Bad")
		if got := invalidType(typ); got != want {
			t.Errorf("invalidType(%s's parameter %s) = %v; want %v", name, typ, got, want)
		}
	}
	if n != 23 {
		t.Errorf("checked %d functions; want 23", n)
	}
}
