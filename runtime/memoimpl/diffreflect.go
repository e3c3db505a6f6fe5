package memoimpl

import (
	"fmt"
	"reflect"
	"strings"
	"time"
	"unsafe"
)

// Reflect compares the values pa and pb point to by reflection, under the
// rules generated comparisons follow (see [Diff]), and records the first
// difference. It serves what generated code cannot compare field by field:
// an interface (gob keeps the dynamic type, which must then match), a
// struct of another package with unexported fields, and the results of a
// generic function, whose types are known only per instantiation.
// Reflection reads unexported fields too.
func (d *Diff) Reflect(pa, pb any) bool {
	a, b := reflect.ValueOf(pa), reflect.ValueOf(pb)
	if a.Kind() != reflect.Pointer || b.Kind() != reflect.Pointer || a.Type() != b.Type() || a.IsNil() || b.IsNil() {
		return d.Differ(pa, pb, "")
	}
	return d.reflect(a.Elem(), b.Elem(), true)
}

// reflect compares a and b, of the same type; top says whether they are
// a function's results, whose struct of several results names its fields
// by position.
func (d *Diff) reflect(a, b reflect.Value, top bool) bool {
	t := a.Type()
	if t == timeType {
		if ta, ok := readable(a); ok {
			if tb, ok := readable(b); ok {
				return d.Time(ta.Interface().(time.Time), tb.Interface().(time.Time))
			}
		}
	}
	switch t.Kind() {
	case reflect.Bool:
		return a.Bool() == b.Bool() || d.Differ(a, b, "")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int() || d.Differ(a, b, "")
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return a.Uint() == b.Uint() || d.Differ(a, b, "")
	case reflect.Float32, reflect.Float64:
		return SameFloat(a.Float(), b.Float()) || d.Differ(a, b, "")
	case reflect.Complex64, reflect.Complex128:
		return SameComplex(a.Complex(), b.Complex()) || d.Differ(a, b, "")
	case reflect.String:
		return a.String() == b.String() || d.Differ(a, b, "")
	case reflect.Array:
		for i := range a.Len() {
			if !d.reflect(a.Index(i), b.Index(i), false) {
				return d.At("[%d]", i)
			}
		}
		return true
	case reflect.Slice:
		switch {
		case a.IsNil() != b.IsNil() && (d.hidden == 0 || a.Len() > 0 || b.Len() > 0):
			return d.Differ(a, b, "")
		case a.Len() != b.Len():
			d.reason = fmt.Sprintf("%d elements became %d", a.Len(), b.Len())
			return false
		case a.Len() > 0 && d.visitedAt(a, b):
			return true // a slice that holds itself, met again
		}
		for i := range a.Len() {
			if !d.reflect(a.Index(i), b.Index(i), false) {
				return d.At("[%d]", i)
			}
		}
		return true
	case reflect.Map:
		return d.reflectMap(a, b)
	case reflect.Pointer:
		switch {
		case a.IsNil() != b.IsNil():
			return d.Differ(a, b, "")
		case a.IsNil(), d.visitedAt(a, b):
			return true
		}
		return d.reflect(a.Elem(), b.Elem(), false)
	case reflect.Interface:
		switch {
		case a.IsNil() || b.IsNil():
			return a.IsNil() == b.IsNil() || d.Differ(a, b, "")
		case a.Elem().Type() != b.Elem().Type():
			d.reason = fmt.Sprintf("a value of type %s became one of type %s", a.Elem().Type(), b.Elem().Type())
			return false
		}
		return d.reflect(a.Elem(), b.Elem(), false)
	case reflect.Struct:
		results := top && isResultsStruct(t)
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Name == "_" {
				continue
			}
			if !f.IsExported() {
				d.hidden++
			}
			same := d.reflect(a.Field(i), b.Field(i), false)
			if !f.IsExported() {
				d.hidden--
			}
			if !same {
				if results {
					return d.At(" %d", i+1)
				}
				return d.At(".%s", f.Name)
			}
		}
		return true
	}
	// A func, a channel or an unsafe.Pointer: no codec stores one, so
	// only two nils are the same.
	return a.IsNil() && b.IsNil() || d.Differ(a, b, "")
}

// reflectMap compares two maps key by key.
func (d *Diff) reflectMap(a, b reflect.Value) bool {
	switch {
	case a.IsNil() != b.IsNil() && (d.hidden == 0 || a.Len() > 0 || b.Len() > 0):
		return d.Differ(a, b, "")
	case a.Len() != b.Len():
		d.reason = fmt.Sprintf("%d entries became %d", a.Len(), b.Len())
		return false
	case a.Len() == 0, d.visitedAt(a, b):
		return true
	}
	iter := a.MapRange()
	for iter.Next() {
		k := iter.Key()
		vb := b.MapIndex(k)
		if !vb.IsValid() {
			return d.Missing(k, "")
		}
		if !d.reflect(iter.Value(), vb, false) {
			if k.Kind() == reflect.String {
				return d.At("[%q]", k.String())
			}
			return d.At("[%v]", k)
		}
	}
	return true
}

// visitedAt is Visited for the pointers, maps or slices a and b: by type
// and address, since a struct and its first field share an address.
func (d *Diff) visitedAt(a, b reflect.Value) bool {
	type at struct {
		t reflect.Type
		p uintptr
	}
	return d.Visited(at{a.Type(), a.Pointer()}, at{b.Type(), b.Pointer()})
}

// isResultsStruct reports whether t is the struct generated code declares
// for the several results of a function, memo<Name>Results with fields R0,
// R1 and so on.
func isResultsStruct(t reflect.Type) bool {
	name, _, _ := strings.Cut(t.Name(), "[")
	if !strings.HasPrefix(name, "memo") || !strings.HasSuffix(name, "Results") || t.NumField() == 0 {
		return false
	}
	for i := range t.NumField() {
		if t.Field(i).Name != fmt.Sprintf("R%d", i) {
			return false
		}
	}
	return true
}

// readable returns v in a form whose Interface method works: v itself, or
// for a value reached through an unexported field, the same memory seen
// through a pointer of its type, which reflection then does not restrict.
// Reading is all the comparison does.
func readable(v reflect.Value) (reflect.Value, bool) {
	if v.CanInterface() {
		return v, true
	}
	if v.CanAddr() {
		return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem(), true
	}
	return reflect.Value{}, false
}
