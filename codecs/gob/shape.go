package gob

import (
	"encoding"
	"encoding/gob"
	"reflect"
	"sync"

	"github.com/memogen/memogen/codecs/internal/alloc"
)

// A shape is what the guard needs to know of a Go type: which gob wire
// types encoding/gob decodes into it, and what that allocates. It mirrors
// encoding/gob's userType (pointers are flattened, a type that implements
// GobDecoder or BinaryUnmarshaler decodes itself), compatibleType (which
// wire type fits which Go type) and compileDec (struct fields found by
// name with reflect's FieldByName).
type shape struct {
	kind kind
	// ptr is what the decoder allocates to reach the value through the
	// type's pointers, when they are nil.
	ptr  int64
	elem *shape // slice, array: the element; map: the value
	key  *shape // map: the key
	// size is, for a slice, its element's size; for a map, the cost of an
	// entry besides what its key and value allocate.
	size int64
	// keyValue is, for a map, what the decoder allocates once to decode
	// keys and values into.
	keyValue int64
	n        int               // array: its length
	fields   map[string]*field // struct: by the names FieldByName finds
	ext      extKind           // a type that decodes itself: how
	typ      reflect.Type      // for messages
}

// A field is where a wire struct's field leads.
type field struct {
	shape *shape
	// nilEmbedded is set for a field promoted through a pointer to an
	// embedded struct: encoding/gob's decoder reaches it with
	// reflect.Value.FieldByIndex, which panics on the nil pointer.
	nilEmbedded bool
}

type kind uint8

const (
	kindNone kind = iota // chan, func: no wire type fits
	kindBool
	kindInt
	kindUint
	kindFloat
	kindComplex
	kindString
	kindBytes // a slice of bytes
	kindIface
	kindArray
	kindSlice
	kindMap
	kindStruct
	kindExternal // GobDecoder or BinaryUnmarshaler
)

// extKind is how a type decodes itself, as encoding/gob chooses.
type extKind uint8

const (
	extNone extKind = iota
	extGob
	extBinary
)

var (
	shapes sync.Map // reflect.Type → *shape

	gobDecoderType    = reflect.TypeFor[gob.GobDecoder]()
	binaryUnmarshaler = reflect.TypeFor[encoding.BinaryUnmarshaler]()
)

// shapeOf returns the shape of t, built once per type.
func shapeOf(t reflect.Type) *shape {
	if s, ok := shapes.Load(t); ok {
		return s.(*shape)
	}
	s := (&shapeBuilder{seen: make(map[reflect.Type]*shape)}).build(t)
	shapes.Store(t, s)
	return s
}

type shapeBuilder struct {
	seen map[reflect.Type]*shape
}

// implements reports whether t, a type it points to, or a pointer to t
// implements iface, as encoding/gob's implementsInterface does.
func implements(t, iface reflect.Type) bool {
	for rt, n := t, 0; n <= 100; n++ {
		if rt.Implements(iface) {
			return true
		}
		if rt.Kind() != reflect.Pointer {
			break
		}
		rt = rt.Elem()
	}
	return t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(iface)
}

func (b *shapeBuilder) build(t reflect.Type) *shape {
	if s, ok := b.seen[t]; ok {
		return s
	}
	if s, ok := shapes.Load(t); ok {
		return s.(*shape)
	}
	s := &shape{typ: t}
	b.seen[t] = s // before the elements, which may lead back to t
	base := t
	for n := 0; base.Kind() == reflect.Pointer; n++ {
		if n > 100 {
			return s // a recursive pointer type, which gob refuses
		}
		base = base.Elem()
		s.ptr += alloc.Size(int64(base.Size()))
	}
	switch {
	case implements(t, gobDecoderType):
		s.kind, s.ext = kindExternal, extGob
		return s
	case implements(t, binaryUnmarshaler):
		s.kind, s.ext = kindExternal, extBinary
		return s
	}
	switch base.Kind() {
	case reflect.Bool:
		s.kind = kindBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		s.kind = kindInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		s.kind = kindUint
	case reflect.Float32, reflect.Float64:
		s.kind = kindFloat
	case reflect.Complex64, reflect.Complex128:
		s.kind = kindComplex
	case reflect.String:
		s.kind = kindString
	case reflect.Interface:
		s.kind = kindIface
	case reflect.Array:
		s.kind, s.elem, s.n = kindArray, b.build(base.Elem()), base.Len()
	case reflect.Slice:
		if base.Elem().Kind() == reflect.Uint8 {
			s.kind = kindBytes
			break
		}
		s.kind, s.elem, s.size = kindSlice, b.build(base.Elem()), int64(base.Elem().Size())
	case reflect.Map:
		key, value := int64(base.Key().Size()), int64(base.Elem().Size())
		s.kind, s.key, s.elem = kindMap, b.build(base.Key()), b.build(base.Elem())
		s.size = alloc.HintedMapEntry(key, value)
		s.keyValue = alloc.MapHeader + alloc.Size(key) + alloc.Size(value)
	case reflect.Struct:
		s.kind = kindStruct
		b.structFields(s, base)
	}
	return s
}

// structFields fills in the fields of s, the shape of struct type t: every
// exported name FieldByName finds a field by, promoted ones included.
func (b *shapeBuilder) structFields(s *shape, t reflect.Type) {
	s.fields = make(map[string]*field)
	for _, vf := range reflect.VisibleFields(t) {
		if !vf.IsExported() {
			continue
		}
		sf, ok := t.FieldByName(vf.Name)
		if !ok {
			continue // hidden by another of its name at the same depth
		}
		f := &field{shape: b.build(sf.Type)}
		ft := t
		for _, i := range sf.Index[:len(sf.Index)-1] {
			ft = ft.Field(i).Type
			if ft.Kind() == reflect.Pointer {
				f.nilEmbedded = true
				ft = ft.Elem()
			}
		}
		s.fields[sf.Name] = f
	}
}
