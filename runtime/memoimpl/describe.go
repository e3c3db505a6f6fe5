package memoimpl

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"unicode/utf8"
)

// maxSummary is how much of a summary [store.EncodeEntry] keeps; Describe
// writes one byte more, so that the store marks the cut.
const maxSummary = 256

// maxSummaryMapLen bounds the maps Describe sorts to print: a larger map
// is summarized by its length, since printing a prefix in a stable order
// would mean sorting every key.
const maxSummaryMapLen = 64

// Describe renders keyed arguments as name=value pairs for an entry's
// metadata: Describe("id", 42, "name", "x") is `id=42 name="x"`. A string
// argument is quoted; any other is printed as fmt's %+v prints it. The
// summary is bounded while it is written: Describe stops writing, and
// stops walking the arguments, once it holds more than the 256 bytes an
// entry keeps, so that describing a 32 MiB slice costs no more than
// describing a short one. A value with a String, Error or Format method
// is printed by that method, whose output Describe can only cut.
func Describe(namesAndValues ...any) string {
	s := summary{buf: make([]byte, 0, 64)}
	for i := 0; i+1 < len(namesAndValues) && !s.full(); i += 2 {
		if i > 0 {
			s.write(" ")
		}
		s.write(fmt.Sprint(namesAndValues[i]))
		s.write("=")
		if v, ok := namesAndValues[i+1].(string); ok {
			s.quote(v)
			continue
		}
		s.value(reflect.ValueOf(namesAndValues[i+1]), 0)
	}
	return string(s.buf)
}

// summary is a buffer that takes at most maxSummary+1 bytes.
type summary struct{ buf []byte }

func (s *summary) full() bool { return len(s.buf) > maxSummary }

// room is how many more bytes s takes.
func (s *summary) room() int { return maxSummary + 1 - len(s.buf) }

func (s *summary) write(x string) {
	if n := s.room(); len(x) > n {
		x = x[:max(n, 0)]
	}
	s.buf = append(s.buf, x...)
}

// quote writes x as %q would, quoting no more of it than fits.
func (s *summary) quote(x string) {
	if n := s.room(); len(x) > n {
		x = x[:max(n, 0)]
		for len(x) > 0 && !utf8.ValidString(x[len(x)-min(len(x), utf8.UTFMax):]) {
			x = x[:len(x)-1] // do not cut a character in two
		}
	}
	s.write(strconv.Quote(x))
}

// value writes v as %+v prints it at depth depth, stopping once s is full.
func (s *summary) value(v reflect.Value, depth int) {
	if s.full() {
		return
	}
	if !v.IsValid() {
		s.write("<nil>")
		return
	}
	if v.CanInterface() {
		switch x := v.Interface().(type) {
		case fmt.Formatter, error, fmt.Stringer:
			if v.Kind() == reflect.Pointer && v.IsNil() {
				break // fmt prints <nil> for a nil pointer, whatever its methods
			}
			s.write(fmt.Sprintf("%+v", x))
			return
		}
	}
	switch v.Kind() {
	case reflect.Bool:
		s.write(strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		s.write(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		s.write(strconv.FormatUint(v.Uint(), 10))
	case reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		s.write(fmt.Sprint(v))
	case reflect.String:
		s.write(v.String())
	case reflect.Interface:
		if v.IsNil() {
			s.write("<nil>")
			return
		}
		s.value(v.Elem(), depth+1)
	case reflect.Struct:
		s.write("{")
		t := v.Type()
		for i := range v.NumField() {
			if s.full() {
				return
			}
			if i > 0 {
				s.write(" ")
			}
			s.write(t.Field(i).Name)
			s.write(":")
			s.value(v.Field(i), depth+1)
		}
		s.write("}")
	case reflect.Array, reflect.Slice:
		s.write("[")
		for i := range v.Len() {
			if s.full() {
				return
			}
			if i > 0 {
				s.write(" ")
			}
			s.value(v.Index(i), depth+1)
		}
		s.write("]")
	case reflect.Map:
		s.mapValue(v, depth)
	case reflect.Pointer:
		if v.IsNil() {
			s.write("<nil>")
			return
		}
		switch v.Elem().Kind() {
		case reflect.Array, reflect.Slice, reflect.Struct, reflect.Map:
			if depth == 0 {
				s.write("&")
				s.value(v.Elem(), depth+1)
				return
			}
		}
		s.write(fmt.Sprintf("%p", v.UnsafePointer()))
	default: // channels, functions and unsafe pointers print their address
		if v.IsNil() {
			s.write("<nil>")
			return
		}
		s.write(fmt.Sprintf("%#x", v.Pointer()))
	}
}

// mapValue writes a map as %+v does, its keys sorted, when it is small
// enough to sort; a larger one is written as its length.
func (s *summary) mapValue(v reflect.Value, depth int) {
	if v.Len() > maxSummaryMapLen {
		s.write("map[(" + strconv.Itoa(v.Len()) + " entries)]")
		return
	}
	keys := v.MapKeys()
	slices.SortStableFunc(keys, compareKeys)
	s.write("map[")
	for i, k := range keys {
		if s.full() {
			return
		}
		if i > 0 {
			s.write(" ")
		}
		s.value(k, depth+1)
		s.write(":")
		s.value(v.MapIndex(k), depth+1)
	}
	s.write("]")
}

// compareKeys orders map keys as fmt does for the kinds keys mostly have:
// numbers by value, strings and booleans; keys of other kinds compare by
// their bounded description.
func compareKeys(a, b reflect.Value) int {
	if a.Kind() == b.Kind() {
		switch a.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return cmp.Compare(a.Int(), b.Int())
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			return cmp.Compare(a.Uint(), b.Uint())
		case reflect.Float32, reflect.Float64:
			return cmp.Compare(a.Float(), b.Float())
		case reflect.String:
			return cmp.Compare(a.String(), b.String())
		case reflect.Bool:
			return cmp.Compare(boolRank(a.Bool()), boolRank(b.Bool()))
		}
	}
	var sa, sb summary
	sa.value(a, 1)
	sb.value(b, 1)
	return cmp.Compare(string(sa.buf), string(sb.buf))
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
