package generator

import "go/types"

// mayRecurse reports whether a value of one of these types can hold itself,
// or nest without a bound its type sets: a named type that reaches itself
// through pointers, slices or maps (a list, a tree; then recursive is set
// too), an interface, or a type parameter, known only at run time. Codecs
// recurse into a value, so the runtime checks such a result for cycles,
// and for depth, before encoding it. It follows what codecs follow:
// exported and embedded fields.
func mayRecurse(results []*types.Var) (may, recursive bool) {
	const (
		walking = 1
		walked  = 2
	)
	state := make(map[string]int) // named types, by identity
	var walk func(t types.Type) bool
	walk = func(t types.Type) bool {
		switch t := types.Unalias(t).(type) {
		case *types.TypeParam, *types.Interface:
			may = true
		case *types.Named:
			id := types.TypeString(t, nil)
			switch state[id] {
			case walking:
				may, recursive = true, true
				return true
			case walked:
				return false
			}
			state[id] = walking
			found := walk(t.Underlying())
			state[id] = walked
			return found
		case *types.Pointer:
			return walk(t.Elem())
		case *types.Slice:
			return walk(t.Elem())
		case *types.Array:
			return walk(t.Elem())
		case *types.Map:
			return walk(t.Key()) || walk(t.Elem())
		case *types.Struct:
			for i := range t.NumFields() {
				if f := t.Field(i); (f.Exported() || f.Embedded()) && walk(f.Type()) {
					return true
				}
			}
		}
		return false
	}
	for _, r := range results {
		if walk(r.Type()) {
			break
		}
	}
	return may, recursive
}
