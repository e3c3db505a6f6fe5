package generator

import (
	"fmt"
	"go/types"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"
	"golang.org/x/tools/go/types/typeutil"
)

// equalRenderer emits the functions that compare a result with what its
// encoding decodes to, which the runtime calls before a byte-level backend
// stores the result (memoimpl.FuncInfo.Equal, memoimpl.Diff): one per named
// composite type, shared by the functions whose results use it, and one
// per function whose result type has no name. They know every type, so
// they compare without reflection, except where generated code cannot
// look: an interface's dynamic value, another package's unexported fields.
type equalRenderer struct {
	local *types.Package
	taken map[string]bool // package-level names in use, shared with the key helpers
	// helpers maps a named type to its helpers' names by variant (a
	// map[string]string), a basic type to its comparison's name.
	helpers typeutil.Map
	pending []equalFunc // functions named but not yet emitted
}

// equalFunc is one comparison function to emit.
type equalFunc struct {
	name  string
	doc   string
	param jen.Code   // the type a and b point to
	t     types.Type // their type, or nil for a struct of several results
	// results lists the result types of a function with several, whose
	// results struct has fields R0, R1…
	results []types.Type
	class   string // the codec class the comparison is for
	// expand says t is the named type of a helper, whose comparison is
	// expanded here rather than delegated to the helper itself.
	expand bool
}

func newEqualRenderer(local *types.Package, taken map[string]bool) *equalRenderer {
	return &equalRenderer{local: local, taken: taken}
}

// equality returns the expression that FuncInfo.Equal holds for fm, or nil
// when fm needs none: its results are never stored (they cannot be, or
// verify=false), or it is generic, and the runtime compares each
// instantiation's results by reflection.
func (e *equalRenderer) equality(r *funcRenderer) jen.Code {
	fm := r.fm
	if fm.unstorable != "" || fm.dir.NoVerify || r.generic() {
		return nil
	}
	class := codecClass(fm.dir.Codec)
	if r.multi() {
		var results []types.Type
		for _, v := range fm.valueResults() {
			results = append(results, v.Type())
		}
		name := e.claim("memo" + fm.ident + "Equal")
		e.pending = append(e.pending, equalFunc{
			name:    name,
			doc:     fmt.Sprintf("%s compares the results of a call of %s with what their encoding decodes to.", name, r.displayName()),
			param:   jen.Id(r.resultsType()),
			results: results,
			class:   class,
		})
		return jen.Id(name)
	}
	t := fm.valueResults()[0].Type()
	if name, ok := e.helper(t, class); ok {
		return jen.Id(name)
	}
	if b, ok := types.Unalias(t).(*types.Basic); ok && !e.opaque(b) {
		// Every function returning a string shares one comparison.
		if name, ok := e.helpers.At(b).(string); ok {
			return jen.Id(name)
		}
		name := e.claim("memoEqual" + upperFirst(b.Name()))
		e.helpers.Set(b, name)
		e.pending = append(e.pending, equalFunc{
			name:  name,
			doc:   fmt.Sprintf("%s compares a result of type %s with what its encoding decodes to.", name, b.Name()),
			param: typeExpr(b),
			t:     b,
			class: class,
		})
		return jen.Id(name)
	}
	name := e.claim("memo" + fm.ident + "Equal")
	e.pending = append(e.pending, equalFunc{
		name:  name,
		doc:   fmt.Sprintf("%s compares a result of %s with what its encoding decodes to.", name, r.displayName()),
		param: typeExpr(t),
		t:     t,
		class: class,
	})
	return jen.Id(name)
}

// claim returns base, or base numbered, whichever is free, and takes it.
func (e *equalRenderer) claim(base string) string {
	name := base
	for i := 2; e.taken[name]; i++ {
		name = base + strconv.Itoa(i)
	}
	e.taken[name] = true
	return name
}

// helper returns the name of the function comparing values of named
// composite type t for codecs of class, planning it on first use. Types
// this package cannot spell, and generic ones, get none.
func (e *equalRenderer) helper(t types.Type, class string) (string, bool) {
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || hasTypeParams(named) || !nameable(named, e.local) {
		return "", false
	}
	if e.byEncoding(named, class) || e.opaque(named) {
		return "", false
	}
	switch named.Underlying().(type) {
	case *types.Struct, *types.Slice, *types.Array, *types.Map, *types.Pointer:
	default:
		return "", false
	}
	variants, _ := e.helpers.At(named).(map[string]string)
	variant := e.variant(named, class)
	if name, ok := variants[variant]; ok {
		return name, true
	}
	if variants == nil {
		variants = make(map[string]string)
		e.helpers.Set(named, variants)
	}
	name := e.claim("memoEqual" + upperFirst(named.Obj().Name()))
	variants[variant] = name
	encodedBy := e.encodedBy(named, variant)
	e.pending = append(e.pending, equalFunc{
		name:   name,
		doc:    fmt.Sprintf("%s compares a value of type %s with what its %sencoding decodes to.", name, typeString(named, e.local), encodedBy),
		param:  typeExpr(named),
		t:      named,
		class:  class,
		expand: true,
	})
	return name, true
}

// emit appends every planned function to f, including those that emitting
// others plans.
func (e *equalRenderer) emit(f *jen.File) {
	for len(e.pending) > 0 {
		fn := e.pending[0]
		e.pending = e.pending[1:]
		for _, line := range wrap([]string{fn.doc}, 76) {
			f.Comment(line)
		}
		f.Func().Id(fn.name).Params(
			jen.Id("d").Op("*").Qual(implPath, "Diff"),
			jen.List(jen.Id("a"), jen.Id("b")).Op("*").Add(fn.param),
		).Bool().BlockFunc(func(g *jen.Group) {
			if fn.t != nil && e.recursive(fn.t, fn.class) {
				// A cyclic value meets the same pair again: equal so far.
				g.If(diff().Dot("Visited").Call(jen.Id("a"), jen.Id("b"))).Block(jen.Return(jen.True()))
			}
			var stmts []jen.Code
			if fn.t == nil {
				for i, t := range fn.results {
					field := fmt.Sprintf("R%d", i)
					stmts = append(stmts, e.compare(jen.Id("a").Dot(field), jen.Id("b").Dot(field), t, path{format: fmt.Sprintf(" %d", i+1)}, 0, fn.class)...)
				}
			} else {
				a, b := deref(jen.Id("a")), deref(jen.Id("b"))
				if fn.expand {
					stmts = e.compareComposite(a, b, fn.t, path{}, 0, fn.class)
				} else {
					stmts = e.compare(a, b, fn.t, path{}, 0, fn.class)
				}
			}
			end := jen.Return(jen.True())
			if n := len(stmts); n > 0 {
				if last, ok := stmts[n-1].(guard); ok && last.plain {
					stmts, end = stmts[:n-1], jen.Return(last.good)
				}
			}
			for _, s := range stmts {
				g.Add(s)
			}
			g.Add(end)
		})
		f.Line()
	}
}

// path is where a comparison is, relative to the value the function
// compares: a format and its arguments, as Diff.Differ takes them.
type path struct {
	format string
	args   []jen.Code
}

func (p path) with(format string, args ...jen.Code) path {
	return path{format: p.format + format, args: append(append([]jen.Code(nil), p.args...), args...)}
}

// call returns the arguments format, args... of a Diff method, after
// those given.
func (p path) call(first ...jen.Code) []jen.Code {
	return append(append(first, jen.Lit(p.format)), p.args...)
}

// dereference is *ptr.
type dereference struct {
	*jen.Statement          // *ptr
	ptr            jen.Code // ptr
}

func deref(ptr jen.Code) jen.Code { return dereference{jen.Op("*").Add(ptr), ptr} }

// selector returns x ready for a field selector to follow: ptr for *ptr,
// as Go selects through pointers to structs.
func selector(x jen.Code) *jen.Statement {
	if d, ok := x.(dereference); ok {
		if _, nested := d.ptr.(dereference); nested {
			return jen.Parens(d.ptr) // (*p).F, through a named pointer type
		}
		return jen.Add(d.ptr)
	}
	return jen.Add(x)
}

// indexed returns x ready for an index to follow: (*ptr) for *ptr.
func indexed(x jen.Code) *jen.Statement {
	if d, ok := x.(dereference); ok {
		return jen.Parens(d.Statement)
	}
	return jen.Add(x)
}

// diff is the comparison functions' *memoimpl.Diff parameter.
func diff() *jen.Statement { return jen.Id("d") }

// fail returns from a comparison function after a callee found a
// difference, adding where it is.
func fail(p path) jen.Code {
	if p.format == "" {
		return jen.Return(jen.False())
	}
	return jen.Return(diff().Dot("At").Call(p.call()...))
}

// differ returns from a comparison function, recording that a became b.
func differ(a, b jen.Code, p path) jen.Code {
	return jen.Return(diff().Dot("Differ").Call(p.call(a, b)...))
}

// guard is a statement "if bad { ret }". It keeps its parts, so that a
// pointer's check can take in its pointee's, and a function ending in a
// guard that merely returns false can return good, the negation of bad.
type guard struct {
	*jen.Statement
	bad, good, ret jen.Code
	plain          bool // ret is "return false"
}

func newGuard(bad, good, ret jen.Code, plain bool) guard {
	return guard{jen.If(bad).Block(ret), bad, good, ret, plain}
}

// check returns "if !good { fail }".
func check(good jen.Code, p path) jen.Code {
	return newGuard(jen.Op("!").Add(good), good, fail(p), p.format == "")
}

// differs returns "if bad { differ }".
func differs(bad, good, a, b jen.Code, p path) jen.Code {
	return newGuard(bad, good, differ(a, b, p), false)
}

// compare returns the statements that compare a with b, of type t, both
// addressable, returning false from the function on a difference.
func (e *equalRenderer) compare(a, b jen.Code, t types.Type, p path, depth int, class string) []jen.Code {
	t = types.Unalias(t)
	addr := func(x jen.Code) jen.Code {
		if d, ok := x.(dereference); ok {
			return d.ptr // &*p is p
		}
		return jen.Op("&").Add(x)
	}
	switch {
	case isNamed(t, "time", "Time"):
		return []jen.Code{check(diff().Dot("Time").Call(a, b), p)}
	case e.byEncoding(t, class), e.opaque(t):
		return []jen.Code{check(diff().Dot("Reflect").Call(addr(a), addr(b)), p)}
	}
	if name, ok := e.helper(t, class); ok {
		return []jen.Code{check(jen.Id(name).Call(diff(), addr(a), addr(b)), p)}
	}
	if u, ok := t.Underlying().(*types.Basic); ok {
		switch {
		case u.Info()&types.IsFloat != 0:
			same := jen.Qual(implPath, "SameFloat").Call(convert("float64", a, t), convert("float64", b, t))
			return []jen.Code{differs(jen.Op("!").Add(same), same, a, b, p)}
		case u.Info()&types.IsComplex != 0:
			same := jen.Qual(implPath, "SameComplex").Call(convert("complex128", a, t), convert("complex128", b, t))
			return []jen.Code{differs(jen.Op("!").Add(same), same, a, b, p)}
		}
		return []jen.Code{differs(jen.Add(a).Op("!=").Add(b), jen.Add(a).Op("==").Add(b), a, b, p)}
	}
	if e.recursive(t, class) {
		// A recursive type without a helper (one this package cannot name)
		// would expand without end.
		return []jen.Code{check(diff().Dot("Reflect").Call(addr(a), addr(b)), p)}
	}
	return e.compareComposite(a, b, t, p, depth, class)
}

// compareComposite expands the comparison of a slice, array, map, pointer
// or struct in place.
func (e *equalRenderer) compareComposite(a, b jen.Code, t types.Type, p path, depth int, class string) []jen.Code {
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
				out = append(out, e.compare(selector(a).Dot(f.Name()), selector(b).Dot(f.Name()), f.Type(), p.with("."+f.Name()), depth, class)...)
			}
		}
		return out
	case *types.Slice, *types.Array:
		elem := u.(interface{ Elem() types.Type }).Elem()
		i := local("i")
		body := e.compare(indexed(a).Index(i), indexed(b).Index(i), elem, p.with("[%d]", i), depth+1, class)
		var out []jen.Code
		if _, ok := u.(*types.Slice); ok {
			out = append(out, check(jen.Qual(implPath, "SameLen").Call(diff(), a, b), p))
		}
		if len(body) > 0 {
			out = append(out, jen.For(jen.Add(i).Op(":=").Range().Add(a)).Block(body...))
		}
		return out
	case *types.Map:
		k, va, vb, ok := local("k"), local("va"), local("vb"), local("ok")
		keyPath := p.with("[%v]", k)
		if b, isBasic := u.Key().Underlying().(*types.Basic); isBasic && b.Info()&types.IsString != 0 {
			keyPath = p.with("[%q]", k)
		}
		body := e.compare(va, vb, u.Elem(), keyPath, depth+1, class)
		missing := jen.If(jen.Op("!").Add(ok)).Block(jen.Return(diff().Dot("Missing").Call(p.call(k)...)))
		loop := jen.For(jen.List(k, va).Op(":=").Range().Add(a)).Block(
			append([]jen.Code{jen.List(vb, ok).Op(":=").Add(indexed(b).Index(k)), missing}, body...)...,
		)
		if len(body) == 0 {
			loop = jen.For(jen.Add(k).Op(":=").Range().Add(a)).Block(
				jen.If(jen.List(jen.Id("_"), ok).Op(":=").Add(indexed(b).Index(k)), jen.Op("!").Add(ok)).Block(jen.Return(diff().Dot("Missing").Call(p.call(k)...))),
			)
		}
		return []jen.Code{check(jen.Qual(implPath, "SameMapLen").Call(diff(), a, b), p), loop}
	case *types.Pointer:
		out := []jen.Code{check(jen.Qual(implPath, "SameNil").Call(diff(), a, b), p)}
		body := e.compare(deref(a), deref(b), u.Elem(), p, depth, class)
		if len(body) == 1 {
			if g, ok := body[0].(guard); ok {
				// One check of the pointee: guard it by the pointer.
				return append(out, newGuard(
					jen.Add(a).Op("!=").Nil().Op("&&").Add(g.bad),
					jen.Add(a).Op("==").Nil().Op("||").Add(g.good),
					g.ret, g.plain))
			}
		}
		if len(body) > 0 {
			out = append(out, jen.If(jen.Add(a).Op("!=").Nil()).Block(body...))
		}
		return out
	}
	// A func, a channel or an unsafe.Pointer: no codec stores one, and
	// analysis runs such a function uncached; reflection says why if ever.
	return []jen.Code{check(diff().Dot("Reflect").Call(jen.Op("&").Add(a), jen.Op("&").Add(b)), p)}
}

// opaque reports whether generated code cannot compare a value of type t
// itself: an interface, whose dynamic value it cannot see; a type
// parameter; a struct with another package's unexported fields. Those are
// compared by reflection.
func (e *equalRenderer) opaque(t types.Type) bool {
	switch u := types.Unalias(t).Underlying().(type) {
	case *types.Interface:
		return true
	case *types.Struct:
		for i := range u.NumFields() {
			if f := u.Field(i); f.Name() != "_" && !f.Exported() && f.Pkg() != e.local {
				return true
			}
		}
	case *types.Signature, *types.Chan:
		return true
	case *types.Basic:
		return u.Kind() == types.UnsafePointer
	}
	_, isParam := types.Unalias(t).(*types.TypeParam)
	return isParam
}

// byEncoding reports whether a codec of class encodes a value of type t by
// a method of its own (not one
// promoted from an embedded field, which would leave the other fields
// out: a struct embedding a time.Time is compared field by field).
func (e *equalRenderer) byEncoding(t types.Type, class string) bool {
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Interface:
		return false
	}
	if isNamed(t, "time", "Time") {
		return false
	}
	for _, name := range selfEncoders[class] {
		fn := ownMethod(t, e.local, name)
		if fn == nil {
			continue
		}
		sig := fn.Type().(*types.Signature)
		if name == "EncodeMsgpack" {
			if sig.Params().Len() == 1 && sig.Results().Len() == 1 && isError(sig.Results().At(0).Type()) {
				return true
			}
			continue
		}
		if sig.Params().Len() == 0 && sig.Results().Len() == 2 &&
			types.Identical(sig.Results().At(0).Type(), types.NewSlice(types.Typ[types.Byte])) && isError(sig.Results().At(1).Type()) {
			return true
		}
	}
	return false
}

// selfEncoders lists, for each built-in codec, the methods by which a value
// encodes itself. The runtime's reflective comparison holds the same list
// (runtime/diffreflect.go); a codec of the user's own is taken to use none,
// so that its results are compared field by field, the stricter way.
var selfEncoders = map[string][]string{
	"json":    {"MarshalJSON", "MarshalText"},
	"gob":     {"GobEncode", "MarshalBinary", "MarshalText"},
	"msgpack": {"EncodeMsgpack", "MarshalMsgpack", "MarshalBinary", "MarshalText"},
}

// codecClass returns the codec a spec starts with ("json" for
// "json+gzip"), msgpack when it names none.
func codecClass(spec string) string {
	name, _, _ := strings.Cut(spec, "+")
	if name == "" {
		return "msgpack"
	}
	return name
}

// keepsLocal reports whether the codec of spec reads a time in time.Local
// back in its zone: memogen's msgpack stores the zone itself; json and gob
// store an offset alone, and a codec of the user's own is not trusted to.
func keepsLocal(spec string) bool { return codecClass(spec) == "msgpack" }

// variant tells apart the comparisons of type t that codecs of different
// classes need: it lists, for each type t holds that some codec encodes by
// its own method, whether the codec of class does. Most types hold none,
// and one helper serves every codec.
func (e *equalRenderer) variant(t types.Type, class string) string {
	var b strings.Builder
	seen := make(map[types.Type]bool)
	var walk func(types.Type)
	walk = func(t types.Type) {
		t = types.Unalias(t)
		if seen[t] || isNamed(t, "time", "Time") || e.opaque(t) {
			return
		}
		seen[t] = true
		for c := range selfEncoders {
			if e.byEncoding(t, c) {
				fmt.Fprintf(&b, "%t,", e.byEncoding(t, class))
				return
			}
		}
		elems, _ := elemTypes(t, e.local)
		for _, el := range elems {
			walk(el)
		}
	}
	walk(t)
	return b.String()
}

// encodedBy names, for a helper's doc, the codecs whose comparisons of t
// the variant serves, when not all of them ("gob or msgpack "), else "".
func (e *equalRenderer) encodedBy(t types.Type, variant string) string {
	var names []string
	for _, c := range []string{"gob", "json", "msgpack"} {
		if e.variant(t, c) == variant {
			names = append(names, c)
		}
	}
	others := e.variant(t, "") == variant
	switch {
	case others && len(names) == 3:
		return ""
	case others:
		names = append(names, "another codec's")
	}
	if len(names) == 1 {
		return names[0] + " "
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1] + " "
}

// recursive reports whether a value of named type t can contain another t
// along what the comparison walks.
func (e *equalRenderer) recursive(t types.Type, class string) bool {
	target, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	seen := make(map[types.Type]bool)
	var reaches func(types.Type) bool
	reaches = func(t types.Type) bool {
		elems, _ := elemTypes(t, e.local)
		for _, el := range elems {
			el = types.Unalias(el)
			if types.Identical(el, target) {
				return true
			}
			if seen[el] || isNamed(el, "time", "Time") || e.byEncoding(el, class) || e.opaque(el) {
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
