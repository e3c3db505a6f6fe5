// Package rows is the row layout that memogen's table codecs, csv and
// parquet, share: which values are tables (slices of flat structs), which
// fields of a row struct are its columns and what each column is named,
// and why any other type is refused. Each codec keeps its own tag name,
// its own sentinel error and its own encoding of a column's values; what
// it derives from a layout is cached here, once per row type.
//
// A flat struct has at least one field, every field exported, of string,
// bool, integer (uintptr aside) or float kind, each a column named by the
// field's name or by the codec's tag. Both codecs accept these kinds and
// nothing else; a codec that would take other kinds needs a parameter of
// its own here. memogen's generator checks the same rules on go/types at
// generation time (generator/analyze_table.go).
package rows

import (
	"fmt"
	"reflect"
	"strings"
)

// Rules are what sets one codec's layouts apart.
type Rules struct {
	// Tag is the struct tag key whose value names a field's column, such
	// as "csv". A tag of "" or "-" is refused: it would drop the column.
	Tag string
	// NameOnly also refuses a tag holding a comma: options after the
	// name, which the codec's library would act on.
	NameOnly bool
	// NotTable is the codec's sentinel error; every refusal wraps it.
	NotTable error
}

// Column is one field of a row struct: one column of the table.
type Column struct {
	Name  string       // the field's name, or its tag
	Index int          // the field's index in the struct
	Kind  reflect.Kind // the field's kind
	Bits  int          // the size in bits of a numeric kind; 0 for string and bool
}

// columns returns the columns of rows of type t, in field order, or an
// error wrapping r.NotTable that says why t is not a flat struct.
func (r Rules) columns(t reflect.Type) ([]Column, error) {
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("%w: rows of %s", r.NotTable, t)
	}
	var cols []Column
	seen := make(map[string]bool)
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			return nil, fmt.Errorf("%w: %s.%s is unexported", r.NotTable, t, f.Name)
		}
		name := f.Name
		if tag, ok := f.Tag.Lookup(r.Tag); ok {
			if tag == "" || tag == "-" || r.NameOnly && strings.Contains(tag, ",") {
				return nil, fmt.Errorf("%w: %s.%s has the tag %s:%q; %s", r.NotTable, t, f.Name, r.Tag, tag, r.tagAdvice())
			}
			name = tag
		}
		if seen[name] {
			return nil, fmt.Errorf("%w: two columns of %s are named %q", r.NotTable, t, name)
		}
		seen[name] = true
		c := Column{Name: name, Index: i, Kind: f.Type.Kind()}
		switch c.Kind {
		case reflect.String, reflect.Bool:
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
			reflect.Float32, reflect.Float64:
			c.Bits = f.Type.Bits()
		default:
			return nil, fmt.Errorf("%w: %s.%s is a %s", r.NotTable, t, f.Name, f.Type)
		}
		cols = append(cols, c)
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("%w: %s has no fields", r.NotTable, t)
	}
	return cols, nil
}

// tagAdvice is what a refused tag should be instead.
func (r Rules) tagAdvice() string {
	if r.NameOnly {
		return "name the column and nothing else, or drop the tag"
	}
	return "name the column or drop the tag"
}
