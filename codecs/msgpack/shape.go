package msgpack

import (
	"encoding"
	"reflect"
	"sync"
	"time"

	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/tagparser/v2"

	"github.com/memogen/memogen/codecs/internal/alloc"
)

// A shape is what the guard needs to know of a Go type: how decoding
// MessagePack into a value of it allocates. It mirrors the choices of
// github.com/vmihailenco/msgpack/v5's decoder (which function decodes which
// type, how struct fields are named), so that the guard and the decoder
// read the same data the same way.
type shape struct {
	kind shapeKind
	elem *shape // slice, array and pointer: the element; map: the value
	key  *shape // map: the key
	// size is, for a slice, its element's size; for a pointer, its
	// pointee's; for a map, the cost of an entry; for an opaque type, what
	// a value costs besides twice its bytes: its pointee for a pointer.
	size   int64
	n      int               // array: its length
	fields map[string]*field // struct: by every name the decoder accepts
	list   []*field          // struct: in the order of its array form
}

// A field is where a struct's key leads: the field's shape and what the
// decoder allocates on the way, for embedded structs behind nil pointers.
type field struct {
	shape *shape
	alloc int64
}

type shapeKind uint8

const (
	kindSkip   shapeKind = iota // scalars and byte arrays: decoding allocates nothing
	kindAny                     // an interface: decoded into maps, slices and boxed values
	kindString                  // a string
	kindBytes                   // a []byte
	kindSlice                   // any other slice
	kindArray                   // an array of other than bytes
	kindMap                     // a map
	kindPtr                     // a pointer
	kindStruct                  // a struct the decoder walks field by field
	kindOpaque                  // a type that decodes itself, time.Time included
)

// timeCost bounds what decoding a time.Time may allocate besides its
// bytes: a Location and its name.
const timeCost = 256

var (
	shapes sync.Map // reflect.Type → *shape

	timeType = reflect.TypeFor[time.Time]()

	decoderTypes = []reflect.Type{
		reflect.TypeFor[msgpack.CustomDecoder](),
		reflect.TypeFor[msgpack.Unmarshaler](),
		reflect.TypeFor[encoding.BinaryUnmarshaler](),
		reflect.TypeFor[encoding.TextUnmarshaler](),
	}
	encoderTypes = []reflect.Type{
		reflect.TypeFor[msgpack.CustomEncoder](),
		reflect.TypeFor[msgpack.Marshaler](),
		reflect.TypeFor[encoding.BinaryMarshaler](),
		reflect.TypeFor[encoding.TextMarshaler](),
	}
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

// shapeBuilder builds the shapes of a type and of the types it reaches,
// recursive ones included.
type shapeBuilder struct {
	seen map[reflect.Type]*shape
}

func (b *shapeBuilder) build(t reflect.Type) *shape {
	if s, ok := b.seen[t]; ok {
		return s
	}
	if s, ok := shapes.Load(t); ok {
		return s.(*shape)
	}
	s := new(shape)
	b.seen[t] = s // before the elements, which may lead back to t
	kind := t.Kind()
	switch {
	case t == timeType:
		// A registered extension: decoding may make a Location, for a zone.
		s.kind, s.size = kindOpaque, timeCost
		return s
	case kind == reflect.Pointer && t.Elem() == timeType:
		s.kind, s.elem, s.size = kindPtr, b.build(t.Elem()), int64(t.Elem().Size())
		return s
	case implementsAny(t, decoderTypes) || kind != reflect.Pointer && implementsAny(reflect.PointerTo(t), decoderTypes):
		s.kind = kindOpaque
		if kind == reflect.Pointer {
			s.size = int64(t.Elem().Size())
		}
		return s
	}
	switch kind {
	case reflect.Interface:
		s.kind = kindAny
	case reflect.String:
		s.kind = kindString
	case reflect.Pointer:
		s.kind, s.elem, s.size = kindPtr, b.build(t.Elem()), int64(t.Elem().Size())
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			s.kind = kindBytes
			break
		}
		s.kind, s.elem, s.size = kindSlice, b.build(t.Elem()), int64(t.Elem().Size())
	case reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			break // read in place
		}
		s.kind, s.elem, s.n = kindArray, b.build(t.Elem()), t.Len()
	case reflect.Map:
		s.kind, s.key, s.elem = kindMap, b.build(t.Key()), b.build(t.Elem())
		s.size = alloc.MapEntry(int64(t.Key().Size()), int64(t.Elem().Size()))
	case reflect.Struct:
		if !plainStruct(t) {
			s.kind = kindOpaque // registered with msgpack.RegisterExt or msgpack.Register
			break
		}
		s.kind = kindStruct
		b.structFields(s, t)
	}
	return s
}

// structFields fills in the fields of s, the shape of struct type t, under
// the names the decoder gives them.
func (b *shapeBuilder) structFields(s *shape, t reflect.Type) {
	fs := msgpackFields(t)
	s.fields = make(map[string]*field, len(fs.byName))
	built := make(map[*fieldInfo]*field, len(fs.byName))
	get := func(fi *fieldInfo) *field {
		if f, ok := built[fi]; ok {
			return f
		}
		f := &field{shape: b.build(fi.typ), alloc: pathAlloc(t, fi.index)}
		built[fi] = f
		return f
	}
	for name, fi := range fs.byName {
		s.fields[name] = get(fi)
	}
	for _, fi := range fs.list {
		s.list = append(s.list, get(fi))
	}
}

// pathAlloc returns what the decoder allocates to reach the field at index
// in struct type t: a struct for every nil pointer to an embedded struct on
// the way.
func pathAlloc(t reflect.Type, index []int) int64 {
	var n int64
	for i, idx := range index {
		if i > 0 && t.Kind() == reflect.Pointer {
			t = t.Elem()
			n += alloc.Size(int64(t.Size()))
		}
		t = t.Field(idx).Type
	}
	return n
}

func implementsAny(t reflect.Type, ifaces []reflect.Type) bool {
	for _, iface := range ifaces {
		if t.Implements(iface) {
			return true
		}
	}
	return false
}

// plainStruct reports whether the decoder walks struct type t field by
// field, as it does unless t decodes or encodes itself, or is registered
// with msgpack: then encoding its zero value yields no map or array.
func plainStruct(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	if implementsAny(t, decoderTypes) || implementsAny(pt, decoderTypes) ||
		implementsAny(t, encoderTypes) || implementsAny(pt, encoderTypes) || t == timeType {
		return false
	}
	return encodesAsStruct(t)
}

// encodesAsStruct reports whether msgpack encodes the zero value of struct
// type t as a map or an array, as it does for a type not registered as an
// extension.
func encodesAsStruct(t reflect.Type) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	data, err := msgpack.Marshal(reflect.New(t).Interface())
	if err != nil || len(data) == 0 {
		return false
	}
	c := data[0]
	return c >= 0x80 && c <= 0x9f || c == 0xdc || c == 0xdd || c == 0xde || c == 0xdf
}

// fieldInfo is a struct field as msgpack names it.
type fieldInfo struct {
	name  string
	index []int
	typ   reflect.Type
}

// fieldSet is the fields of a struct type by the names the decoder accepts
// and in the order of its array form.
type fieldSet struct {
	byName map[string]*fieldInfo
	list   []*fieldInfo
}

func (fs *fieldSet) add(f *fieldInfo) {
	fs.byName[f.name] = f
	fs.list = append(fs.list, f)
}

// msgpackFields returns the fields of struct type t as msgpack's getFields
// (types.go) does for a decoder with the default struct tag: the "msgpack"
// tag names a field or skips it with "-"; unexported fields are skipped;
// embedded structs are inlined with ",inline", or when their fields shadow
// none already named and they decode as plain structs, unless tagged
// ",noinline"; ",alias:name" adds a second name. The encoder writes these
// names, so an entry msgpack wrote uses no other.
func msgpackFields(t reflect.Type) *fieldSet {
	fs := &fieldSet{byName: make(map[string]*fieldInfo, t.NumField())}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := tagparser.Parse(f.Tag.Get("msgpack"))
		if tag.Name == "-" {
			continue
		}
		if f.PkgPath != "" && !f.Anonymous {
			continue
		}
		fi := &fieldInfo{name: tag.Name, index: f.Index, typ: f.Type}
		if fi.name == "" {
			fi.name = f.Name
		}
		if f.Anonymous && !tag.HasOption("noinline") {
			inline := tag.HasOption("inline")
			if inline {
				inlineFields(fs, f.Type, fi)
			} else {
				inline = shouldInline(fs, f.Type, fi)
			}
			if inline {
				fs.byName[fi.name] = fi
				continue
			}
		}
		fs.add(fi)
		if alias, ok := tag.Options["alias"]; ok {
			fs.byName[alias] = fi
		}
	}
	return fs
}

// inlineFields adds the fields of embedded struct type t, reached through
// outer, that no field already named shadows.
func inlineFields(fs *fieldSet, t reflect.Type, outer *fieldInfo) {
	if t.Kind() != reflect.Struct {
		return // msgpack panics on ",inline" of anything else
	}
	for _, fi := range msgpackFields(t).list {
		if _, ok := fs.byName[fi.name]; ok {
			continue
		}
		fs.add(&fieldInfo{name: fi.name, index: joinIndex(outer.index, fi.index), typ: fi.typ})
	}
}

// shouldInline inlines embedded type t, a struct or a pointer to one,
// reached through outer, when it decodes as a plain struct and none of its
// fields is named already, and reports whether it did.
func shouldInline(fs *fieldSet, t reflect.Type, outer *fieldInfo) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || !plainStruct(t) {
		return false
	}
	inner := msgpackFields(t).list
	for _, fi := range inner {
		if _, ok := fs.byName[fi.name]; ok {
			return false
		}
	}
	for _, fi := range inner {
		fs.add(&fieldInfo{name: fi.name, index: joinIndex(outer.index, fi.index), typ: fi.typ})
	}
	return true
}

func joinIndex(a, b []int) []int {
	return append(append(make([]int, 0, len(a)+len(b)), a...), b...)
}
