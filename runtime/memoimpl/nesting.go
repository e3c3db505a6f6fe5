package memoimpl

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"unsafe"
)

// Codecs encode a value by recursing into it, so a value that holds itself
// (a doubly linked list) would recurse until the stack overflows, a fatal
// error no recover catches, and one nested deep enough would too. Before
// encoding a result whose type can hold itself (FuncInfo.Recursive), the
// runtime walks it and stores it only if it is a tree or a DAG no deeper
// than the codec can take.

// errCycle and errTooDeep report results the runtime does not encode.
var (
	errCycle   = errors.New("the result holds a cycle, which the codec would follow forever")
	errTooDeep = errors.New("the result nests deeper than the codec can take")
)

// nestingLimit returns how many levels of pointers, slices, maps and
// interfaces a result may nest under the codec a spec names: as many as
// encoding/json decodes for json, and for the others a depth whose encoding
// stays far below Go's maximum stack.
func nestingLimit(spec string) int {
	if base, _, _ := strings.Cut(spec, "+"); base == "json" {
		return 10000
	}
	return 1 << 16
}

// checkNesting returns why v cannot be encoded, errCycle or errTooDeep, or
// nil. It follows exported and embedded fields, what codecs encode.
func checkNesting(v any, limit int) error {
	w := nestWalker{limit: limit, height: make(map[nestKey]int)}
	_, err := w.walk(reflect.ValueOf(v), 0)
	return err
}

// nestKey identifies a pointer, map or slice: what it points to, as what
// type, and a slice's length.
type nestKey struct {
	ptr unsafe.Pointer
	typ reflect.Type
	len int
}

type nestWalker struct {
	limit int
	// height records the pointers, maps and slices walked: -1 while
	// walking what they hold, then how many levels that nests.
	height map[nestKey]int
}

// walk returns how many levels v nests, met depth levels down.
func (w *nestWalker) walk(v reflect.Value, depth int) (int, error) {
	if depth > w.limit {
		return 0, fmt.Errorf("%w: more than %d levels", errTooDeep, w.limit)
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice:
		if v.IsNil() || v.Kind() != reflect.Pointer && v.Len() == 0 {
			return 0, nil
		}
		key := nestKey{ptr: v.UnsafePointer(), typ: v.Type()}
		if v.Kind() == reflect.Slice {
			key.len = v.Len()
		}
		if h, seen := w.height[key]; seen {
			switch {
			case h < 0:
				return 0, fmt.Errorf("%w: a %s reaches itself", errCycle, v.Type())
			case depth+h > w.limit:
				return 0, fmt.Errorf("%w: more than %d levels", errTooDeep, w.limit)
			}
			return h, nil
		}
		w.height[key] = -1
		h, err := w.held(v, depth+1)
		w.height[key] = h + 1
		return h + 1, err
	case reflect.Interface:
		if v.IsNil() {
			return 0, nil
		}
		h, err := w.walk(v.Elem(), depth+1)
		return h + 1, err
	case reflect.Struct, reflect.Array:
		return w.held(v, depth)
	}
	return 0, nil
}

// held returns how many levels the values v holds nest, met depth levels
// down.
func (w *nestWalker) held(v reflect.Value, depth int) (int, error) {
	height := 0
	visit := func(e reflect.Value) error {
		h, err := w.walk(e, depth)
		height = max(height, h)
		return err
	}
	switch v.Kind() {
	case reflect.Pointer:
		return height, visit(v.Elem())
	case reflect.Map:
		if !mayNest(v.Type().Key()) && !mayNest(v.Type().Elem()) {
			return 0, nil
		}
		for it := v.MapRange(); it.Next(); {
			if err := visit(it.Key()); err != nil {
				return 0, err
			}
			if err := visit(it.Value()); err != nil {
				return 0, err
			}
		}
	case reflect.Slice, reflect.Array:
		if !mayNest(v.Type().Elem()) {
			return 0, nil
		}
		for i := range v.Len() {
			if err := visit(v.Index(i)); err != nil {
				return 0, err
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			if f := t.Field(i); (f.IsExported() || f.Anonymous) && mayNest(f.Type) {
				if err := visit(v.Field(i)); err != nil {
					return 0, err
				}
			}
		}
	}
	return height, nil
}

// mayNest reports whether a value of type t can hold pointers, maps,
// slices or interfaces: whether walking it may find anything.
func mayNest(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface, reflect.Struct:
		return true
	case reflect.Array:
		return mayNest(t.Elem())
	}
	return false
}
