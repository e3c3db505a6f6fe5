package json

import (
	"cmp"
	"encoding"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/memogen/memogen/codecs/internal/alloc"
)

// A shape is what the guard needs to know of a Go type: how encoding/json
// decodes a value into it, and what that allocates. It mirrors the choices
// of encoding/json's decoder (decode.go): which types decode themselves,
// which JSON values each kind takes, and the names struct fields go by
// (typeFields in encode.go).
type shape struct {
	kind kind
	elem *shape // slice, array and pointer: the element; map: the value
	// size is, for a slice, its element's size; for a pointer, its
	// pointee's; for a map, the cost of an entry; for an opaque type, what
	// a value costs besides what it is charged for its bytes.
	size int64
	// value is, for a map, the size of its values: the decoder allocates
	// one to decode each into.
	value int64
	key   keyKind // map: how keys are decoded
	bits  int     // integers, map keys of integer kinds, floats: their size
	n     int     // array: its length
	// fields are a struct's fields by exact name, and folded by foldName
	// for the case-insensitive match the decoder falls back to.
	fields map[string]*field
	folded map[string]*field
}

// A field is where a struct's key leads.
type field struct {
	shape  *shape
	alloc  int64 // embedded structs allocated behind nil pointers on the way
	quoted bool  // tagged ",string": the value is a JSON string holding it
}

type kind uint8

const (
	kindNone   kind = iota // a type the decoder fills only from null: chan, func, complex
	kindAny                // an empty interface: []any, map[string]any, float64, string, bool
	kindIface              // an interface with methods, which only null can decode into
	kindBool               // a bool
	kindInt                // a signed integer
	kindUint               // an unsigned integer
	kindFloat              // a float
	kindString             // a string
	kindNumber             // a json.Number
	kindBytes              // a []byte: a base64 string, or an array of numbers
	kindSlice              // any other slice
	kindArray              // an array
	kindMap                // a map
	kindPtr                // a pointer
	kindStruct             // a struct
	kindOpaque             // a json.Unmarshaler: takes any value
	kindText               // an encoding.TextUnmarshaler: takes strings
)

type keyKind uint8

const (
	keyString keyKind = iota
	keyInt
	keyUint
	keyText
	keyInvalid // the decoder refuses objects into such a map
)

// opaqueCost is what a value that decodes itself is charged besides twice
// its bytes: the Location of a time with an offset, and the like.
const opaqueCost = 256

var (
	shapes sync.Map // reflect.Type → *shape

	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textType        = reflect.TypeFor[encoding.TextUnmarshaler]()
	numberType      = reflect.TypeFor[json.Number]()
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

// decodesItself returns the kind of t when the decoder hands its values'
// bytes to a method: it looks for the methods on a pointer to a named type
// (the values it decodes into are addressable) and on a pointer type.
func decodesItself(t reflect.Type) (kind, bool) {
	var pt reflect.Type
	switch {
	case t.Kind() == reflect.Pointer:
		pt = t
	case t.Name() != "" && t.Kind() != reflect.Interface:
		pt = reflect.PointerTo(t)
	default:
		return 0, false
	}
	switch {
	case pt.Implements(unmarshalerType):
		return kindOpaque, true
	case pt.Implements(textType):
		return kindText, true
	}
	return 0, false
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
	if t.Kind() == reflect.Pointer {
		// The decoder allocates the pointee, then looks for the methods
		// on the pointer.
		s.kind, s.size = kindPtr, int64(t.Elem().Size())
		if k, ok := decodesItself(t); ok {
			s.elem = &shape{kind: k}
		} else {
			s.elem = b.build(t.Elem())
		}
		return s
	}
	if k, ok := decodesItself(t); ok {
		s.kind = k
		return s
	}
	switch t.Kind() {
	case reflect.Interface:
		s.kind = kindIface
		if t.NumMethod() == 0 {
			s.kind = kindAny
		}
	case reflect.Bool:
		s.kind = kindBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		s.kind, s.bits = kindInt, t.Bits()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		s.kind, s.bits = kindUint, t.Bits()
	case reflect.Float32, reflect.Float64:
		s.kind, s.bits = kindFloat, t.Bits()
	case reflect.String:
		s.kind = kindString
		if t == numberType {
			s.kind = kindNumber
		}
	case reflect.Slice:
		s.kind, s.elem, s.size = kindSlice, b.build(t.Elem()), int64(t.Elem().Size())
		if t.Elem().Kind() == reflect.Uint8 {
			s.kind = kindBytes
		}
	case reflect.Array:
		s.kind, s.elem, s.n = kindArray, b.build(t.Elem()), t.Len()
	case reflect.Map:
		s.kind, s.elem = kindMap, b.build(t.Elem())
		// The entry, and the key the decoder allocates for it.
		s.size = alloc.GrownMapEntry(int64(t.Key().Size()), int64(t.Elem().Size())) + alloc.Size(int64(t.Key().Size()))
		s.value = int64(t.Elem().Size())
		s.key, s.bits = mapKey(t.Key())
	case reflect.Struct:
		s.kind = kindStruct
		b.structFields(s, t)
	}
	return s
}

// mapKey returns how the decoder decodes keys of type t.
func mapKey(t reflect.Type) (keyKind, int) {
	if reflect.PointerTo(t).Implements(textType) {
		return keyText, 0
	}
	switch t.Kind() {
	case reflect.String:
		return keyString, 0
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return keyInt, t.Bits()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return keyUint, t.Bits()
	}
	return keyInvalid, 0
}

// structFields fills in the fields of s, the shape of struct type t.
func (b *shapeBuilder) structFields(s *shape, t reflect.Type) {
	fs := typeFields(t)
	s.fields = make(map[string]*field, len(fs))
	s.folded = make(map[string]*field, len(fs))
	for _, f := range fs {
		ft := t
		for _, i := range f.index {
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			ft = ft.Field(i).Type
		}
		fd := &field{shape: b.build(ft), alloc: pathAlloc(t, f.index), quoted: f.quoted}
		s.fields[f.name] = fd
		// The first of the fields in index order wins a folded name.
		folded := string(foldName(nil, []byte(f.name)))
		if _, ok := s.folded[folded]; !ok {
			s.folded[folded] = fd
		}
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

// jsonField is a struct field as encoding/json names it.
type jsonField struct {
	name   string
	tagged bool
	index  []int
	quoted bool
}

// typeFields returns the fields encoding/json decodes struct type t's
// values by, as its typeFields (encode.go) does: exported fields and the
// fields of embedded structs, breadth first, named by their "json" tag or
// their Go name; of several of one name, the shallowest, then the tagged
// one, wins, and two at the same depth hide each other.
func typeFields(t reflect.Type) []jsonField {
	type queued struct {
		typ   reflect.Type
		index []int
	}
	var fields []jsonField
	current, next := []queued{}, []queued{{typ: t}}
	var count, nextCount map[reflect.Type]int
	visited := map[reflect.Type]bool{}
	for len(next) > 0 {
		current, next = next, current[:0]
		count, nextCount = nextCount, map[reflect.Type]int{}
		for _, q := range current {
			if visited[q.typ] {
				continue
			}
			visited[q.typ] = true
			for i := range q.typ.NumField() {
				sf := q.typ.Field(i)
				if sf.Anonymous {
					et := sf.Type
					if et.Kind() == reflect.Pointer {
						et = et.Elem()
					}
					if !sf.IsExported() && et.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				if !validTag(name) {
					name = ""
				}
				index := append(append(make([]int, 0, len(q.index)+1), q.index...), i)
				ft := sf.Type
				if ft.Name() == "" && ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if name != "" || !sf.Anonymous || ft.Kind() != reflect.Struct {
					f := jsonField{name: name, tagged: name != "", index: index}
					if name == "" {
						f.name = sf.Name
					}
					if hasOption(opts, "string") {
						switch ft.Kind() {
						case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
							reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
							reflect.Float32, reflect.Float64, reflect.String:
							f.quoted = true
						}
					}
					fields = append(fields, f)
					if count[q.typ] > 1 {
						// Two of them, so that neither dominates.
						fields = append(fields, f)
					}
					continue
				}
				nextCount[ft]++
				if nextCount[ft] == 1 {
					next = append(next, queued{typ: ft, index: index})
				}
			}
		}
	}
	slices.SortFunc(fields, func(a, b jsonField) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		if c := cmp.Compare(len(a.index), len(b.index)); c != 0 {
			return c
		}
		if a.tagged != b.tagged {
			if a.tagged {
				return -1
			}
			return +1
		}
		return slices.Compare(a.index, b.index)
	})
	out := fields[:0]
	for i := 0; i < len(fields); {
		j := i + 1
		for j < len(fields) && fields[j].name == fields[i].name {
			j++
		}
		if j-i == 1 || len(fields[i].index) != len(fields[i+1].index) || fields[i].tagged != fields[i+1].tagged {
			out = append(out, fields[i])
		}
		i = j
	}
	slices.SortFunc(out, func(a, b jsonField) int { return slices.Compare(a.index, b.index) })
	return out
}

// validTag reports whether s may name a field, as encoding/json's
// isValidTag does.
func validTag(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

// hasOption reports whether the comma-separated options opts hold name.
func hasOption(opts, name string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == name {
			return true
		}
	}
	return false
}

// foldName appends to out the name in folded so that names equal under
// bytes.EqualFold fold to the same bytes, as encoding/json's foldName does.
func foldName(out, name []byte) []byte {
	for i := 0; i < len(name); {
		if c := name[i]; c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			out = append(out, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(name[i:])
		out = utf8.AppendRune(out, foldRune(r))
		i += n
	}
	return out
}

// foldRune returns the smallest rune of r's fold set.
func foldRune(r rune) rune {
	for {
		r2 := unicode.SimpleFold(r)
		if r2 <= r {
			return r2
		}
		r = r2
	}
}
