package generator

import "go/types"

// invalidType reports whether t, as a wrapper spells it, mentions a type
// the type checker could not resolve (types.Typ[types.Invalid]): t itself,
// or one reached through pointers, slices, arrays, maps, channels, struct
// fields, signatures, interface methods and embeddings, union terms, and
// the type arguments of named types and aliases. A named type or alias is
// spelled by its name, so its declaration is not searched: the compiler
// reports a mistake there where it is made.
func invalidType(t types.Type) bool {
	return invalidWalk(t, make(map[types.Type]bool))
}

// invalidWalk is invalidType for t, skipping the types in seen.
func invalidWalk(t types.Type, seen map[types.Type]bool) bool {
	if t == nil || seen[t] {
		return false
	}
	seen[t] = true
	switch t := t.(type) {
	case *types.Basic:
		return t.Kind() == types.Invalid
	case *types.Named:
		return invalidTypeList(t.TypeArgs(), seen)
	case *types.Alias:
		return invalidTypeList(t.TypeArgs(), seen)
	case *types.Pointer:
		return invalidWalk(t.Elem(), seen)
	case *types.Slice:
		return invalidWalk(t.Elem(), seen)
	case *types.Array:
		return invalidWalk(t.Elem(), seen)
	case *types.Chan:
		return invalidWalk(t.Elem(), seen)
	case *types.Map:
		return invalidWalk(t.Key(), seen) || invalidWalk(t.Elem(), seen)
	case *types.Struct:
		for i := range t.NumFields() {
			if invalidWalk(t.Field(i).Type(), seen) {
				return true
			}
		}
	case *types.Signature:
		return invalidTuple(t.Params(), seen) || invalidTuple(t.Results(), seen)
	case *types.Interface:
		for i := range t.NumExplicitMethods() {
			if invalidWalk(t.ExplicitMethod(i).Type(), seen) {
				return true
			}
		}
		for i := range t.NumEmbeddeds() {
			if invalidWalk(t.EmbeddedType(i), seen) {
				return true
			}
		}
	case *types.Union:
		for i := range t.Len() {
			if invalidWalk(t.Term(i).Type(), seen) {
				return true
			}
		}
	}
	return false
}

func invalidTuple(tuple *types.Tuple, seen map[types.Type]bool) bool {
	for i := range tuple.Len() {
		if invalidWalk(tuple.At(i).Type(), seen) {
			return true
		}
	}
	return false
}

func invalidTypeList(list *types.TypeList, seen map[types.Type]bool) bool {
	for i := range list.Len() {
		if invalidWalk(list.At(i), seen) {
			return true
		}
	}
	return false
}
