package generator

import (
	"fmt"
	"go/types"
	"strings"
)

// unstorable returns why a function's cached results would not come back
// from a byte-level backend as the values stored, or "" when they would.
// Codecs (json, msgpack, gob) drop unexported fields and cannot encode a
// func, a channel or an unsafe.Pointer; all but gob lose an interface's
// dynamic type. A type that marshals itself (encoding.BinaryMarshaler and
// BinaryUnmarshaler, or json.Marshaler and Unmarshaler) and time.Time are
// taken at their word. The runtime runs such a function uncached when it is
// bound to a byte-level backend, and says why.
func unstorable(results []*types.Var, codec string, local *types.Package) string {
	s := storeChecker{local: local, gob: strings.HasPrefix(codec, "gob"), seen: make(map[string]bool)}
	for i, r := range results {
		if reason := s.check(r.Type(), fmt.Sprintf("result %d", i+1), true); reason != "" {
			return reason
		}
	}
	return ""
}

// storeChecker walks result types for what a codec cannot carry.
type storeChecker struct {
	local *types.Package
	gob   bool            // gob keeps an interface's dynamic type, if registered
	seen  map[string]bool // named types already walked, for recursive types
}

// check returns why a value of type t, found at where (result 1, result
// field T.f), would not survive a codec, or "". direct says whether where
// is the value itself rather than something holding it.
func (s *storeChecker) check(t types.Type, where string, direct bool) string {
	t = types.Unalias(t)
	verb := "is"
	if !direct {
		verb = "contains"
	}
	if _, ok := t.(*types.TypeParam); ok {
		return "" // known only at run time
	}
	if named, ok := t.(*types.Named); ok {
		id := types.TypeString(named, nil)
		if s.seen[id] {
			return ""
		}
		s.seen[id] = true
		if isNamed(named, "time", "Time") {
			return ""
		}
	}
	if _, ok := t.Underlying().(*types.Interface); ok {
		if s.gob {
			return ""
		}
		return fmt.Sprintf("%s %s an interface (%s); its dynamic type would not survive the codec", where, verb, typeString(t, s.local))
	}
	if marshalsItself(t) {
		return ""
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		if u.Kind() == types.UnsafePointer {
			return fmt.Sprintf("%s %s an unsafe.Pointer, which no codec can store", where, verb)
		}
	case *types.Signature:
		return fmt.Sprintf("%s %s a func, which no codec can store", where, verb)
	case *types.Chan:
		return fmt.Sprintf("%s %s a channel, which no codec can store", where, verb)
	case *types.Pointer, *types.Slice, *types.Array, *types.Map:
		elems, _ := elemTypes(t, s.local)
		for _, e := range elems {
			if reason := s.check(e, where, false); reason != "" {
				return reason
			}
		}
	case *types.Struct:
		for i := range u.NumFields() {
			f := u.Field(i)
			if f.Name() == "_" {
				continue
			}
			field := where + " field " + f.Name()
			if _, ok := t.(*types.Named); ok {
				field = "result field " + typeString(t, s.local) + "." + f.Name()
			}
			if !f.Exported() {
				return field + " is unexported"
			}
			if reason := s.check(f.Type(), field, true); reason != "" {
				return reason
			}
		}
	}
	return ""
}

// marshalsItself reports whether *t has MarshalBinary and UnmarshalBinary,
// or MarshalJSON and UnmarshalJSON: codecs encode such a value by its own
// methods, whatever its fields.
func marshalsItself(t types.Type) bool {
	if _, isPtr := t.Underlying().(*types.Pointer); isPtr {
		return false
	}
	methods := types.NewMethodSet(types.NewPointer(t))
	has := func(name string, marshal bool) bool {
		sel := methods.Lookup(nil, name)
		if sel == nil {
			return false
		}
		sig := sel.Obj().Type().(*types.Signature)
		bytes := types.NewSlice(types.Typ[types.Byte])
		if marshal {
			return sig.Params().Len() == 0 && sig.Results().Len() == 2 &&
				types.Identical(sig.Results().At(0).Type(), bytes) && isError(sig.Results().At(1).Type())
		}
		return sig.Params().Len() == 1 && sig.Results().Len() == 1 &&
			types.Identical(sig.Params().At(0).Type(), bytes) && isError(sig.Results().At(0).Type())
	}
	return has("MarshalBinary", true) && has("UnmarshalBinary", false) ||
		has("MarshalJSON", true) && has("UnmarshalJSON", false)
}
