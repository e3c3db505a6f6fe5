package generator

import (
	"fmt"
	"go/types"
	"strconv"

	"github.com/dave/jennifer/jen"
	"golang.org/x/tools/go/types/typeutil"
)

// keyRenderer emits the code that writes arguments through a memo.Key
// named k, which each write returns updated (k = k.Text(s)), so that its
// buffer stays in registers; code that needs the *KeyWriter (a MemoKey
// method, memo.Dynamic) gets it from k.Flush() and reloads k after. Named
// composite types get one helper function each, which takes and returns
// k: that makes recursive types terminate and keeps wrappers short.
type keyRenderer struct {
	local   *types.Package
	helpers typeutil.Map    // types.Type → helper name
	taken   map[string]bool // helper names in use
	pending []types.Type    // helpers named but not yet emitted
}

// newKeyRenderer returns a keyRenderer whose helpers avoid the package's
// own names and the generated names reserved.
func newKeyRenderer(local *types.Package, reserved []string) *keyRenderer {
	k := &keyRenderer{local: local, taken: make(map[string]bool)}
	for _, name := range append(local.Scope().Names(), reserved...) {
		k.taken[name] = true
	}
	return k
}

// write appends to g the statements that key expr, of type t. expr must be
// addressable (a variable, a field or element of one, or a dereference),
// because key methods may have pointer receivers.
func (k *keyRenderer) write(g *jen.Group, expr jen.Code, t types.Type, depth int) {
	kind, _ := classify(t, k.local)
	switch kind {
	case kindKeyMethod:
		throughWriter(g, jen.Add(expr).Dot("MemoKey").Call(flushedKey()))
	case kindKeyerIface:
		// The runtime writes the dynamic type first, since values of two
		// types may write the same key (Circle{1} and Square{1}), and keys a
		// nil pointer inside the interface without calling its MemoKey.
		writeKey(g, "Keyer", expr)
	case kindBinary, kindMarshaled:
		k.writeMarshaled(g, expr, nil, t, depth)
	case kindKeyFunc:
		call := jen.Id(keyFuncFor(t, k.local).Name()).Call(flushedKey(), expr)
		if _, ok := t.Underlying().(*types.Pointer); !ok {
			throughWriter(g, call)
			return
		}
		// A nil pointer is keyed as nil, not handed to the key function,
		// which would dereference it where the wrapped function may not
		// (func keyRegexp(w *memo.KeyWriter, re *regexp.Regexp)).
		unlessNil(g, expr, func(g *jen.Group) { throughWriter(g, call) })
	case kindTime:
		writeKey(g, "Time", expr)
	case kindBool:
		writeKey(g, "Bool", convert("bool", expr, t))
	case kindInt:
		writeKey(g, "Int", convert("int64", expr, t))
	case kindUint:
		writeKey(g, "Uint", convert("uint64", expr, t))
	case kindFloat:
		writeKey(g, "Float", convert("float64", expr, t))
	case kindComplex:
		writeKey(g, "Complex", convert("complex128", expr, t))
	case kindString:
		writeKey(g, "Text", convert("string", expr, t))
	case kindBytes:
		writeKey(g, "Blob", expr)
	case kindTypeParam:
		throughWriter(g, jen.Qual(runtimePath, "Dynamic").Call(flushedKey(), expr))
	case kindSlice, kindArray, kindMap, kindPointer, kindStruct:
		if name, ok := k.helper(t); ok {
			g.Id(keyVar).Op("=").Id(name).Call(jen.Id(keyVar), jen.Op("&").Add(expr))
			return
		}
		if k.recursive(t) {
			// A recursive type without a helper (a generic one, whose helper
			// would need the type parameters in scope, or one this package
			// cannot name) cannot be expanded inline: key it dynamically.
			throughWriter(g, jen.Qual(runtimePath, "Dynamic").Call(flushedKey(), expr))
			return
		}
		k.writeComposite(g, expr, t, depth)
	default:
		panic(fmt.Sprintf("memogen: unkeyable %s passed analysis", t))
	}
}

// writeMarshaled keys expr, of type t, through its marshaling method and
// then, when t is a struct, through every exported field that can be keyed
// statically: a marshaler may print two values alike (url.URL's String
// drops a path's leading slash when the URL has a host), and the fields
// tell them apart. ptr, when not nil, is a pointer to expr, which methods
// with pointer receivers are called through.
func (k *keyRenderer) writeMarshaled(g *jen.Group, expr, ptr jen.Code, t types.Type, depth int) {
	base := expr
	if ptr != nil {
		base = ptr
	}
	kind, _ := classify(t, k.local)
	if kind == kindBinary {
		arg := base
		if ptr == nil && types.NewMethodSet(t).Lookup(k.local, "MarshalBinary") == nil {
			arg = jen.Op("&").Add(expr)
		}
		writeKey(g, "BinaryMarshaler", arg)
	} else {
		// The type's identity goes first, so that values of two types
		// whose methods write the same bytes make two keys.
		// expr is addressable, so a method value of a pointer method
		// takes its address by itself.
		m, _ := keyMarshaler(t, k.local)
		fn := "KeyAppended"
		if m.marshal {
			fn = "KeyMarshaled"
		}
		throughWriter(g, jen.Qual(implPath, fn).Call(flushedKey(), jen.Lit(types.TypeString(t, nil)), jen.Add(base).Dot(m.name)))
	}
	for _, f := range marshaledFields(t, k.local) {
		k.write(g, jen.Add(base).Dot(f.Name()), f.Type(), depth)
	}
}

// writeComposite expands a slice, array, map, pointer or struct in place.
func (k *keyRenderer) writeComposite(g *jen.Group, expr jen.Code, t types.Type, depth int) {
	d := strconv.Itoa(depth)
	switch u := t.Underlying().(type) {
	case *types.Slice:
		writeKey(g, "Length", jen.Len(expr))
		k.writeElems(g, expr, u.Elem(), depth)
	case *types.Array:
		if u.Len() > 0 {
			k.writeElems(g, expr, u.Elem(), depth)
		}
	case *types.Map:
		// A key or value that writes nothing (a set's struct{}) gets no
		// variable, which Go would reject as unused.
		key, val := jen.Id("memoK"+d), jen.Id("memoV"+d)
		var vars []jen.Code
		switch keyUsed, valUsed := !k.writesNothing(u.Key()), !k.writesNothing(u.Elem()); {
		case valUsed && keyUsed:
			vars = []jen.Code{key, val}
		case valUsed:
			vars = []jen.Code{jen.Id("_"), val}
		case keyUsed:
			vars = []jen.Code{key}
		}
		clause := jen.Range().Add(expr)
		if vars != nil {
			clause = jen.List(vars...).Op(":=").Range().Add(expr)
		}
		writeKey(g, "BeginMap", jen.Len(expr))
		g.For(clause).BlockFunc(func(g *jen.Group) {
			writeKey(g, "MapEntry")
			k.write(g, key, u.Key(), depth+1)
			k.write(g, val, u.Elem(), depth+1)
		})
		writeKey(g, "EndMap")
	case *types.Pointer:
		unlessNil(g, expr, func(g *jen.Group) {
			if name, ok := k.helper(u.Elem()); ok {
				g.Id(keyVar).Op("=").Id(name).Call(jen.Id(keyVar), expr)
				return
			}
			if kind, _ := classify(u.Elem(), k.local); kind == kindBinary || kind == kindMarshaled {
				k.writeMarshaled(g, jen.Parens(jen.Op("*").Add(expr)), expr, u.Elem(), depth+1)
				return
			}
			k.write(g, jen.Parens(jen.Op("*").Add(expr)), u.Elem(), depth+1)
		})
	case *types.Struct:
		for i := range u.NumFields() {
			if f := u.Field(i); f.Name() != "_" {
				k.write(g, jen.Add(expr).Dot(f.Name()), f.Type(), depth)
			}
		}
	}
}

func (k *keyRenderer) writeElems(g *jen.Group, expr jen.Code, elem types.Type, depth int) {
	if k.writesNothing(elem) {
		return // the length, written for slices, is the whole key
	}
	i := jen.Id("memoI" + strconv.Itoa(depth))
	g.For(jen.Add(i).Op(":=").Range().Add(expr)).BlockFunc(func(g *jen.Group) {
		k.write(g, jen.Add(expr).Index(i), elem, depth+1)
	})
}

// writesNothing reports whether a value of type t, expanded in place, adds
// nothing to the key: struct{}, structs and arrays made only of such
// values, and zero-length arrays. Named types keyed by a helper call do not
// count, since the call uses the value.
func (k *keyRenderer) writesNothing(t types.Type) bool {
	switch kind, _ := classify(t, k.local); kind {
	case kindStruct, kindArray:
	default:
		return false
	}
	if named, ok := types.Unalias(t).(*types.Named); ok && !hasTypeParams(named) && nameable(named, k.local) {
		return false
	}
	if k.recursive(t) {
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Struct:
		for i := range u.NumFields() {
			if f := u.Field(i); f.Name() != "_" && !k.writesNothing(f.Type()) {
				return false
			}
		}
		return true
	case *types.Array:
		return u.Len() == 0 || k.writesNothing(u.Elem())
	}
	return false
}

// helper returns the name of the helper function that keys named type t,
// planning one on first use. Only named composite types without type
// parameters get a helper.
func (k *keyRenderer) helper(t types.Type) (string, bool) {
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || hasTypeParams(named) || !nameable(named, k.local) {
		return "", false
	}
	switch kind, _ := classify(named, k.local); kind {
	case kindSlice, kindArray, kindMap, kindPointer, kindStruct:
	default:
		return "", false
	}
	if name, ok := k.helpers.At(named).(string); ok {
		return name, true
	}
	base := "memoKey" + upperFirst(named.Obj().Name())
	name := base
	for i := 2; k.taken[name]; i++ {
		name = base + strconv.Itoa(i)
	}
	k.taken[name] = true
	k.helpers.Set(named, name)
	k.pending = append(k.pending, named)
	return name, true
}

// emitHelpers appends every planned helper to f, including those that
// emitting others plans.
func (k *keyRenderer) emitHelpers(f *jen.File) {
	for len(k.pending) > 0 {
		t := k.pending[0]
		k.pending = k.pending[1:]
		name := k.helpers.At(t).(string)
		recursive := k.recursive(t)
		f.Commentf("%s writes the key of a value of type %s.", name, typeString(t, k.local))
		f.Func().Id(name).Params(
			jen.Id(keyVar).Qual(runtimePath, "Key"),
			jen.Id("v").Op("*").Add(typeExpr(t)),
		).Qual(runtimePath, "Key").BlockFunc(func(g *jen.Group) {
			if recursive {
				// Enter is false once the key has failed, so a cyclic value
				// with two links back into the cycle (a tree with parent
				// links) stops at once instead of being walked once per path
				// down to MaxKeyDepth, which never ends.
				g.If(jen.Op("!").Id(keyVar).Dot("Enter").Call()).Block(jen.Return(jen.Id(keyVar)))
			}
			var expr jen.Code = jen.Parens(jen.Op("*").Id("v"))
			if _, isStruct := t.Underlying().(*types.Struct); isStruct {
				expr = jen.Id("v")
			}
			k.writeComposite(g, expr, t, 0)
			if recursive {
				g.Id(keyVar).Dot("Leave").Call()
			}
			g.Return(jen.Id(keyVar))
		})
		f.Line()
	}
}

// keyVar names the memo.Key that generated key code writes through: a
// local of the Begin functions, a parameter of the key helpers.
const keyVar = "k"

// writeKey appends to g a write through the key: k = k.method(args...).
func writeKey(g *jen.Group, method string, args ...jen.Code) {
	g.Id(keyVar).Op("=").Id(keyVar).Dot(method).Call(args...)
}

// flushedKey is the *KeyWriter behind the key, with what the key wrote
// stored into it, for a call that needs the writer; throughWriter reloads
// the key after that call.
func flushedKey() jen.Code { return jen.Id(keyVar).Dot("Flush").Call() }

// unlessNil keys the pointer expr as absent when it is nil, and otherwise
// as present followed by what key writes.
func unlessNil(g *jen.Group, expr jen.Code, key func(g *jen.Group)) {
	g.If(jen.Add(expr).Op("==").Nil()).BlockFunc(func(g *jen.Group) {
		writeKey(g, "Present", jen.False())
	}).Else().BlockFunc(func(g *jen.Group) {
		writeKey(g, "Present", jen.True())
		key(g)
	})
}

// throughWriter appends to g call, which writes to the writer flushedKey
// returned, then reloads the key from the writer.
func throughWriter(g *jen.Group, call jen.Code) {
	g.Add(call)
	g.Id(keyVar).Op("=").Id(keyVar).Dot("Reload").Call()
}

// recursive reports whether a value of named type t can contain another t.
func (k *keyRenderer) recursive(t types.Type) bool { return isRecursive(t, k.local) }

// isRecursive reports whether a value of named type t can contain another t.
func isRecursive(t types.Type, local *types.Package) bool {
	target, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	seen := make(map[types.Type]bool)
	var reaches func(types.Type) bool
	reaches = func(t types.Type) bool {
		elems, _ := elemTypes(t, local)
		for _, e := range elems {
			e = types.Unalias(e)
			if types.Identical(e, target) {
				return true
			}
			if seen[e] {
				continue
			}
			seen[e] = true
			if kind, _ := classify(e, local); keyedWhole(kind) {
				continue
			}
			if reaches(e) {
				return true
			}
		}
		return false
	}
	return reaches(target)
}

// nameable reports whether code in package local can spell named type t,
// which a helper's signature must: not when it, or a type argument, is
// another package's unexported type.
func nameable(t *types.Named, local *types.Package) bool {
	if obj := t.Obj(); obj.Pkg() != nil && obj.Pkg() != local && !obj.Exported() {
		return false
	}
	for i := range t.TypeArgs().Len() {
		if arg, ok := types.Unalias(t.TypeArgs().At(i)).(*types.Named); ok && !nameable(arg, local) {
			return false
		}
	}
	return true
}

// convert wraps expr in a conversion to basic type name unless t is that
// type already.
func convert(name string, expr jen.Code, t types.Type) jen.Code {
	if b, ok := types.Unalias(t).(*types.Basic); ok && b.Name() == name {
		return expr
	}
	return jen.Id(name).Call(expr)
}

// hasTypeParams reports whether t mentions a type parameter.
func hasTypeParams(t types.Type) bool {
	found := false
	var visit func(types.Type, int)
	visit = func(t types.Type, depth int) {
		if found || depth > 32 {
			return
		}
		switch t := types.Unalias(t).(type) {
		case *types.TypeParam:
			found = true
		case *types.Named:
			for i := range t.TypeArgs().Len() {
				visit(t.TypeArgs().At(i), depth+1)
			}
		case *types.Pointer:
			visit(t.Elem(), depth+1)
		case *types.Slice:
			visit(t.Elem(), depth+1)
		case *types.Array:
			visit(t.Elem(), depth+1)
		case *types.Map:
			visit(t.Key(), depth+1)
			visit(t.Elem(), depth+1)
		case *types.Struct:
			for i := range t.NumFields() {
				visit(t.Field(i).Type(), depth+1)
			}
		}
	}
	visit(t, 0)
	return found
}
