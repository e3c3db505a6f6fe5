package json

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/memogen/memogen/codecs/internal/alloc"
)

// The guard reads the JSON text, without decoding it, along the shape of
// the type it will be decoded into, and adds up what encoding/json will
// allocate: each slice as it grows one element at a time, each map entry,
// string and pointee at the size the target type gives it, the values of
// an interface as the []any, map[string]any, float64 and string they
// become. It refuses the text before anything is decoded when the sum
// exceeds the budget, when values nest deeper than maxDepth, or when a value
// does not fit its target (a string for an int, 1.5 for an int, an object
// for a slice), which the decoder would report as an error only after
// decoding the rest, allocating for each such value.
//
// The decoder allocates by the target's element size, not by the bytes it
// reads: `[null,null,…]`, five bytes an element, decoded into a []T of a
// 1 KiB T allocates some 5 KiB an element as the slice doubles, then grows
// by a quarter. Following the type charges each value what it really
// costs, so that honest data is not refused for the size of a type it
// does not use.
//
// What the guard does not see is the allocation of types that decode
// themselves (json.Unmarshaler, encoding.TextUnmarshaler): each is charged
// twice the bytes it is handed, and opaqueCost, and trusted to stay within
// that.
//
// Text that is not JSON is refused by the decoder's own first pass before
// it allocates for any value; the guard only has to read valid JSON as the
// decoder does, and to stop, with an error, on anything else.

// maxDepth is how deeply encoding/json lets values nest.
const maxDepth = 10000

// decodeOverhead is what any decode costs besides its values: the
// decoder's state and its first pass's.
const decodeOverhead = 4 << 10

// stackPerLevel is what one more level of nesting may cost the decoder in
// stack and in its first pass's state, charged once per level reached.
const stackPerLevel = 1 << 10

var (
	errSyntax  = errors.New("json: invalid JSON")
	errTooDeep = fmt.Errorf("json: values nest more than %d deep", maxDepth)
)

// allowance is what a decode may allocate besides its budget: the
// decoder's own state and the stack of the first levels, so that a small
// MaxEntryBytes does not refuse every entry.
const allowance = decodeOverhead + 16*stackPerLevel

// guard checks data against the shape of its target within budget bytes
// and the allowance, and returns what the decode was charged.
func guard(data []byte, s *shape, budget int64) (charged int64, err error) {
	w := walker{data: data, b: alloc.New("json", min(budget, math.MaxInt64/4)+allowance)}
	if err := w.b.Charge(decodeOverhead); err != nil {
		return 0, err
	}
	if err := w.value(s); err != nil {
		return w.b.Charged(), err
	}
	w.space()
	if w.pos != len(w.data) {
		return w.b.Charged(), errSyntax
	}
	return w.b.Charged(), nil
}

// walker is the guard's position in the text and what it has left to
// charge.
type walker struct {
	data    []byte
	pos     int
	b       alloc.Budget
	depth   int    // arrays and objects being walked
	deepest int    // the greatest depth reached, charged for its stack
	key     []byte // the last object key, unquoted
	folded  []byte // the last object key, folded
}

// space moves past white space.
func (w *walker) space() {
	for w.pos < len(w.data) {
		switch w.data[w.pos] {
		case ' ', '\t', '\n', '\r':
			w.pos++
		default:
			return
		}
	}
}

// enter counts one more level of nesting; the caller goes back down a
// level when done.
func (w *walker) enter() error {
	w.depth++
	if w.depth > maxDepth {
		return errTooDeep
	}
	if w.depth > w.deepest {
		w.deepest = w.depth
		return w.b.Charge(stackPerLevel)
	}
	return nil
}

// A token is the start of a value: its first byte tells its kind.
type token byte

const (
	tokNull   token = 'n'
	tokTrue   token = 't'
	tokFalse  token = 'f'
	tokString token = '"'
	tokNumber token = '0'
	tokArray  token = '['
	tokObject token = '{'
)

// peek returns the kind of the value at pos, after white space.
func (w *walker) peek() (token, error) {
	w.space()
	if w.pos >= len(w.data) {
		return 0, errSyntax
	}
	switch c := w.data[w.pos]; c {
	case 'n', 't', 'f', '"', '[', '{':
		return token(c), nil
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return tokNumber, nil
	}
	return 0, errSyntax
}

// literal moves past the word lit at pos.
func (w *walker) literal(lit string) error {
	if len(w.data)-w.pos < len(lit) || string(w.data[w.pos:w.pos+len(lit)]) != lit {
		return errSyntax
	}
	w.pos += len(lit)
	return nil
}

// str moves past the string at pos and returns its bytes between the
// quotes, and whether decoding it needs a buffer of its own: it holds
// escapes or bytes that are not UTF-8.
func (w *walker) str() (raw []byte, escaped bool, err error) {
	start := w.pos + 1
	i := start
	for i < len(w.data) {
		switch c := w.data[i]; {
		case c == '"':
			w.pos = i + 1
			raw = w.data[start:i]
			return raw, escaped || !utf8.Valid(raw), nil
		case c == '\\':
			escaped = true
			i += 2
		case c < ' ':
			return nil, false, errSyntax
		default:
			i++
		}
	}
	return nil, false, errSyntax
}

// number moves past the number at pos and returns it.
func (w *walker) number() []byte {
	start := w.pos
	for w.pos < len(w.data) {
		switch w.data[w.pos] {
		case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '.', 'e', 'E', '+', '-':
			w.pos++
		default:
			return w.data[start:w.pos]
		}
	}
	return w.data[start:]
}

// stringCost is what decoding a string of raw bytes between its quotes
// allocates: the string, and, when it holds escapes, the buffer it is
// unquoted into, which grows by doubling when invalid bytes become
// three-byte replacement characters.
func stringCost(raw []byte, escaped bool) int64 {
	n := int64(len(raw))
	if !escaped {
		return alloc.Size(n)
	}
	if utf8.Valid(raw) {
		return alloc.Size(n+8) + alloc.Size(n)
	}
	return 8*alloc.Size(3*n+8) + alloc.Size(3*n)
}

// value walks the value at pos, to be decoded into a value of shape s.
func (w *walker) value(s *shape) error {
	tok, err := w.peek()
	if err != nil {
		return err
	}
	if tok == tokNull {
		// null sets pointers, maps, slices and interfaces to nil, and
		// leaves everything else alone; a type that decodes itself gets it.
		if s.kind == kindOpaque {
			if err := w.b.Charge(opaqueCost + 2*alloc.Size(4)); err != nil {
				return err
			}
		}
		return w.literal("null")
	}
	switch s.kind {
	case kindPtr:
		if err := w.b.Charge(alloc.Size(s.size)); err != nil {
			return err
		}
		return w.value(s.elem)
	case kindOpaque:
		start := w.pos
		if err := w.skip(); err != nil {
			return err
		}
		return w.b.Charge(opaqueCost + 2*alloc.Size(int64(w.pos-start)))
	case kindAny:
		return w.anyValue(tok)
	}
	switch tok {
	case tokArray:
		return w.array(s)
	case tokObject:
		return w.object(s)
	case tokString:
		return w.stringValue(s)
	case tokNumber:
		return w.numberValue(s)
	}
	// true or false
	lit := "true"
	if tok == tokFalse {
		lit = "false"
	}
	if s.kind != kindBool {
		return mismatch("a boolean", s)
	}
	return w.literal(lit)
}

// stringValue walks the string at pos, to be decoded into a value of
// shape s.
func (w *walker) stringValue(s *shape) error {
	raw, escaped, err := w.str()
	if err != nil {
		return err
	}
	switch s.kind {
	case kindString:
		return w.b.Charge(stringCost(raw, escaped))
	case kindNumber:
		return w.b.Charge(stringCost(raw, escaped))
	case kindText:
		return w.b.Charge(opaqueCost + stringCost(raw, escaped) + 2*alloc.Size(int64(len(raw))))
	case kindBytes:
		// Unquoted, then decoded from base64 into a slice of its own.
		return w.b.Charge(stringCost(raw, escaped) + alloc.Size(int64(len(raw))))
	}
	return mismatch("a string", s)
}

// numberValue walks the number at pos, to be decoded into a value of
// shape s.
func (w *walker) numberValue(s *shape) error {
	num := w.number()
	var err error
	switch s.kind {
	case kindInt:
		_, err = strconv.ParseInt(string(num), 10, s.bits)
	case kindUint:
		_, err = strconv.ParseUint(string(num), 10, s.bits)
	case kindFloat:
		_, err = strconv.ParseFloat(string(num), s.bits)
	case kindNumber:
		return w.b.Charge(alloc.Size(int64(len(num))))
	default:
		return mismatch("a number", s)
	}
	if err != nil {
		return fmt.Errorf("json: %.32q does not fit its target: %w", num, err)
	}
	if len(num) > 32 {
		// Converted to a string for parsing, beyond the stack buffer the
		// compiler gives such a conversion.
		return w.b.Charge(alloc.Size(int64(len(num))))
	}
	return nil
}

// array walks the array at pos, to be decoded into a value of shape s.
func (w *walker) array(s *shape) error {
	switch s.kind {
	case kindSlice, kindBytes, kindArray:
	default:
		return mismatch("an array", s)
	}
	if err := w.enter(); err != nil {
		return err
	}
	defer func() { w.depth-- }()
	w.pos++ // [
	if s.kind != kindArray {
		// A slice's header, boxed by reflect.
		if err := w.b.Charge(alloc.Size(24)); err != nil {
			return err
		}
	}
	elem := s.elem
	if s.kind == kindBytes {
		elem = &uintShape
	}
	capacity := 0
	for n := 0; ; n++ {
		if done, err := w.next(']', n); done || err != nil {
			return err
		}
		switch {
		case s.kind == kindArray && n >= s.n:
			// Past the end of a Go array: skipped.
			if err := w.skip(); err != nil {
				return err
			}
		default:
			if s.kind != kindArray && n >= capacity {
				capacity = alloc.NextCap(n+1, capacity)
				if err := w.b.Charge(alloc.Size(alloc.Product(capacity, s.size))); err != nil {
					return err
				}
			}
			if err := w.value(elem); err != nil {
				return err
			}
		}
	}
}

var uintShape = shape{kind: kindUint, bits: 8}

// next moves to the next value of an array or an object that ends with
// end, of which n values were read, and reports whether it ended instead.
func (w *walker) next(end byte, n int) (done bool, err error) {
	w.space()
	if w.pos >= len(w.data) {
		return false, errSyntax
	}
	switch c := w.data[w.pos]; {
	case c == end:
		w.pos++
		return true, nil
	case n == 0:
		return false, nil
	case c != ',':
		return false, errSyntax
	}
	w.pos++
	w.space()
	return false, nil
}

// object walks the object at pos, to be decoded into a value of shape s.
func (w *walker) object(s *shape) error {
	switch s.kind {
	case kindMap:
		if s.key == keyInvalid {
			return mismatch("an object", s)
		}
		// The map, and the value each entry is decoded into first.
		if err := w.b.Charge(alloc.MapHeader + alloc.Size(s.value)); err != nil {
			return err
		}
	case kindStruct:
	default:
		return mismatch("an object", s)
	}
	if err := w.enter(); err != nil {
		return err
	}
	defer func() { w.depth-- }()
	w.pos++ // {
	for n := 0; ; n++ {
		if done, err := w.next('}', n); done || err != nil {
			return err
		}
		if w.pos >= len(w.data) || w.data[w.pos] != '"' {
			return errSyntax
		}
		raw, escaped, err := w.str()
		if err != nil {
			return err
		}
		if escaped {
			// Unquoted into a buffer of its own.
			if err := w.b.Charge(stringCost(raw, true)); err != nil {
				return err
			}
		}
		w.space()
		if w.pos >= len(w.data) || w.data[w.pos] != ':' {
			return errSyntax
		}
		w.pos++
		if s.kind == kindMap {
			err = w.mapEntry(s, raw, escaped)
		} else {
			err = w.structField(s, raw, escaped)
		}
		if err != nil {
			return err
		}
	}
}

// mapEntry walks the value of an entry of a map of shape s, whose key is
// raw between its quotes.
func (w *walker) mapEntry(s *shape, raw []byte, escaped bool) error {
	if err := w.b.Charge(s.size); err != nil {
		return err
	}
	if err := w.value(s.elem); err != nil {
		return err
	}
	switch s.key {
	case keyString:
		if escaped {
			return w.b.Charge(alloc.Size(3 * int64(len(raw))))
		}
		return w.b.Charge(alloc.Size(int64(len(raw))))
	case keyText:
		return w.b.Charge(opaqueCost + 2*alloc.Size(int64(len(raw))) + stringCost(raw, escaped))
	}
	key := w.unquote(raw, escaped)
	var err error
	if s.key == keyInt {
		_, err = strconv.ParseInt(string(key), 10, s.bits)
	} else {
		_, err = strconv.ParseUint(string(key), 10, s.bits)
	}
	if err != nil {
		return fmt.Errorf("json: map key %.32q does not fit its target: %w", key, err)
	}
	return w.b.Charge(alloc.Size(int64(len(key))))
}

// structField walks the value of a struct's field named raw between its
// quotes.
func (w *walker) structField(s *shape, raw []byte, escaped bool) error {
	key := w.unquote(raw, escaped)
	f, ok := s.fields[string(key)]
	if !ok {
		w.folded = foldName(w.folded[:0], key)
		f, ok = s.folded[string(w.folded)]
	}
	if len(key) > 32 {
		// Folded into a buffer of its own.
		if err := w.b.Charge(alloc.Size(int64(len(key)) * utf8.UTFMax)); err != nil {
			return err
		}
	}
	if !ok {
		return w.skip() // an unknown field, ignored
	}
	if err := w.b.Charge(f.alloc); err != nil {
		return err
	}
	if !f.quoted {
		return w.value(f.shape)
	}
	// ",string": a string holding the value, or null.
	tok, err := w.peek()
	if err != nil {
		return err
	}
	switch tok {
	case tokNull:
		return w.literal("null")
	case tokString:
		raw, escaped, err := w.str()
		if err != nil {
			return err
		}
		// Unquoted into an interface, copied, unquoted again, and
		// converted; an error message quotes it.
		return w.b.Charge(4*stringCost(raw, escaped) + 2*alloc.Size(int64(len(raw))) + opaqueCost)
	}
	return mismatch("a value other than a string for a \",string\" field", f.shape)
}

// unquote returns the key raw between its quotes as the decoder reads it.
func (w *walker) unquote(raw []byte, escaped bool) []byte {
	if !escaped {
		return raw
	}
	w.key = unquoteInto(w.key[:0], raw)
	return w.key
}

// unquoteInto appends to out the string raw between its quotes stands for,
// as encoding/json's unquoteBytes reads it: escapes replaced, and what is
// not UTF-8 replaced by U+FFFD.
func unquoteInto(out, raw []byte) []byte {
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '\\' && i+1 < len(raw):
			e := raw[i+1]
			i += 2
			switch e {
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r := hex4(raw[i:])
				if r < 0 {
					return out
				}
				i += 4
				if utf16.IsSurrogate(r) {
					r2 := rune(-1)
					if i+1 < len(raw) && raw[i] == '\\' && raw[i+1] == 'u' {
						r2 = hex4(raw[i+2:])
					}
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						i += 6
						r = dec
					} else {
						r = utf8.RuneError
					}
				}
				out = utf8.AppendRune(out, r)
			default: // '"', '\\', '/'
				out = append(out, e)
			}
		case c < utf8.RuneSelf:
			out = append(out, c)
			i++
		default:
			r, size := utf8.DecodeRune(raw[i:])
			out = utf8.AppendRune(out, r)
			i += size
		}
	}
	return out
}

// hex4 returns the rune of the four hex digits at the start of b, or -1.
func hex4(b []byte) rune {
	if len(b) < 4 {
		return -1
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// The costs of values decoded into interfaces: boxing a float64, a string
// or a slice header; one element of a []any; one entry of a map[string]any.
var (
	anyElem  = int64(16)
	anyEntry = alloc.GrownMapEntry(16, 16)
)

// anyValue walks a value, whose first token is tok, to be decoded into an
// empty interface.
func (w *walker) anyValue(tok token) error {
	switch tok {
	case tokNull:
		return w.literal("null")
	case tokTrue:
		return w.literal("true")
	case tokFalse:
		return w.literal("false")
	case tokString:
		raw, escaped, err := w.str()
		if err != nil {
			return err
		}
		return w.b.Charge(alloc.Size(16) + stringCost(raw, escaped))
	case tokNumber:
		num := w.number()
		if _, err := strconv.ParseFloat(string(num), 64); err != nil {
			return fmt.Errorf("json: %.32q does not fit a float64: %w", num, err)
		}
		cost := alloc.Size(8)
		if len(num) > 32 {
			cost += alloc.Size(int64(len(num)))
		}
		return w.b.Charge(cost)
	case tokArray:
		return w.anyArray()
	}
	return w.anyObject()
}

// anyArray walks an array to be decoded into a []any.
func (w *walker) anyArray() error {
	if err := w.enter(); err != nil {
		return err
	}
	defer func() { w.depth-- }()
	w.pos++ // [
	// The slice boxed twice: as the value returned, and by reflect.
	if err := w.b.Charge(2 * alloc.Size(24)); err != nil {
		return err
	}
	capacity := 0
	for n := 0; ; n++ {
		if done, err := w.next(']', n); done || err != nil {
			return err
		}
		tok, err := w.peek()
		if err != nil {
			return err
		}
		if n >= capacity {
			capacity = alloc.NextCap(n+1, capacity)
			if err := w.b.Charge(alloc.Size(alloc.Product(capacity, anyElem))); err != nil {
				return err
			}
		}
		if err := w.anyValue(tok); err != nil {
			return err
		}
	}
}

// anyObject walks an object to be decoded into a map[string]any.
func (w *walker) anyObject() error {
	if err := w.enter(); err != nil {
		return err
	}
	defer func() { w.depth-- }()
	w.pos++ // {
	if err := w.b.Charge(alloc.MapHeader); err != nil {
		return err
	}
	for n := 0; ; n++ {
		if done, err := w.next('}', n); done || err != nil {
			return err
		}
		if w.pos >= len(w.data) || w.data[w.pos] != '"' {
			return errSyntax
		}
		raw, escaped, err := w.str()
		if err != nil {
			return err
		}
		if err := w.b.Charge(anyEntry + stringCost(raw, escaped)); err != nil {
			return err
		}
		w.space()
		if w.pos >= len(w.data) || w.data[w.pos] != ':' {
			return errSyntax
		}
		w.pos++
		tok, err := w.peek()
		if err != nil {
			return err
		}
		if err := w.anyValue(tok); err != nil {
			return err
		}
	}
}

// skip moves past the value at pos, which the decoder skips without
// allocating.
func (w *walker) skip() error {
	tok, err := w.peek()
	if err != nil {
		return err
	}
	switch tok {
	case tokNull:
		return w.literal("null")
	case tokTrue:
		return w.literal("true")
	case tokFalse:
		return w.literal("false")
	case tokString:
		_, _, err := w.str()
		return err
	case tokNumber:
		w.number()
		return nil
	}
	if err := w.enter(); err != nil {
		return err
	}
	defer func() { w.depth-- }()
	isObject := tok == tokObject
	end := byte(']')
	if isObject {
		end = '}'
	}
	w.pos++
	for n := 0; ; n++ {
		if done, err := w.next(end, n); done || err != nil {
			return err
		}
		if isObject {
			if w.pos >= len(w.data) || w.data[w.pos] != '"' {
				return errSyntax
			}
			if _, _, err := w.str(); err != nil {
				return err
			}
			w.space()
			if w.pos >= len(w.data) || w.data[w.pos] != ':' {
				return errSyntax
			}
			w.pos++
		}
		if err := w.skip(); err != nil {
			return err
		}
	}
}

// mismatch reports a value of the wrong kind for its target, which the
// decoder would refuse.
func mismatch(what string, s *shape) error {
	return fmt.Errorf("json: %s where the result has %s", what, kindNames[s.kind])
}

var kindNames = [...]string{
	kindNone: "a type JSON cannot fill", kindAny: "an interface", kindIface: "an interface with methods",
	kindBool: "a bool", kindInt: "an integer", kindUint: "an unsigned integer", kindFloat: "a float",
	kindString: "a string", kindNumber: "a json.Number", kindBytes: "a []byte", kindSlice: "a slice",
	kindArray: "an array", kindMap: "a map", kindPtr: "a pointer", kindStruct: "a struct",
	kindOpaque: "a json.Unmarshaler", kindText: "an encoding.TextUnmarshaler",
}
