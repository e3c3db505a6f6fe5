package rows

import (
	"fmt"
	"reflect"
	"sync"
)

// Tables holds one codec's tables: for each row type it meets, what the
// codec derives from the type's columns, or why the type is refused. Each
// is worked out once and kept for the life of the process.
type Tables[T any] struct {
	rules  Rules
	derive func(t reflect.Type, cols []Column) T
	cache  sync.Map // reflect.Type of the row struct → *entry[T]
}

// entry is one row type's table, or why there is none.
type entry[T any] struct {
	table T
	err   error
}

// NewTables returns the tables of a codec of rules, which derives its
// table of a row type t from t's columns with derive.
func NewTables[T any](rules Rules, derive func(t reflect.Type, cols []Column) T) *Tables[T] {
	return &Tables[T]{rules: rules, derive: derive}
}

// Of returns the table of rows of type t, or an error wrapping the codec's
// NotTable when t is not a flat struct. Every call for one type returns
// the same table, or the same error.
func (ts *Tables[T]) Of(t reflect.Type) (T, error) {
	v, ok := ts.cache.Load(t)
	if !ok {
		e := &entry[T]{}
		var cols []Column
		if cols, e.err = ts.rules.columns(t); e.err == nil {
			e.table = ts.derive(t, cols)
		}
		v, _ = ts.cache.LoadOrStore(t, e)
	}
	e := v.(*entry[T])
	return e.table, e.err
}

// Slice returns the slice v holds, or points to, for encoding, with the
// table of its rows.
func (ts *Tables[T]) Slice(v any) (reflect.Value, T, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Slice {
		var zero T
		return reflect.Value{}, zero, fmt.Errorf("%w: %T", ts.rules.NotTable, v)
	}
	tab, err := ts.Of(rv.Type().Elem())
	return rv, tab, err
}

// Target returns the slice v points to, for decoding into, with the table
// of its rows.
func (ts *Tables[T]) Target(v any) (reflect.Value, T, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Slice {
		var zero T
		return reflect.Value{}, zero, fmt.Errorf("%w: decoding into %T", ts.rules.NotTable, v)
	}
	tab, err := ts.Of(rv.Elem().Type().Elem())
	return rv.Elem(), tab, err
}
