package msgpack

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/memogen/memogen/codecs/internal/alloc"
	"github.com/memogen/memogen/runtime/store"
)

// The guard walks the MessagePack value at the start of data, without
// decoding it, along the shape of the type it will be decoded into, and
// adds up what the decoder will allocate: each slice, map, string and
// pointee at the size the target type gives it. It refuses the data before
// anything is decoded when the sum exceeds the budget, when a declared
// length does not fit in the bytes left, when values nest deeper than
// maxDepth, or when the data does not fit the type as the decoder would
// read it (a struct key the type does not have, an array too long for a Go
// array).
//
// The decoder allocates by declared lengths and by element size, not by the
// bytes it reads: an array of n one-byte nils decoded into a []T takes
// 2·n·sizeof(T) (it allocates the slice twice), so without the guard a
// 32 KB entry could make a reader allocate gigabytes. Counting declared
// elements against a fixed per-element cost cannot bound that, since T may
// be of any size; following the type can, and charges each value what it
// really costs, so that honest data is not refused for the size of a type
// it does not use.
//
// The guard also loads the locations that the entry's times name and that
// the process has not cached, once per name, charging locationCost for
// each, and leaves them in a zoneMemo for the decoder (see zone.go).
//
// What the guard does not see is the allocation of types that decode
// themselves (msgpack.CustomDecoder, msgpack.Unmarshaler,
// encoding.BinaryUnmarshaler, encoding.TextUnmarshaler): each is charged
// twice the bytes it is handed, and trusted to stay within that.

// maxDepth bounds how deeply values may nest, as encoding/json does: the
// decoder recurses, and its stack is memory the heap budget does not count.
const maxDepth = 10000

// decodeOverhead is what any decode costs besides its values: the
// decoder's own state and buffers.
const decodeOverhead = 4 << 10

// stackPerLevel is what one more level of nesting may cost the decoder in
// stack, charged to the budget once per level reached.
const stackPerLevel = 1 << 10

var (
	errTruncated = errors.New("msgpack: data ends inside a value")
	errTooDeep   = fmt.Errorf("msgpack: values nest more than %d deep", maxDepth)
)

// guard checks data against the shape of its target within budget bytes,
// loading into zones the locations its times name, and returns what the
// decode was charged.
func guard(data []byte, s *shape, budget int64, zones *zoneMemo) (charged int64, err error) {
	w := walker{data: data, left: budget, budget: budget, zones: zones}
	if err := w.charge(decodeOverhead); err != nil {
		return 0, err
	}
	if err := w.value(s); err != nil {
		return budget - w.left, err
	}
	return budget - w.left, nil
}

// walker is the guard's position in the data and what it has left to
// charge.
type walker struct {
	data    []byte
	pos     int
	left    int64     // budget not yet charged
	budget  int64     // the whole budget, for messages
	depth   int       // values being walked, the current one included
	deepest int       // the greatest depth reached, charged for its stack
	zones   *zoneMemo // the locations loaded for the decoder
}

// family groups the MessagePack codes the guard tells apart.
type family uint8

const (
	famNil    family = iota
	famSmall         // bool, fixint: no payload, and nothing to box
	famNumber        // int, uint, float: a payload, boxed in an interface
	famStr
	famBin
	famArray
	famMap
	famExt
)

// header is a value's code, read by walker.head.
type header struct {
	fam family
	// n is the element count of an array, the entry count of a map, the
	// payload length of a string, binary or extension.
	n int
}

// head reads the header of the value at pos and moves past it: past the
// code, the length and an extension's type, leaving pos at the payload or
// the first element. It checks that what the header declares fits in the
// bytes left: a payload's length, and an element count, as every element
// takes a byte at least.
func (w *walker) head() (header, error) {
	if w.pos >= len(w.data) {
		return header{}, errTruncated
	}
	at := w.pos
	c := w.data[w.pos]
	w.pos++
	var (
		h     header
		width int // of the length field that follows
		fixed = -1
	)
	switch {
	case c <= 0x7f || c >= 0xe0 || c == 0xc2 || c == 0xc3:
		return header{fam: famSmall}, nil
	case c == 0xc0:
		return header{fam: famNil}, nil
	case c <= 0x8f:
		h.fam, fixed = famMap, int(c&0x0f)
	case c <= 0x9f:
		h.fam, fixed = famArray, int(c&0x0f)
	case c <= 0xbf:
		h.fam, fixed = famStr, int(c&0x1f)
	default:
		switch c {
		case 0xc4, 0xc5, 0xc6: // bin 8, 16, 32
			h.fam, width = famBin, 1<<(c-0xc4)
		case 0xd9, 0xda, 0xdb: // str 8, 16, 32
			h.fam, width = famStr, 1<<(c-0xd9)
		case 0xc7, 0xc8, 0xc9: // ext 8, 16, 32
			h.fam, width = famExt, 1<<(c-0xc7)
		case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8: // fixext 1, 2, 4, 8, 16
			h.fam, fixed = famExt, 1<<(c-0xd4)
		case 0xdc, 0xdd: // array 16, 32
			h.fam, width = famArray, 2<<(c-0xdc)
		case 0xde, 0xdf: // map 16, 32
			h.fam, width = famMap, 2<<(c-0xde)
		case 0xca, 0xce, 0xd2: // float32, uint32, int32
			h.fam, fixed = famNumber, 4
		case 0xcb, 0xcf, 0xd3: // float64, uint64, int64
			h.fam, fixed = famNumber, 8
		case 0xcc, 0xd0: // uint8, int8
			h.fam, fixed = famNumber, 1
		case 0xcd, 0xd1: // uint16, int16
			h.fam, fixed = famNumber, 2
		default: // 0xc1 is never used
			return h, fmt.Errorf("msgpack: invalid code %#x at offset %d", c, at)
		}
	}
	h.n = fixed
	if width > 0 {
		if len(w.data)-w.pos < width {
			return h, errTruncated
		}
		switch width {
		case 1:
			h.n = int(w.data[w.pos])
		case 2:
			h.n = int(binary.BigEndian.Uint16(w.data[w.pos:]))
		case 4:
			h.n = int(binary.BigEndian.Uint32(w.data[w.pos:]))
		}
		w.pos += width
	}
	var ext int8
	if h.fam == famExt {
		if w.pos >= len(w.data) {
			return h, errTruncated
		}
		ext = int8(w.data[w.pos])
		w.pos++
	}
	left := len(w.data) - w.pos
	switch h.fam {
	case famNumber:
		h.n, w.pos = 0, w.pos+fixed
		if w.pos > len(w.data) {
			return h, errTruncated
		}
	case famArray, famMap:
		elems := h.n
		if h.fam == famMap {
			elems *= 2
		}
		if elems > left {
			return h, fmt.Errorf("msgpack: %d values at offset %d exceed the %d bytes left", elems, at, left)
		}
	default:
		if h.n > left {
			return h, fmt.Errorf("msgpack: length %d at offset %d exceeds the %d bytes left", h.n, at, left)
		}
	}
	if h.fam == famExt && ext == timeExt {
		// Wherever a time is, the decoder may look up its location.
		return h, w.location(w.data[w.pos : w.pos+h.n])
	}
	return h, nil
}

// location loads the location that a time's payload names, unless the
// process or this decode already has it, and charges it.
func (w *walker) location(payload []byte) error {
	name, ok := payloadLocation(payload)
	if !ok || w.zones.known(name) {
		return nil
	}
	if err := w.charge(locationCost); err != nil {
		return err
	}
	w.zones.location(name)
	return nil
}

// charge takes n bytes from the budget.
func (w *walker) charge(n int64) error {
	if n > w.left {
		return fmt.Errorf("%w: decoding would allocate more than the %d bytes allowed", store.ErrTooLarge, w.budget)
	}
	w.left -= n
	return nil
}

// chargeEach charges n times size.
func (w *walker) chargeEach(n int, size int64) error {
	return w.charge(alloc.Product(n, size))
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
		return w.charge(stackPerLevel)
	}
	return nil
}

// value walks the value at pos, to be decoded into a value of shape s.
func (w *walker) value(s *shape) error {
	if err := w.enter(); err != nil {
		return err
	}
	err := w.walk(s)
	w.depth--
	return err
}

// walk is value inside the value's depth.
func (w *walker) walk(s *shape) error {
	switch s.kind {
	case kindAny:
		return w.anyValue()
	case kindPtr:
		if w.pos < len(w.data) && w.data[w.pos] == 0xc0 {
			w.pos++
			return nil
		}
		if err := w.charge(alloc.Size(s.size)); err != nil {
			return err
		}
		return w.value(s.elem)
	case kindOpaque:
		if w.pos < len(w.data) && w.data[w.pos] == 0xc0 {
			w.pos++
			return nil
		}
		start := w.pos
		if err := w.skip(); err != nil {
			return err
		}
		return w.charge(alloc.Size(s.size) + 2*alloc.Size(int64(w.pos-start)))
	}
	h, err := w.head()
	if err != nil {
		return err
	}
	switch s.kind {
	case kindString, kindBytes:
		if h.fam == famStr || h.fam == famBin {
			w.pos += h.n
			// A string is read into the decoder's buffer, then copied.
			return w.charge(2 * alloc.Size(int64(h.n)))
		}
	case kindSlice:
		switch h.fam {
		case famNil:
			return nil
		case famArray:
			// The decoder makes a slice of n, then appends it to an empty
			// one: two arrays of n elements.
			if err := w.charge(2 * alloc.Size(alloc.Product(h.n, s.size))); err != nil {
				return err
			}
			return w.elements(h.n, s.elem)
		}
		return mismatch(h, "a slice")
	case kindArray:
		switch h.fam {
		case famNil:
			return nil
		case famArray:
			if h.n > s.n {
				return fmt.Errorf("msgpack: %d elements for an array of %d", h.n, s.n)
			}
			return w.elements(h.n, s.elem)
		}
		return mismatch(h, "an array")
	case kindMap:
		if h.fam == famExt {
			// The decoder skips an extension's header before a map, and
			// reads the map from its payload.
			if h, err = w.head(); err != nil {
				return err
			}
		}
		switch h.fam {
		case famNil:
			return nil
		case famMap:
			if err := w.chargeEach(h.n, s.size); err != nil {
				return err
			}
			if err := w.charge(mapHeader); err != nil {
				return err
			}
			for range h.n {
				if err := w.value(s.key); err != nil {
					return err
				}
				if err := w.value(s.elem); err != nil {
					return err
				}
			}
			return nil
		}
		return mismatch(h, "a map")
	case kindStruct:
		return w.structValue(h, s)
	}
	// Scalars, byte arrays, and strings from anything but str
	// and bin (which the decoder refuses): nothing to allocate.
	return w.rest(h)
}

// mapHeader is what an empty map costs.
const mapHeader = 64

// elements walks n values of shape s.
func (w *walker) elements(n int, s *shape) error {
	for range n {
		if err := w.value(s); err != nil {
			return err
		}
	}
	return nil
}

// structValue walks the value whose header is h, to be decoded into a
// struct of shape s: a map of field names to values, or an array of values
// in field order.
func (w *walker) structValue(h header, s *shape) error {
	switch h.fam {
	case famNil:
		return nil
	case famMap:
		for range h.n {
			name, err := w.fieldName()
			if err != nil {
				return err
			}
			f, ok := s.fields[string(name)]
			if !ok {
				// The type's fields are in its fingerprint, so an entry of
				// this function names no other.
				return fmt.Errorf("msgpack: unknown field %.64q", name)
			}
			if err := w.charge(f.alloc); err != nil {
				return err
			}
			if err := w.value(f.shape); err != nil {
				return err
			}
		}
		return nil
	case famArray:
		if h.n == 0 {
			return nil
		}
		if h.n != len(s.list) {
			return fmt.Errorf("msgpack: %d values for a struct of %d fields", h.n, len(s.list))
		}
		for _, f := range s.list {
			if err := w.charge(f.alloc); err != nil {
				return err
			}
			if err := w.value(f.shape); err != nil {
				return err
			}
		}
		return nil
	}
	return mismatch(h, "a struct")
}

// fieldName reads a struct key, a string the decoder does not keep.
func (w *walker) fieldName() ([]byte, error) {
	h, err := w.head()
	if err != nil {
		return nil, err
	}
	switch h.fam {
	case famNil:
		return nil, nil
	case famStr, famBin:
		name := w.data[w.pos : w.pos+h.n]
		w.pos += h.n
		return name, nil
	}
	return nil, mismatch(h, "a field name")
}

// anyValue walks a value to be decoded into an interface: the decoder
// makes a []any of an array, a map[string]any of a map, and boxes what
// else it reads.
func (w *walker) anyValue() error {
	h, err := w.head()
	if err != nil {
		return err
	}
	switch h.fam {
	case famNil, famSmall:
		return nil
	case famNumber:
		return w.charge(boxSize)
	case famStr, famBin, famExt:
		w.pos += h.n
		return w.charge(boxSize + 2*alloc.Size(int64(h.n)))
	case famArray:
		if err := w.chargeEach(h.n, anySize); err != nil {
			return err
		}
		if err := w.charge(boxSize + alloc.Size(0)); err != nil {
			return err
		}
		return w.elements(h.n, &anyShape)
	}
	// A map: string keys, any values.
	if err := w.chargeEach(h.n, anyMapEntry); err != nil {
		return err
	}
	if err := w.charge(mapHeader); err != nil {
		return err
	}
	for range h.n {
		if err := w.value(&stringShape); err != nil {
			return err
		}
		if err := w.value(&anyShape); err != nil {
			return err
		}
	}
	return nil
}

// The costs of values decoded into interfaces: boxing a scalar, a string or
// a slice header; one element of a []any; one entry of a map[string]any.
var (
	boxSize     = alloc.Size(24)
	anySize     = int64(16) + 16/8
	anyMapEntry = alloc.MapEntry(16, 16)

	anyShape    = shape{kind: kindAny}
	stringShape = shape{kind: kindString}
)

// rest moves past the payload or the elements of the value whose header
// was just read, which allocates nothing.
func (w *walker) rest(h header) error {
	switch h.fam {
	case famStr, famBin, famExt:
		w.pos += h.n
	case famArray:
		for range h.n {
			if err := w.skipNested(); err != nil {
				return err
			}
		}
	case famMap:
		for range 2 * h.n {
			if err := w.skipNested(); err != nil {
				return err
			}
		}
	}
	return nil
}

// skip moves past the value at pos, checking its lengths and depth.
func (w *walker) skip() error {
	h, err := w.head()
	if err != nil {
		return err
	}
	return w.rest(h)
}

// skipNested skips a value inside another.
func (w *walker) skipNested() error {
	if err := w.enter(); err != nil {
		return err
	}
	err := w.skip()
	w.depth--
	return err
}

// mismatch reports a value of the wrong kind for its target, which the
// decoder would refuse.
func mismatch(h header, target string) error {
	return fmt.Errorf("msgpack: %s value where the result has %s", familyNames[h.fam], target)
}

var familyNames = [...]string{
	famNil: "nil", famSmall: "boolean or small integer", famNumber: "number", famStr: "string",
	famBin: "binary", famArray: "array", famMap: "map", famExt: "extension",
}
