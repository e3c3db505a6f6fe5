package generator

import (
	"fmt"
	"go/types"
	"strconv"

	"github.com/dave/jennifer/jen"
	"golang.org/x/tools/go/types/typeutil"
)

// sizeRenderer emits the functions that estimate the bytes a result
// references outside itself, which a memory store bounded by bytes counts
// with the result's own size and its key (memoimpl.FuncInfo.Size): one per
// named composite type, shared by the functions whose results use it, and
// one per function whose result type has no name. They know every type,
// so they count the backing arrays of strings, slices and maps and what
// pointers point to without reflection, except where generated code
// cannot look: an interface's dynamic value, another package's unexported
// fields, and a type that holds itself, whose values may hold cycles; the
// runtime counts those by reflection, within bounds.
type sizeRenderer struct {
	local   *types.Package
	taken   map[string]bool // package-level names in use, shared with the key helpers
	helpers typeutil.Map    // a named type to its helper's name
	results typeutil.Map    // a result type to its shared estimator's name
	pending []sizeFunc      // functions named but not yet emitted
}

// sizeFunc is one estimator to emit.
type sizeFunc struct {
	name  string
	doc   string
	param jen.Code   // the type of r, a function's result, or the type v, a helper's, points to
	t     types.Type // that type, or nil for a struct of several results
	// results lists the result types of a function with several, whose
	// results struct has fields R0, R1…
	results []types.Type
	// helper says the function is the helper of named type t, which takes
	// a pointer and expands t's estimate, rather than delegating it to
	// itself.
	helper bool
}

func newSizeRenderer(local *types.Package, taken map[string]bool) *sizeRenderer {
	return &sizeRenderer{local: local, taken: taken}
}

// estimator returns the expression that FuncInfo.Size holds for fm, or nil
// when fm needs none: its results reference nothing outside themselves
// (numbers, flat structs), or it is generic, and the runtime estimates
// each instantiation's results by reflection. The estimator takes the
// result by value: called through an interface, one taking a pointer
// would move every result to the heap before it is stored.
func (s *sizeRenderer) estimator(r *funcRenderer) jen.Code {
	fm := r.fm
	if r.generic() {
		return nil
	}
	if r.multi() {
		var results []types.Type
		holding := false
		for _, v := range fm.valueResults() {
			results = append(results, v.Type())
			holding = holding || s.holds(v.Type())
		}
		if !holding {
			return nil
		}
		name := s.claim("memo" + fm.ident + "Size")
		s.pending = append(s.pending, sizeFunc{
			name:    name,
			doc:     fmt.Sprintf("%s estimates the bytes the results of a call of %s reference outside themselves.", name, r.displayName()),
			param:   jen.Id(r.resultsType()),
			results: results,
		})
		return jen.Id(name)
	}
	t := fm.valueResults()[0].Type()
	if !s.holds(t) {
		return nil
	}
	if name, ok := s.shared(t); ok {
		return jen.Id(name)
	}
	name := s.claim("memo" + fm.ident + "Size")
	s.pending = append(s.pending, sizeFunc{
		name:  name,
		doc:   fmt.Sprintf("%s estimates the bytes a result of %s references outside itself.", name, r.displayName()),
		param: typeExpr(t),
		t:     t,
	})
	return jen.Id(name)
}

// shared returns the name of the estimator of results of type t that
// every function returning a t shares, planning it on first use. Types
// that spelled as a name (shapeName) get one; a struct or an interface
// literal does not.
func (s *sizeRenderer) shared(t types.Type) (string, bool) {
	shape, ok := s.shapeName(t)
	if !ok {
		return "", false
	}
	if name, ok := s.results.At(t).(string); ok {
		return name, true
	}
	name := s.claim("memoSizeOf" + shape)
	s.results.Set(t, name)
	s.pending = append(s.pending, sizeFunc{
		name:  name,
		doc:   fmt.Sprintf("%s estimates the bytes a result of type %s references outside itself.", name, typeString(t, s.local)),
		param: typeExpr(t),
		t:     t,
	})
	return name, true
}

// shapeName spells type t as part of an identifier: String, Profile,
// PtrNode, SliceInt, Array4Byte, MapStringSliceInt, Any. Types this
// package cannot spell, instances of generic types, and struct, func,
// chan and non-empty interface literals have none.
func (s *sizeRenderer) shapeName(t types.Type) (string, bool) {
	switch t := types.Unalias(t).(type) {
	case *types.Basic:
		return upperFirst(t.Name()), true
	case *types.Named:
		if !nameable(t, s.local) || t.TypeArgs().Len() > 0 {
			return "", false
		}
		return upperFirst(t.Obj().Name()), true
	case *types.Pointer:
		elem, ok := s.shapeName(t.Elem())
		return "Ptr" + elem, ok
	case *types.Slice:
		elem, ok := s.shapeName(t.Elem())
		return "Slice" + elem, ok
	case *types.Array:
		elem, ok := s.shapeName(t.Elem())
		return fmt.Sprintf("Array%d%s", t.Len(), elem), ok
	case *types.Map:
		key, ok := s.shapeName(t.Key())
		elem, ok2 := s.shapeName(t.Elem())
		return "Map" + key + elem, ok && ok2
	case *types.Interface:
		return "Any", t.Empty()
	}
	return "", false
}

// claim returns base, or base numbered, whichever is free, and takes it.
func (s *sizeRenderer) claim(base string) string {
	name := base
	for i := 2; s.taken[name]; i++ {
		name = base + strconv.Itoa(i)
	}
	s.taken[name] = true
	return name
}

// helper returns the name of the estimator of named composite type t,
// planning it on first use. Types this package cannot spell, generic ones,
// those the runtime estimates by reflection and those that reference
// nothing get none.
func (s *sizeRenderer) helper(t types.Type) (string, bool) {
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || hasTypeParams(named) || !nameable(named, s.local) {
		return "", false
	}
	if s.reflected(named) || !s.holds(named) {
		return "", false
	}
	switch named.Underlying().(type) {
	case *types.Struct, *types.Slice, *types.Array, *types.Map, *types.Pointer:
	default:
		return "", false
	}
	if name, ok := s.helpers.At(named).(string); ok {
		return name, true
	}
	name := s.claim("memoSize" + upperFirst(named.Obj().Name()))
	s.helpers.Set(named, name)
	s.pending = append(s.pending, sizeFunc{
		name:   name,
		doc:    fmt.Sprintf("%s estimates the bytes a value of type %s references outside itself.", name, typeString(named, s.local)),
		param:  typeExpr(named),
		t:      named,
		helper: true,
	})
	return name, true
}

// emit appends every planned function to f, including those that emitting
// others plans.
func (s *sizeRenderer) emit(f *jen.File) {
	for len(s.pending) > 0 {
		fn := s.pending[0]
		s.pending = s.pending[1:]
		for _, line := range wrap([]string{fn.doc}, 76) {
			f.Comment(line)
		}
		var stmts []jen.Code
		param := jen.Id("r").Add(fn.param)
		switch {
		case fn.t == nil:
			for i, t := range fn.results {
				stmts = append(stmts, s.count(jen.Id("r").Dot(fmt.Sprintf("R%d", i)), t, 0)...)
			}
		case fn.helper:
			param = jen.Id("v").Op("*").Add(fn.param)
			stmts = s.countComposite(deref(jen.Id("v")), fn.t, 0)
		default:
			stmts = s.count(jen.Id("r"), fn.t, 0)
		}
		f.Func().Id(fn.name).Params(param).Int64().BlockFunc(func(g *jen.Group) {
			if len(stmts) == 1 {
				if t, ok := stmts[0].(term); ok {
					g.Return(t.expr)
					return
				}
			}
			g.Var().Id("n").Int64()
			for _, st := range stmts {
				g.Add(st)
			}
			g.Return(jen.Id("n"))
		})
		f.Line()
	}
}

// term is the statement "n += expr". It keeps expr, so that an estimator
// of a single term can return it.
type term struct {
	*jen.Statement
	expr jen.Code
}

func add(expr jen.Code) jen.Code { return term{jen.Id("n").Op("+=").Add(expr), expr} }

// count returns the statements that add to n the bytes x, of type t and
// addressable, references outside itself.
func (s *sizeRenderer) count(x jen.Code, t types.Type, depth int) []jen.Code {
	t = types.Unalias(t)
	if !s.holds(t) {
		return nil
	}
	addr := func(x jen.Code) jen.Code {
		if d, ok := x.(dereference); ok {
			return d.ptr // &*p is p
		}
		return jen.Op("&").Add(x)
	}
	if _, ok := t.Underlying().(*types.Interface); ok {
		return []jen.Code{add(jen.Qual(implPath, "DynamicSize").Call(x))}
	}
	if s.reflected(t) {
		return []jen.Code{add(jen.Qual(implPath, "ReferencedSize").Call(addr(x)))}
	}
	if name, ok := s.helper(t); ok {
		return []jen.Code{add(jen.Id(name).Call(addr(x)))}
	}
	if _, ok := t.Underlying().(*types.Basic); ok { // a string
		return []jen.Code{add(jen.Int64().Call(jen.Len(x)))}
	}
	return s.countComposite(x, t, depth)
}

// countComposite expands the estimate of a struct, slice, array, map or
// pointer in place.
func (s *sizeRenderer) countComposite(x jen.Code, t types.Type, depth int) []jen.Code {
	local := func(name string) *jen.Statement {
		if depth > 0 {
			name += strconv.Itoa(depth)
		}
		return jen.Id(name)
	}
	switch u := t.Underlying().(type) {
	case *types.Struct:
		var out []jen.Code
		for i := range u.NumFields() {
			if f := u.Field(i); f.Name() != "_" {
				out = append(out, s.count(selector(x).Dot(f.Name()), f.Type(), depth)...)
			}
		}
		return out
	case *types.Slice, *types.Array:
		elem := u.(interface{ Elem() types.Type }).Elem()
		var out []jen.Code
		if _, ok := u.(*types.Slice); ok {
			out = append(out, add(jen.Qual(implPath, "SliceSize").Call(x)))
		}
		i := local("i")
		if body := s.count(indexed(x).Index(i), elem, depth+1); len(body) > 0 {
			out = append(out, jen.For(jen.Add(i).Op(":=").Range().Add(x)).Block(body...))
		}
		return out
	case *types.Map:
		out := []jen.Code{add(jen.Qual(implPath, "MapSize").Call(x))}
		k, e := local("k"), local("e")
		keys := s.count(k, u.Key(), depth+1)
		elems := s.count(e, u.Elem(), depth+1)
		switch {
		case len(keys) > 0 && len(elems) > 0:
			out = append(out, jen.For(jen.List(k, e).Op(":=").Range().Add(x)).Block(append(keys, elems...)...))
		case len(keys) > 0:
			out = append(out, jen.For(jen.Add(k).Op(":=").Range().Add(x)).Block(keys...))
		case len(elems) > 0:
			out = append(out, jen.For(jen.List(jen.Id("_"), e).Op(":=").Range().Add(x)).Block(elems...))
		}
		return out
	case *types.Pointer:
		if s.reflected(u.Elem()) {
			// The runtime walks the pointer too, so that a cycle back to
			// it ends there.
			return []jen.Code{add(jen.Qual(implPath, "DynamicSize").Call(x))}
		}
		body := append([]jen.Code{add(jen.Qual(implPath, "PointeeSize").Call(x))}, s.count(deref(x), u.Elem(), depth)...)
		return []jen.Code{jen.If(jen.Add(x).Op("!=").Nil()).Block(body...)}
	}
	return nil
}

// holds reports whether a value of type t can reference memory outside
// itself that an estimate counts: through a string, a slice, a map, a
// pointer or an interface. A time.Time's location is shared, not counted;
// a func's closure and a channel's buffer are out of sight.
func (s *sizeRenderer) holds(t types.Type) bool {
	t = types.Unalias(t)
	if isNamed(t, "time", "Time") {
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Info()&types.IsString != 0
	case *types.Slice, *types.Map, *types.Pointer, *types.Interface, *types.TypeParam:
		return true
	case *types.Array:
		return u.Len() > 0 && s.holds(u.Elem())
	case *types.Struct:
		for i := range u.NumFields() {
			if s.holds(u.Field(i).Type()) {
				return true
			}
		}
	}
	return false
}

// reflected reports whether the runtime estimates a value of type t by
// reflection: a struct with another package's unexported fields, which
// generated code cannot read, or a named type that can hold itself, whose
// values may hold cycles that generated code would follow forever.
func (s *sizeRenderer) reflected(t types.Type) bool {
	t = types.Unalias(t)
	if u, ok := t.Underlying().(*types.Struct); ok {
		for i := range u.NumFields() {
			if f := u.Field(i); !f.Exported() && f.Pkg() != s.local && s.holds(f.Type()) {
				return true
			}
		}
	}
	target, ok := t.(*types.Named)
	if !ok {
		return false
	}
	seen := make(map[types.Type]bool)
	var reaches func(types.Type) bool
	reaches = func(t types.Type) bool {
		elems, _ := elemTypes(t, s.local)
		for _, el := range elems {
			el = types.Unalias(el)
			if types.Identical(el, target) {
				return true
			}
			if seen[el] || isNamed(el, "time", "Time") {
				continue
			}
			seen[el] = true
			if reaches(el) {
				return true
			}
		}
		return false
	}
	return reaches(target)
}
