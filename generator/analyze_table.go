package generator

import (
	"fmt"
	"go/types"
	"reflect"
	"strings"
)

// tableResults checks that a table codec (csv, parquet), which stores a
// slice of flat structs as rows and columns, can store the function's
// results: exactly one value, a slice of a struct whose fields are all
// exported, of string, bool, integer or float kinds, each a column of its
// own name, which a parquet tag may give but not qualify. Anything else it
// would refuse at run time, or lose.
func (a *analyzer) tableResults(f *found, fm *funcModel, codec string) {
	pos := f.optionPos(f.dir.Offsets["codec"])
	results := fm.valueResults()
	const want = "stores one result that is a slice of flat structs (exported fields of string, bool, integer or float kinds), one row each"
	if len(results) != 1 {
		a.errs.add(pos, "codec=%s %s; %s returns %d values: use another codec, such as msgpack", codec, want, fm.name, len(results))
		return
	}
	t := results[0].Type()
	if reason := a.notTable(t, codec); reason != "" {
		a.errs.add(pos, "codec=%s %s; %s returns %s, %s: use another codec, such as msgpack", codec, want, fm.name, typeString(t, a.pkg.Types), reason)
	}
}

// notTable returns why a table codec cannot store values of type t, or ""
// when it can.
func (a *analyzer) notTable(t types.Type, codec string) string {
	if _, ok := types.Unalias(t).(*types.TypeParam); ok {
		return "a type parameter"
	}
	sl, ok := t.Underlying().(*types.Slice)
	if !ok {
		return "not a slice"
	}
	st, ok := sl.Elem().Underlying().(*types.Struct)
	if !ok {
		return fmt.Sprintf("whose elements are %s, not structs", typeString(sl.Elem(), a.pkg.Types))
	}
	if st.NumFields() == 0 {
		return "whose rows have no fields"
	}
	seen := make(map[string]bool)
	for i := range st.NumFields() {
		field := st.Field(i)
		if !field.Exported() {
			return fmt.Sprintf("whose field %s is unexported", field.Name())
		}
		name := field.Name()
		if tag, ok := reflect.StructTag(st.Tag(i)).Lookup(codec); ok {
			if tag == "" || tag == "-" {
				return fmt.Sprintf("whose field %s has the tag %s:%q, which would drop it", field.Name(), codec, tag)
			}
			if codec == "parquet" && strings.Contains(tag, ",") {
				return fmt.Sprintf("whose field %s has the tag %s:%q, which would change what is stored (a parquet tag may name the column, and nothing else)", field.Name(), codec, tag)
			}
			name = tag
		}
		if seen[name] {
			return fmt.Sprintf("with two columns named %q", name)
		}
		seen[name] = true
		b, ok := field.Type().Underlying().(*types.Basic)
		if !ok || b.Info()&(types.IsString|types.IsBoolean|types.IsInteger|types.IsFloat) == 0 || b.Kind() == types.Uintptr || b.Kind() == types.UnsafePointer {
			return fmt.Sprintf("whose field %s is %s", field.Name(), strings.TrimPrefix(typeString(field.Type(), a.pkg.Types), "untyped "))
		}
	}
	return ""
}
