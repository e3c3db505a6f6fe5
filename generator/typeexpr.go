package generator

import (
	"fmt"
	"go/types"
	"strconv"

	"github.com/dave/jennifer/jen"
)

// typeExpr spells t as code; jennifer qualifies and imports other packages'
// names, and leaves the generated file's own package unqualified.
func typeExpr(t types.Type) jen.Code {
	switch t := t.(type) {
	case *types.Alias:
		obj := t.Obj()
		if obj.Pkg() == nil {
			return jen.Id(obj.Name())
		}
		return withTypeArgs(jen.Qual(obj.Pkg().Path(), obj.Name()), t.TypeArgs())
	case *types.Named:
		obj := t.Obj()
		if obj.Pkg() == nil { // error, comparable
			return jen.Id(obj.Name())
		}
		return withTypeArgs(jen.Qual(obj.Pkg().Path(), obj.Name()), t.TypeArgs())
	case *types.TypeParam:
		return jen.Id(typeParamName(t))
	case *types.Basic:
		if t.Kind() == types.UnsafePointer {
			return jen.Qual("unsafe", "Pointer")
		}
		return jen.Id(t.Name())
	case *types.Pointer:
		return jen.Op("*").Add(typeExpr(t.Elem()))
	case *types.Slice:
		return jen.Index().Add(typeExpr(t.Elem()))
	case *types.Array:
		return jen.Index(jen.Lit(int(t.Len()))).Add(typeExpr(t.Elem()))
	case *types.Map:
		return jen.Map(typeExpr(t.Key())).Add(typeExpr(t.Elem()))
	case *types.Chan:
		switch t.Dir() {
		case types.SendOnly:
			return jen.Chan().Op("<-").Add(typeExpr(t.Elem()))
		case types.RecvOnly:
			return jen.Op("<-").Chan().Add(typeExpr(t.Elem()))
		}
		return jen.Chan().Add(typeExpr(t.Elem()))
	case *types.Signature:
		return jen.Func().Add(signatureExpr(t))
	case *types.Struct:
		return jen.StructFunc(func(g *jen.Group) {
			for i := range t.NumFields() {
				f := t.Field(i)
				var field *jen.Statement
				if f.Embedded() {
					field = jen.Add(typeExpr(f.Type()))
				} else {
					field = jen.Id(f.Name()).Add(typeExpr(f.Type()))
				}
				if tag := t.Tag(i); tag != "" {
					field.Id(strconv.Quote(tag))
				}
				g.Add(field)
			}
		})
	case *types.Interface:
		return interfaceExpr(t)
	case *types.Union:
		return jen.UnionFunc(func(g *jen.Group) {
			for i := range t.Len() {
				term := t.Term(i)
				if term.Tilde() {
					g.Op("~").Add(typeExpr(term.Type()))
				} else {
					g.Add(typeExpr(term.Type()))
				}
			}
		})
	case *types.Tuple:
		return tupleExpr(t, false)
	}
	return jen.Id(t.String())
}

func withTypeArgs(s *jen.Statement, args *types.TypeList) *jen.Statement {
	if args.Len() == 0 {
		return s
	}
	return s.TypesFunc(func(g *jen.Group) {
		for i := range args.Len() {
			g.Add(typeExpr(args.At(i)))
		}
	})
}

func interfaceExpr(t *types.Interface) jen.Code {
	if t.Empty() {
		return jen.Id("any")
	}
	if t.IsImplicit() && t.NumEmbeddeds() == 1 {
		return typeExpr(t.EmbeddedType(0))
	}
	return jen.InterfaceFunc(func(g *jen.Group) {
		for i := range t.NumEmbeddeds() {
			g.Add(typeExpr(t.EmbeddedType(i)))
		}
		for i := range t.NumExplicitMethods() {
			m := t.ExplicitMethod(i)
			g.Id(m.Name()).Add(signatureExpr(m.Type().(*types.Signature)))
		}
	})
}

// signatureExpr spells a signature's parameters and results, without "func".
func signatureExpr(sig *types.Signature) *jen.Statement {
	s := jen.Params(tupleExpr(sig.Params(), sig.Variadic()))
	if sig.Results().Len() > 0 {
		s.Params(tupleExpr(sig.Results(), false))
	}
	return s
}

// tupleExpr spells a parameter or result list's types, with names when it has
// them; variadic marks the last as ...T.
func tupleExpr(t *types.Tuple, variadic bool) jen.Code {
	named := t.Len() > 0 && t.At(0).Name() != ""
	return jen.ListFunc(func(g *jen.Group) {
		for i := range t.Len() {
			v := t.At(i)
			var typ jen.Code = typeExpr(v.Type())
			if variadic && i == t.Len()-1 {
				typ = jen.Op("...").Add(typeExpr(v.Type().(*types.Slice).Elem()))
			}
			if named {
				g.Id(v.Name()).Add(typ)
			} else {
				g.Add(typ)
			}
		}
	})
}

// typeParamName names type parameter tp in generated code: by its own name,
// or memoT and its index for a blank one (func (s Set[_]) Len() int),
// which generated code must name to instantiate things with it, and for
// one whose name generated code declares or refers to where the type
// parameter is in scope (F[memoR any], F[k comparable], F[context any]).
func typeParamName(tp *types.TypeParam) string {
	if name := tp.Obj().Name(); name != "_" && !generatedName(name) && !scopeNames[name] {
		return name
	}
	return fmt.Sprintf("memoT%d", tp.Index())
}

// scopeNames are the names besides memogen's own (generatedName) that
// generated functions declare as locals or parameters where the wrapped
// function's type parameters are in scope, and the packages generated code
// refers to in most files: a type parameter named as one of those would
// otherwise make the whole file import it under another name (see
// importClash), which still compiles but reads worse.
var scopeNames = map[string]bool{
	"k": true, "v": true, "a": true, "b": true, "d": true, "n": true, "r": true,
	"ctx": true, "recv": true,
	"context": true, "reflect": true, "time": true, "unsafe": true, "memoimpl": true,
}

// typeParamsExpr declares type parameters with their constraints, for a
// function or type declaration.
func typeParamsExpr(tps *types.TypeParamList) []jen.Code {
	var out []jen.Code
	for i := range tps.Len() {
		tp := tps.At(i)
		out = append(out, jen.Id(typeParamName(tp)).Add(typeExpr(tp.Constraint())))
	}
	return out
}

// typeParamNames lists type parameters by name, to instantiate a generic
// function or type.
func typeParamNames(tps *types.TypeParamList) []jen.Code {
	var out []jen.Code
	for i := range tps.Len() {
		out = append(out, jen.Id(typeParamName(tps.At(i))))
	}
	return out
}
