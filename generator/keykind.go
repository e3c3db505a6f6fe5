package generator

import (
	"fmt"
	"go/types"
)

// runtimePath is the runtime's user-facing package, which generated code
// imports as memo for the names its users see (memo.KeyWriter,
// memo.Stats); implPath is the plumbing it calls for the rest.
const (
	runtimePath = "github.com/memogen/memogen/runtime"
	implPath    = runtimePath + "/memoimpl"
)

// keyKind is how one value enters a key. Analysis uses it to reject what
// cannot be keyed; rendering uses it to choose the KeyWriter call.
type keyKind int

const (
	kindInvalid    keyKind = iota
	kindKeyMethod          // the type's own MemoKey(*memo.KeyWriter)
	kindKeyerIface         // an interface whose method set has MemoKey
	kindBinary             // encoding.BinaryMarshaler
	kindKeyFunc            // a //memo:key function of the package
	kindMarshaled          // another marshaling method: keyMarshalers
	kindTime               // time.Time
	kindBool
	kindInt
	kindUint
	kindFloat
	kindComplex
	kindString
	kindBytes // []byte
	kindSlice
	kindArray
	kindMap
	kindPointer
	kindStruct
	kindTypeParam
)

// classify returns how a value of type t is keyed by code in package local,
// or kindInvalid and the reason it cannot be.
func classify(t types.Type, local *types.Package) (keyKind, string) {
	t = types.Unalias(t)
	if _, ok := t.(*types.TypeParam); ok {
		return kindTypeParam, ""
	}
	if keyFuncFor(t, local) != nil {
		return kindKeyFunc, ""
	}
	if isNamed(t, "time", "Time") {
		return kindTime, ""
	}
	if _, isPtr := t.Underlying().(*types.Pointer); !isPtr {
		if _, isIface := t.Underlying().(*types.Interface); isIface {
			if hasKeyMethod(t, local) {
				return kindKeyerIface, ""
			}
			return kindInvalid, "an interface's dynamic value has no static encoding"
		}
		if hasKeyMethod(t, local) {
			return kindKeyMethod, ""
		}
		// A string, number, bool or byte slice is keyed by its value even
		// when its type has a marshaling method: the method may print two
		// values alike that the function tells apart (net.IP's 4- and
		// 16-byte forms, an address type whose MarshalText lower-cases).
		if kind, ok := valueKind(t); ok {
			return kind, ""
		}
		if hasBinaryMarshaler(t, local) {
			return kindBinary, ""
		}
		if _, ok := keyMarshaler(t, local); ok {
			return kindMarshaled, ""
		}
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return classifyBasic(u)
	case *types.Slice:
		if b, ok := types.Unalias(u.Elem()).(*types.Basic); ok && b.Kind() == types.Byte {
			return kindBytes, ""
		}
		return kindSlice, ""
	case *types.Array:
		return kindArray, ""
	case *types.Map:
		return kindMap, ""
	case *types.Pointer:
		return kindPointer, ""
	case *types.Struct:
		for i := range u.NumFields() {
			f := u.Field(i)
			if f.Name() != "_" && !f.Exported() && f.Pkg() != local {
				return kindInvalid, fmt.Sprintf("struct %s has unexported field %s", typeString(t, local), f.Name())
			}
		}
		return kindStruct, ""
	case *types.Signature:
		return kindInvalid, "a func has no value to key"
	case *types.Chan:
		return kindInvalid, "a channel has no value to key"
	}
	return kindInvalid, "it has no stable encoding"
}

// valueKind returns the kind of t when its underlying type is a basic type
// that can be keyed or a byte slice: values keyed exactly as they are.
func valueKind(t types.Type) (keyKind, bool) {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		kind, _ := classifyBasic(u)
		return kind, kind != kindInvalid
	case *types.Slice:
		if b, ok := types.Unalias(u.Elem()).(*types.Basic); ok && b.Kind() == types.Byte {
			return kindBytes, true
		}
	}
	return kindInvalid, false
}

func classifyBasic(b *types.Basic) (keyKind, string) {
	info := b.Info()
	switch {
	case b.Kind() == types.UnsafePointer:
		return kindInvalid, "an unsafe.Pointer has no value to key"
	case info&types.IsBoolean != 0:
		return kindBool, ""
	case info&types.IsString != 0:
		return kindString, ""
	case info&types.IsComplex != 0:
		return kindComplex, ""
	case info&types.IsFloat != 0:
		return kindFloat, ""
	case info&types.IsUnsigned != 0:
		return kindUint, ""
	case info&types.IsInteger != 0:
		return kindInt, ""
	}
	return kindInvalid, "it has no stable encoding"
}

// elemTypes returns the types a composite value's encoding recurses into,
// with how each is reached, for error messages.
func elemTypes(t types.Type, local *types.Package) (elems []types.Type, paths []string) {
	switch u := t.Underlying().(type) {
	case *types.Slice:
		return []types.Type{u.Elem()}, []string{"[i]"}
	case *types.Array:
		return []types.Type{u.Elem()}, []string{"[i]"}
	case *types.Map:
		return []types.Type{u.Key(), u.Elem()}, []string{" key", "[k]"}
	case *types.Pointer:
		return []types.Type{u.Elem()}, []string{""}
	case *types.Struct:
		for i := range u.NumFields() {
			if f := u.Field(i); f.Name() != "_" {
				elems = append(elems, f.Type())
				paths = append(paths, "."+f.Name())
			}
		}
	}
	return elems, paths
}

// keyProblem walks t and returns the first part that cannot be keyed, as
// "<what> of type <T>: <reason>", or "".
func keyProblem(t types.Type, what string, local *types.Package, seen map[types.Type]bool) string {
	kind, reason := classify(t, local)
	if kind == kindInvalid {
		return fmt.Sprintf("%s of type %s cannot be keyed: %s", what, typeString(t, local), reason)
	}
	if named, ok := types.Unalias(t).(*types.Named); ok {
		if seen[named] {
			return ""
		}
		seen[named] = true
		// A recursive type that mentions a type parameter gets no helper
		// (its signature would need the type parameters), so it is keyed
		// by reflection, which cannot read unexported fields.
		if hasTypeParams(named) && isRecursive(named, local) {
			if field := unexportedField(named, local); field != "" {
				return fmt.Sprintf("%s of type %s cannot be keyed: a recursive generic type is keyed by reflection, which cannot read the unexported field %s (export it)",
					what, typeString(t, local), field)
			}
		}
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		// A pointer and its pointee share a path, so a pointee that cannot
		// be keyed is reported under the pointer type the path has.
		if kind, reason := classify(p.Elem(), local); kind == kindInvalid {
			return fmt.Sprintf("%s of type %s cannot be keyed: %s", what, typeString(t, local), reason)
		}
	}
	switch kind {
	case kindSlice, kindArray, kindMap, kindPointer, kindStruct:
		elems, paths := elemTypes(t, local)
		for i, e := range elems {
			if p := keyProblem(e, what+paths[i], local, seen); p != "" {
				return p
			}
		}
	}
	return ""
}

// unexportedField returns the first unexported struct field, as
// Type.field, that keying a value of type t by reflection would walk into,
// or "" when there is none.
func unexportedField(t types.Type, local *types.Package) string {
	seen := make(map[types.Type]bool)
	var find func(types.Type) string
	find = func(t types.Type) string {
		t = types.Unalias(t)
		if seen[t] {
			return ""
		}
		seen[t] = true
		if kind, _ := classify(t, local); keyedWhole(kind) {
			return ""
		}
		if st, ok := t.Underlying().(*types.Struct); ok {
			for i := range st.NumFields() {
				if f := st.Field(i); !f.Exported() && f.Name() != "_" {
					return typeString(t, local) + "." + f.Name()
				}
			}
		}
		elems, _ := elemTypes(t, local)
		for _, e := range elems {
			if field := find(e); field != "" {
				return field
			}
		}
		return ""
	}
	return find(t)
}

// keyedWhole reports whether values of kind are keyed as a whole, by a
// method or function, without walking into what they hold.
func keyedWhole(kind keyKind) bool {
	switch kind {
	case kindKeyMethod, kindBinary, kindTime, kindKeyFunc, kindMarshaled:
		return true
	}
	return false
}

// marshaledFields returns the fields of struct type t, keyed through a
// marshaling method, that its key also writes: the exported fields that
// can be keyed statically (no type parameter, nothing that cannot be
// keyed) and that cannot lead back to a t, so that keying them ends. What
// the others hold rests on the marshaler.
func marshaledFields(t types.Type, local *types.Package) []*types.Var {
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return nil
	}
	var fields []*types.Var
	for i := range st.NumFields() {
		f := st.Field(i)
		if !f.Exported() || hasTypeParams(f.Type()) || reaches(f.Type(), t, local) ||
			keyProblem(f.Type(), f.Name(), local, make(map[types.Type]bool)) != "" {
			continue
		}
		fields = append(fields, f)
	}
	return fields
}

// reaches reports whether a value of type from can hold a value of type
// to, through any element or field.
func reaches(from, to types.Type, local *types.Package) bool {
	seen := make(map[types.Type]bool)
	var walk func(types.Type) bool
	walk = func(t types.Type) bool {
		t = types.Unalias(t)
		if types.Identical(t, to) {
			return true
		}
		if seen[t] {
			return false
		}
		seen[t] = true
		elems, _ := elemTypes(t, local)
		for _, e := range elems {
			if walk(e) {
				return true
			}
		}
		return false
	}
	return walk(from)
}

// keyMarshalers are the methods besides MarshalBinary by which a type
// that has no MemoKey method, often one of another package that the user
// cannot add one to (math/big's Int, Float and Rat, *regexp.Regexp), is
// keyed, most preferred first: those that keep the most of the value
// (big.Float's GobEncode keeps its precision, its MarshalText does not),
// and appenders before marshalers, since they write without allocating.
var keyMarshalers = []methodSig{
	{name: "AppendBinary"},
	{name: "GobEncode", marshal: true},
	{name: "AppendText"},
	{name: "MarshalText", marshal: true},
}

// keyMarshaler returns the first of keyMarshalers that t or *t has as its
// own method with the right signature.
func keyMarshaler(t types.Type, local *types.Package) (methodSig, bool) {
	for _, m := range keyMarshalers {
		fn := ownMethod(t, local, m.name)
		if fn == nil {
			continue
		}
		sig := fn.Type().(*types.Signature)
		bytes := types.NewSlice(types.Typ[types.Byte])
		appender := !m.marshal && sig.Params().Len() == 1 && types.Identical(sig.Params().At(0).Type(), bytes) &&
			sig.Results().Len() == 2 && types.Identical(sig.Results().At(0).Type(), bytes) && isError(sig.Results().At(1).Type())
		if appender || m.marshal && m.matches(sig) {
			return m, true
		}
	}
	return methodSig{}, false
}

// hasKeyMethod reports whether t or *t has MemoKey(*memo.KeyWriter).
func hasKeyMethod(t types.Type, local *types.Package) bool {
	fn := ownMethod(t, local, "MemoKey")
	if fn == nil {
		return false
	}
	sig := fn.Type().(*types.Signature)
	if sig.Params().Len() != 1 || sig.Results().Len() != 0 {
		return false
	}
	ptr, ok := sig.Params().At(0).Type().(*types.Pointer)
	return ok && isNamed(ptr.Elem(), runtimePath, "KeyWriter")
}

// hasBinaryMarshaler reports whether t or *t has MarshalBinary() ([]byte, error).
func hasBinaryMarshaler(t types.Type, local *types.Package) bool {
	fn := ownMethod(t, local, "MarshalBinary")
	if fn == nil {
		return false
	}
	sig := fn.Type().(*types.Signature)
	return sig.Params().Len() == 0 && sig.Results().Len() == 2 &&
		types.Identical(sig.Results().At(0).Type(), types.NewSlice(types.Typ[types.Byte])) &&
		isError(sig.Results().At(1).Type())
}

// ownMethod returns the method of t or *t called name, or nil when there is
// none or it is promoted from an embedded field: a struct embedding a
// time.Time or a type with a key method has fields of its own, which keying
// by the promoted method would leave out of the key.
func ownMethod(t types.Type, local *types.Package, name string) *types.Func {
	obj, index, _ := types.LookupFieldOrMethod(t, true, local, name)
	fn, ok := obj.(*types.Func)
	if !ok || len(index) > 1 {
		return nil
	}
	return fn
}

// isNamed reports whether t is the named type path.name.
func isNamed(t types.Type, path, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == path && n.Obj().Name() == name
}

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// typeString spells t as the package local would.
func typeString(t types.Type, local *types.Package) string {
	return types.TypeString(t, func(p *types.Package) string {
		if p == local {
			return ""
		}
		return p.Name()
	})
}
