package runtime

import (
	"encoding"
	"fmt"
	"reflect"
	"sync"
	"time"

	"github.com/memogen/memogen/runtime/internal/typeid"
)

// Keyer is implemented by types that write their own key.
type Keyer interface {
	MemoKey(w *KeyWriter)
}

// Keyer writes v, a value of an interface type whose method set has
// MemoKey: whether it is nil, then its dynamic type's identity (see
// [ErrAmbiguousType]), so that two types writing equal keys never share an
// entry, then what its MemoKey method writes. A nil pointer held in v is
// keyed as the nil pointer of its type without calling MemoKey, which would
// panic for a method with a value receiver: every nil pointer of one type
// is the same value. Generated code keys interface arguments with it; a
// MemoKey method can key an interface field with it too.
func (w *KeyWriter) Keyer(v Keyer) {
	w.Present(v != nil)
	if v == nil {
		return
	}
	t := reflect.TypeOf(v)
	if t.Kind() == reflect.Pointer && reflect.ValueOf(v).IsNil() {
		// No type identity starts with "nil ": import paths hold no space.
		info := typeid.Of(t)
		id, local := info.Identity()
		w.markLocal(info, local)
		w.Text("nil " + id)
		return
	}
	w.writeType(t)
	v.MemoKey(w)
}

// TypeKey writes the identity of type T: its full import path, name and
// structure (see [ErrAmbiguousType]). A MemoKey method of a generic type can
// write its type arguments with it. (Generated wrappers need not: each
// instantiation of a generic function has a cache of its own.)
func TypeKey[T any](w *KeyWriter) {
	w.writeType(reflect.TypeFor[T]())
}

// Dynamic writes a value whose type is a type parameter, and so unknown when
// the code was generated; a MemoKey method of a generic type can write its
// fields of type-parameter types with it, as generated wrappers write such
// arguments.
//
// This is the one place memogen keys by reflection: common types take a type
// switch, [Keyer] and [encoding.BinaryMarshaler] are honoured, and anything
// else is walked with package reflect under the same rules as generated code.
// Values that cannot be keyed (funcs, channels, interfaces without a key
// method, unexported struct fields) fail the key, and the call runs uncached.
func Dynamic[T any](w *KeyWriter, v T) {
	if reflect.TypeFor[T]().Kind() == reflect.Interface {
		// The type switch below sees the dynamic type; for an interface
		// type argument the key must carry it, so that int(5) and
		// int64(5) passed as any differ.
		w.reflectValue(reflect.ValueOf(&v).Elem())
		return
	}
	switch x := any(v).(type) {
	case string:
		w.Text(x)
	case int:
		w.Int(int64(x))
	case int64:
		w.Int(x)
	case uint64:
		w.Uint(x)
	case float64:
		w.Float(x)
	case bool:
		w.Bool(x)
	case []byte:
		w.Blob(x)
	case time.Time:
		w.Time(x)
	default:
		w.reflectValue(reflect.ValueOf(&v).Elem())
	}
}

func (w *KeyWriter) reflectValue(v reflect.Value) {
	if w.err != nil {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		// As in generated code: presence first, then the pointee keyed by
		// its own rules, key methods included.
		w.Present(!v.IsNil())
		if !v.IsNil() && w.Enter() {
			w.reflectValue(v.Elem())
			w.Leave()
		}
		return
	case reflect.Interface:
		// The dynamic type is part of the key, so that values of two types
		// with equal encodings never share an entry.
		w.Present(!v.IsNil())
		if !v.IsNil() && w.Enter() {
			w.writeType(v.Elem().Type())
			w.reflectValue(v.Elem())
			w.Leave()
		}
		return
	}
	if w.keyedByMethod(v) {
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		w.Bool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		w.Int(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		w.Uint(v.Uint())
	case reflect.Float32, reflect.Float64:
		w.Float(v.Float())
	case reflect.Complex64, reflect.Complex128:
		w.Complex(v.Complex())
	case reflect.String:
		w.Text(v.String())
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			w.Blob(v.Bytes())
			return
		}
		w.reflectList(v)
	case reflect.Array:
		w.reflectList(v)
	case reflect.Map:
		w.BeginMap(v.Len())
		if w.Enter() {
			for it := v.MapRange(); it.Next(); {
				w.MapEntry()
				w.reflectValue(it.Key())
				w.reflectValue(it.Value())
			}
			w.Leave()
		}
		w.EndMap()
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			if t.Field(i).Name == "_" {
				continue // blank fields hold nothing a program can read
			}
			if !t.Field(i).IsExported() {
				w.Fail(fmt.Errorf("memo: key: %s has unexported field %s and no MemoKey method", t, t.Field(i).Name))
				return
			}
			w.reflectValue(v.Field(i))
		}
	default:
		w.Fail(fmt.Errorf("memo: key: cannot key a value of type %s; give it a MemoKey method", v.Type()))
	}
}

// keyedByMethod writes v by its MemoKey or MarshalBinary method, or as a
// time.Time, and reports whether it did. Methods with pointer receivers
// count when v is addressable, as the pointee of a pointer is.
func (w *KeyWriter) keyedByMethod(v reflect.Value) bool {
	if !v.CanInterface() {
		return false
	}
	if t, ok := v.Interface().(time.Time); ok {
		w.Time(t)
		return true
	}
	for _, x := range []reflect.Value{v, addr(v)} {
		if !x.IsValid() {
			continue
		}
		switch m := x.Interface().(type) {
		case Keyer:
			if promoted(v.Type(), keyerType) {
				return false
			}
			m.MemoKey(w)
			return true
		case encoding.BinaryMarshaler:
			if promoted(v.Type(), binaryMarshalerType) {
				return false
			}
			w.BinaryMarshaler(m)
			w.exportedFields(v)
			return true
		}
	}
	return false
}

// exportedFields writes, after a struct's MarshalBinary output, each
// exported field whose type can be keyed, as generated code does: a
// marshaler may lose what the fields distinguish (url.URL prints paths
// "p" and "/p" alike), and a key must never merge what the value tells
// apart. Fields whose type cannot be keyed rest on the marshaler.
func (w *KeyWriter) exportedFields(v reflect.Value) {
	if v.Kind() != reflect.Struct {
		return
	}
	for _, i := range keyableFields(v.Type()) {
		w.reflectValue(v.Field(i))
	}
}

// keyableFieldsByType caches keyableFields: a type's fields never change,
// and keying a value should not walk its type's structure on every call.
var keyableFieldsByType sync.Map // reflect.Type → []int

// keyableFields returns the indexes of struct type t's exported fields
// whose type can be keyed.
func keyableFields(t reflect.Type) []int {
	if cached, ok := keyableFieldsByType.Load(t); ok {
		return cached.([]int)
	}
	var out []int
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Name != "_" && f.IsExported() && keyableType(f.Type, map[reflect.Type]bool{t: true}) {
			out = append(out, i)
		}
	}
	keyableFieldsByType.Store(t, out)
	return out
}

// keyableType reports whether every value of type t can be keyed without
// failing: by a method, as a time.Time, or by kind and exported fields.
// Types already in seen (a path back to the struct being keyed) are not.
func keyableType(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false
	}
	if t == reflect.TypeFor[time.Time]() || t.Implements(keyerType) || t.Implements(binaryMarshalerType) ||
		reflect.PointerTo(t).Implements(keyerType) || reflect.PointerTo(t).Implements(binaryMarshalerType) {
		return true
	}
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128, reflect.String:
		return true
	case reflect.Slice, reflect.Array, reflect.Pointer:
		seen[t] = true
		defer delete(seen, t)
		return keyableType(t.Elem(), seen)
	case reflect.Map:
		seen[t] = true
		defer delete(seen, t)
		return keyableType(t.Key(), seen) && keyableType(t.Elem(), seen)
	case reflect.Struct:
		seen[t] = true
		defer delete(seen, t)
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Name == "_" {
				continue
			}
			if !f.IsExported() || !keyableType(f.Type, seen) {
				return false
			}
		}
		return true
	}
	return false // interfaces, funcs, channels, unsafe pointers
}

var (
	keyerType           = reflect.TypeFor[Keyer]()
	binaryMarshalerType = reflect.TypeFor[encoding.BinaryMarshaler]()
)

// promoted reports whether struct type t may have the methods of iface only
// through an embedded field, as generated code judges: such a method keys
// the embedded value alone, so the struct is keyed by its fields instead.
// A struct that embeds a field with the methods and declares its own as
// well is keyed by its fields too, which is never wrong, only finer.
func promoted(t, iface reflect.Type) bool {
	if t.Kind() != reflect.Struct {
		return false
	}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.Anonymous {
			continue
		}
		if f.Type.Implements(iface) || f.Type.Kind() != reflect.Pointer && reflect.PointerTo(f.Type).Implements(iface) {
			return true
		}
	}
	return false
}

// addr returns a pointer to v when v is addressable, or the zero Value.
func addr(v reflect.Value) reflect.Value {
	if v.CanAddr() && v.Addr().CanInterface() {
		return v.Addr()
	}
	return reflect.Value{}
}

func (w *KeyWriter) reflectList(v reflect.Value) {
	w.Length(v.Len())
	if !w.Enter() {
		return
	}
	for i := range v.Len() {
		w.reflectValue(v.Index(i))
	}
	w.Leave()
}

// writeType writes the identity of t, marking the key as valid in this
// process only when t's identity is.
func (w *KeyWriter) writeType(t reflect.Type) {
	info := typeid.Of(t)
	id, local := info.Identity()
	w.markLocal(info, local)
	w.Text(id)
}

// markLocal remembers info as the first type that makes the key valid in
// this process only, when local says it does.
func (w *KeyWriter) markLocal(info *typeid.Info, local bool) {
	if local && w.localType == nil {
		w.localType = info
	}
}

// LocalErr returns nil when every type the key names (through
// [KeyWriter.Keyer], [TypeKey] or [Dynamic]) is identified alike in every
// process, and otherwise an error wrapping [ErrAmbiguousType] or
// [ErrUnnamedMain] that names the first that is not: such a key can address
// an in-memory backend, but not a byte-level one, which other processes
// share. Generated code runs such a call uncached on a byte-level backend.
func (w *KeyWriter) LocalErr() error {
	if w.localType == nil {
		return nil
	}
	return typeid.ErrLocal(w.localType)
}
