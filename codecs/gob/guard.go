package gob

import (
	"errors"
	"fmt"
	"math"

	"github.com/memogen/memogen/codecs/internal/alloc"
)

// The guard reads the gob stream before encoding/gob does: the type
// definitions it carries, then the value, along the shape of the Go type
// it will be decoded into, and adds up what the decoder will allocate. It
// refuses the stream, before anything is decoded, when the sum exceeds the
// budget, when a declared length or count exceeds the bytes left (the
// decoder allocates a message's declared length, a map's declared size
// and ten megabytes of a slice's before it reads them), when values nest
// deeper than maxDepth, or when the stream does not fit the type as the
// decoder would read it.
//
// The decoder allocates by the target's element size, not by the bytes it
// reads: a slice of zero structs takes a byte an element on the wire and
// sizeof(T) in memory. Following the type charges each value what it
// really costs.
//
// An interface's concrete type is named in the stream and registered with
// gob.Register, whose table the guard cannot read: its values are charged
// an estimate of their Go size from their wire type (8 bytes a number, 16
// a string or an interface, 24 a slice, the sum of a struct's fields, an
// array's length times its element's), twice, as the decoder allocates the
// value and copies it into the interface, and the size of each struct they
// hold once more, in case a pointer leads to it.
//
// What the guard does not see is the allocation of types that decode
// themselves (GobDecoder, BinaryUnmarshaler): each is charged twice the
// bytes it is handed, and opaqueCost, and trusted to stay within that.

// maxDepth bounds how deeply values may nest: the decoder recurses without
// a limit of its own, and its stack is memory the heap budget does not
// count.
const maxDepth = 10000

const (
	// decodeOverhead is what any decode costs besides its values: the
	// decoder, its tables and the engine compiled for the result type.
	decodeOverhead = 16 << 10
	// stackPerLevel is what one more level of nesting may cost in stack.
	stackPerLevel = 1 << 10
	// typeCost and fieldCost are what a type definition costs: the
	// definition decoded and kept, and the engines compiled for it.
	typeCost  = 2 << 10
	fieldCost = 512
	// opaqueCost is what a value that decodes itself is charged besides
	// twice its bytes: the Location of a time with an offset, and the like.
	opaqueCost = 256
	// estimatedExternal is the estimated Go size of a value of a type that
	// decodes itself, met in an interface.
	estimatedExternal = 64
)

// Type ids encoding/gob predefines.
const (
	tBool      = 1
	tInt       = 2
	tUint      = 3
	tFloat     = 4
	tBytes     = 5
	tString    = 6
	tComplex   = 7
	tInterface = 8

	firstUserID = 64
	// tooBig is the decoder's own bound on lengths and messages.
	tooBig = (1 << 30) << (^uint(0) >> 62)
)

var (
	errTruncated = errors.New("gob: stream ends inside a value")
	errTooDeep   = fmt.Errorf("gob: values nest more than %d deep", maxDepth)
	errBadUint   = errors.New("gob: invalid unsigned integer")
	errRange     = errors.New("gob: field number out of range")
)

// A wireType is a type definition read from the stream: encoding/gob's
// wireType, of which one field is set.
type wireType struct {
	array, slice, strct, mapT bool
	ext                       extKind // GobEncoderT, BinaryMarshalerT
	text                      bool    // TextMarshalerT, which decoders never accept
	elem, key                 int32   // array, slice, map
	n                         int64   // array: its length
	fields                    []wireField
	est                       int64 // estimated Go size; 0 until known
	estimating                bool
}

type wireField struct {
	name string
	id   int32
}

// mode is how the guard walks a value.
type mode uint8

const (
	decode   mode = iota // into a Go value of a known shape
	estimate             // into an interface's concrete value, of an unknown type
	ignore               // skipped, for a field the Go type lacks
)

// allowance is what a decode may allocate besides its budget: the
// decoder's own state and the stack of the first levels, so that a small
// MaxEntryBytes does not refuse every entry.
const allowance = decodeOverhead + 16*stackPerLevel

// guard checks the gob stream data against the shape of its target within
// budget bytes and the allowance, and returns what the decode was charged.
func guard(data []byte, s *shape, budget int64) (charged int64, err error) {
	w := walker{stream: data, b: alloc.New("gob", min(budget, math.MaxInt64/4)+allowance), types: make(map[int32]*wireType)}
	if err := w.b.Charge(decodeOverhead); err != nil {
		return 0, err
	}
	id, err := w.typeSequence(false)
	if err == nil {
		err = w.topValue(id, s, decode)
	}
	return w.b.Charged(), err
}

// walker is the guard's position in the stream and what it has left to
// charge.
type walker struct {
	stream  []byte // the messages not read yet
	buf     []byte // the rest of the message being read
	b       alloc.Budget
	types   map[int32]*wireType
	depth   int
	deepest int
}

// message reads the next message into buf, as the decoder's recvMessage
// does, and charges the buffer the decoder reads it into.
func (w *walker) message() error {
	if len(w.stream) == 0 {
		return errTruncated
	}
	c := w.stream[0]
	w.stream = w.stream[1:]
	n := uint64(c)
	if c > 0x7f {
		width := -int(int8(c))
		if width > 8 || len(w.stream) < width {
			return errBadUint
		}
		n = 0
		for _, b := range w.stream[:width] {
			n = n<<8 | uint64(b)
		}
		w.stream = w.stream[width:]
	}
	if n >= tooBig || n > uint64(len(w.stream)) {
		return fmt.Errorf("gob: message of %d bytes with %d left", n, len(w.stream))
	}
	w.buf, w.stream = w.stream[:n], w.stream[n:]
	return w.b.Charge(alloc.Size(int64(n)))
}

// uint reads an unsigned integer from the message.
func (w *walker) uint() (uint64, error) {
	if len(w.buf) == 0 {
		return 0, errTruncated
	}
	c := w.buf[0]
	w.buf = w.buf[1:]
	if c <= 0x7f {
		return uint64(c), nil
	}
	width := -int(int8(c))
	if width > 8 {
		return 0, errBadUint
	}
	if len(w.buf) < width {
		return 0, errTruncated
	}
	var x uint64
	for _, b := range w.buf[:width] {
		x = x<<8 | uint64(b)
	}
	w.buf = w.buf[width:]
	return x, nil
}

// int reads a signed integer from the message.
func (w *walker) int() (int64, error) {
	x, err := w.uint()
	if x&1 != 0 {
		return ^int64(x >> 1), err
	}
	return int64(x >> 1), err
}

// typeID reads a type id, an int32.
func (w *walker) typeID() (int32, error) {
	x, err := w.int()
	if err == nil && (x < math.MinInt32 || x > math.MaxInt32) {
		err = errors.New("gob: type id out of range")
	}
	return int32(x), err
}

// length reads the length of what follows in the message, and moves past
// it; it must fit in the bytes left.
func (w *walker) length() (int, error) {
	x, err := w.uint()
	if err != nil {
		return 0, err
	}
	if x > uint64(len(w.buf)) || x >= tooBig {
		return 0, fmt.Errorf("gob: length %d with %d bytes left", x, len(w.buf))
	}
	w.buf = w.buf[x:]
	return int(x), nil
}

// count reads the count of elements that follow, each at least per bytes
// long. They may not all be in this message: when the encoder meets a type
// inside an interface at the top level, it writes the type's definition as
// a message of its own, and with it, as the head of that message, the part
// of the value encoded so far; the value goes on in the next message, past
// the definitions (see typeSequence). So elements are checked against the
// bytes left in the stream, not in the message.
func (w *walker) count(per int) (int, error) {
	x, err := w.uint()
	if err != nil {
		return 0, err
	}
	left := len(w.buf) + len(w.stream)
	if x > uint64(left/per) {
		return 0, fmt.Errorf("gob: %d elements with %d bytes left", x, left)
	}
	return int(x), nil
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

// typeSequence reads type definitions up to the id of the value that
// follows them, as the decoder's decodeTypeSequence does: at the top
// level each definition is a message of its own; inside an interface they
// follow one another in the message, each followed by a count.
func (w *walker) typeSequence(inInterface bool) (int32, error) {
	for {
		if len(w.buf) == 0 {
			if err := w.message(); err != nil {
				return 0, err
			}
		}
		id, err := w.typeID()
		if err != nil {
			return 0, err
		}
		if id >= 0 {
			return id, nil
		}
		if err := w.define(-id); err != nil {
			return 0, err
		}
		if len(w.buf) > 0 {
			if !inInterface {
				return 0, errors.New("gob: extra data in buffer")
			}
			if _, err := w.uint(); err != nil {
				return 0, err
			}
		}
	}
}

// define reads the definition of type id: a wireType, which the decoder
// decodes as a struct of pointers to structs.
func (w *walker) define(id int32) error {
	if id < firstUserID || w.types[id] != nil {
		return errors.New("gob: duplicate type received")
	}
	if err := w.b.Charge(typeCost); err != nil {
		return err
	}
	wt := new(wireType)
	err := w.structFields(7, func(f int) error {
		if wt.array || wt.slice || wt.strct || wt.mapT || wt.ext != extNone || wt.text {
			return errors.New("gob: a type defined twice over")
		}
		switch f {
		case 0:
			wt.array = true
			return w.structFields(3, func(f int) error {
				var err error
				switch f {
				case 0:
					return w.commonType()
				case 1:
					wt.elem, err = w.typeID()
				case 2:
					wt.n, err = w.int()
				}
				return err
			})
		case 1:
			wt.slice = true
			return w.structFields(2, func(f int) error {
				if f == 0 {
					return w.commonType()
				}
				var err error
				wt.elem, err = w.typeID()
				return err
			})
		case 2:
			wt.strct = true
			return w.structFields(2, func(f int) error {
				if f == 0 {
					return w.commonType()
				}
				return w.fieldTypes(wt)
			})
		case 3:
			wt.mapT = true
			return w.structFields(3, func(f int) error {
				var err error
				switch f {
				case 0:
					return w.commonType()
				case 1:
					wt.key, err = w.typeID()
				case 2:
					wt.elem, err = w.typeID()
				}
				return err
			})
		}
		switch f {
		case 4:
			wt.ext = extGob
		case 5:
			wt.ext = extBinary
		case 6:
			wt.text = true
		}
		return w.structFields(1, func(int) error { return w.commonType() })
	})
	if err != nil {
		return err
	}
	w.types[id] = wt
	return nil
}

// commonType reads a CommonType: a name and an id.
func (w *walker) commonType() error {
	return w.structFields(2, func(f int) error {
		if f == 0 {
			n, err := w.length()
			if err != nil {
				return err
			}
			return w.b.Charge(alloc.Size(int64(n)))
		}
		_, err := w.typeID()
		return err
	})
}

// fieldTypes reads a struct type's []fieldType.
func (w *walker) fieldTypes(wt *wireType) error {
	n, err := w.count(1)
	if err != nil {
		return err
	}
	if err := w.b.Charge(alloc.Product(n, fieldCost)); err != nil {
		return err
	}
	wt.fields = make([]wireField, n)
	for i := range wt.fields {
		if len(w.buf) == 0 {
			return errTruncated
		}
		f := &wt.fields[i]
		err := w.structFields(2, func(k int) error {
			if k == 1 {
				var err error
				f.id, err = w.typeID()
				return err
			}
			start := w.buf
			n, err := w.length()
			if err != nil {
				return err
			}
			f.name = string(start[len(start)-len(w.buf)-n : len(start)-len(w.buf)])
			return w.b.Charge(alloc.Size(int64(n)))
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// structFields reads the fields of a struct with n fields on the wire, as
// the decoder's decodeStruct does: each is a delta from the last one's
// number, a zero delta or the end of the message ends the struct. It calls
// field with each field's number, to read its value.
func (w *walker) structFields(n int, field func(int) error) error {
	if err := w.enter(); err != nil {
		return err
	}
	defer func() { w.depth-- }()
	for num := -1; ; {
		next, ok, err := w.nextField(num, n)
		if err != nil || !ok {
			return err
		}
		if err := field(next); err != nil {
			return err
		}
		num = next
	}
}

// nextField reads the delta after field num of a struct with n fields on
// the wire, and returns the next field's number, or false at the struct's
// end.
func (w *walker) nextField(num, n int) (next int, ok bool, err error) {
	if len(w.buf) == 0 {
		return 0, false, nil
	}
	delta, err := w.uint()
	if err != nil || delta == 0 {
		return 0, false, err
	}
	if delta > uint64(n) || num >= n-int(delta) {
		return 0, false, errRange
	}
	return num + int(delta), true, nil
}

// topValue walks the value of wire type id that follows: a struct's
// fields, or, for any other type, a zero delta then the value.
func (w *walker) topValue(id int32, s *shape, m mode) error {
	if m == decode && s.kind == kindStruct {
		if err := w.b.Charge(s.ptr); err != nil {
			return err
		}
		return w.structValue(id, s, m)
	}
	if wt := w.types[id]; m != decode && wt != nil && wt.strct {
		return w.structValue(id, s, m)
	}
	if delta, err := w.uint(); err != nil || delta != 0 {
		return errors.Join(err, errors.New("gob: corrupted data: non-zero delta for singleton"))
	}
	return w.value(id, s, m)
}

// value walks a value of wire type id, to be decoded into a value of shape
// s, estimated, or ignored.
func (w *walker) value(id int32, s *shape, m mode) error {
	if m == decode {
		if err := w.b.Charge(s.ptr); err != nil {
			return err
		}
		if err := w.fits(id, s); err != nil {
			return err
		}
	}
	wt := w.types[id]
	switch {
	case m == decode && s.kind == kindExternal, wt != nil && (wt.ext != extNone || wt.text):
		n, err := w.length()
		if err != nil || m == ignore {
			return err
		}
		return w.b.Charge(opaqueCost + 2*alloc.Size(int64(n)))
	}
	switch id {
	case tBool, tInt, tUint, tFloat:
		_, err := w.uint()
		return err
	case tComplex:
		if _, err := w.uint(); err != nil {
			return err
		}
		_, err := w.uint()
		return err
	case tString, tBytes:
		n, err := w.length()
		if err != nil || m == ignore {
			return err
		}
		cost := alloc.Size(int64(n))
		if id == tBytes && n > 0 {
			cost += alloc.Size(24) // the slice header reflect boxes
		}
		return w.b.Charge(cost)
	case tInterface:
		return w.iface(m)
	}
	if wt == nil {
		return fmt.Errorf("gob: undefined type %d", id)
	}
	if err := w.enter(); err != nil {
		return err
	}
	defer func() { w.depth-- }()
	switch {
	case wt.array:
		return w.array(wt, s, m)
	case wt.mapT:
		return w.mapValue(wt, s, m)
	case wt.slice:
		return w.slice(wt, s, m)
	}
	return w.structValue(id, s, m)
}

// array walks an array of wire type wt.
func (w *walker) array(wt *wireType, s *shape, m mode) error {
	n, err := w.uint()
	if err != nil {
		return err
	}
	if n != uint64(wt.n) {
		return errors.New("gob: length mismatch in decodeArray")
	}
	var elem *shape
	if m == decode {
		elem = s.elem
	}
	return w.elements(int64(n), wt.elem, elem, m)
}

// elements walks n elements of wire type id; each is at least a byte.
func (w *walker) elements(n int64, id int32, s *shape, m mode) error {
	for range n {
		if len(w.buf) == 0 {
			return errTruncated
		}
		if err := w.element(id, s, m); err != nil {
			return err
		}
	}
	return nil
}

// element walks an element of a slice, array or map, or a struct's field:
// estimated, it is charged the struct a pointer may lead to.
func (w *walker) element(id int32, s *shape, m mode) error {
	if m == estimate {
		if wt := w.types[id]; wt != nil && wt.strct {
			if err := w.b.Charge(alloc.Size(w.estimate(id))); err != nil {
				return err
			}
		}
	}
	return w.value(id, s, m)
}

// slice walks a slice of wire type wt.
func (w *walker) slice(wt *wireType, s *shape, m mode) error {
	n, err := w.count(1)
	if err != nil {
		return err
	}
	var elem *shape
	switch m {
	case decode:
		elem = s.elem
		err = w.chargeSlice(n, s.size)
	case estimate:
		err = w.chargeSlice(n, w.estimate(wt.elem))
	}
	if err != nil {
		return err
	}
	return w.elements(int64(n), wt.elem, elem, m)
}

// chargeSlice charges a slice of n elements of size bytes as the decoder
// makes it: at most ten megabytes at first, then growing as append does.
func (w *walker) chargeSlice(n int, size int64) error {
	if n == 0 {
		return nil
	}
	first := n
	if size > 0 && int64(n)*size > 10<<20 {
		first = max(int((10<<20)/size), 1)
	}
	if err := w.b.Charge(alloc.Size(24) + alloc.Size(alloc.Product(first, size))); err != nil {
		return err
	}
	for c := first; c < n; {
		c = alloc.NextCap(c+1, c)
		if err := w.b.Charge(alloc.Size(alloc.Product(c, size))); err != nil {
			return err
		}
	}
	return nil
}

// mapValue walks a map of wire type wt.
func (w *walker) mapValue(wt *wireType, s *shape, m mode) error {
	// A key and a value are a byte at least each: the decoder makes the
	// map for the count before it reads them, and loops on
	// without reading when the message ends.
	n, err := w.count(2)
	if err != nil {
		return err
	}
	var key, elem *shape
	switch m {
	case decode:
		key, elem = s.key, s.elem
		err = w.b.Charge(s.keyValue + alloc.Product(n, s.size))
	case estimate:
		k, v := w.estimate(wt.key), w.estimate(wt.elem)
		err = w.b.Charge(alloc.MapHeader + alloc.Size(k) + alloc.Size(v) + alloc.Product(n, alloc.HintedMapEntry(k, v)))
	}
	if err != nil {
		return err
	}
	for range n {
		if err := w.element(wt.key, key, m); err != nil {
			return err
		}
		if err := w.element(wt.elem, elem, m); err != nil {
			return err
		}
	}
	return nil
}

// structValue walks a struct of wire type id. It reads the fields itself,
// not through structFields, so as not to allocate a closure a struct.
func (w *walker) structValue(id int32, s *shape, m mode) error {
	wt := w.types[id]
	if wt == nil || !wt.strct {
		return fmt.Errorf("gob: type %d is not a struct", id)
	}
	if err := w.enter(); err != nil {
		return err
	}
	defer func() { w.depth-- }()
	for num := -1; ; {
		f, ok, err := w.nextField(num, len(wt.fields))
		if err != nil || !ok {
			return err
		}
		num = f
		if err := w.field(wt.fields[f], s, m); err != nil {
			return err
		}
	}
}

// field walks the value of a struct's field wf.
func (w *walker) field(wf wireField, s *shape, m mode) error {
	if wf.name == "" {
		return errors.New("gob: empty name for a struct field")
	}
	if m != decode {
		return w.element(wf.id, nil, m)
	}
	fd, ok := s.fields[wf.name]
	if !ok {
		return w.value(wf.id, nil, ignore)
	}
	if fd.nilEmbedded {
		return fmt.Errorf("gob: field %s of %s is promoted through a nil pointer", wf.name, s.typ)
	}
	return w.value(wf.id, fd.shape, decode)
}

// iface walks an interface value: the name of its concrete type, its type
// definitions, then its value with its length.
func (w *walker) iface(m mode) error {
	if m == ignore {
		if _, err := w.length(); err != nil {
			return err
		}
		if _, err := w.typeSequence(true); err != nil {
			return err
		}
		_, err := w.length()
		return err
	}
	n, err := w.length()
	if err != nil || n == 0 {
		return err // a nil interface
	}
	if n > 1024 {
		return errors.New("gob: name of an interface's type too long")
	}
	if err := w.enter(); err != nil {
		return err
	}
	defer func() { w.depth-- }()
	id, err := w.typeSequence(true)
	if err != nil {
		return err
	}
	if _, err := w.uint(); err != nil {
		return err
	}
	// The concrete value, allocated, then copied into the interface.
	if err := w.b.Charge(2 * alloc.Size(w.estimate(id))); err != nil {
		return err
	}
	return w.topValue(id, nil, estimate)
}

// fits checks that a value of wire type id may be decoded into shape s, as
// the decoder's compatibleType does, for the kinds the walk does not
// check on its way.
func (w *walker) fits(id int32, s *shape) error {
	wt := w.types[id]
	ok := false
	switch s.kind {
	case kindExternal:
		ok = wt != nil && wt.ext == s.ext
	case kindBool:
		ok = id == tBool
	case kindInt:
		ok = id == tInt
	case kindUint:
		ok = id == tUint
	case kindFloat:
		ok = id == tFloat
	case kindComplex:
		ok = id == tComplex
	case kindString:
		ok = id == tString
	case kindBytes:
		ok = id == tBytes
	case kindIface:
		ok = id == tInterface
	case kindArray:
		ok = wt != nil && wt.array && wt.n == int64(s.n)
	case kindSlice:
		ok = wt != nil && wt.slice
	case kindMap:
		ok = wt != nil && wt.mapT
	case kindStruct:
		ok = wt != nil && wt.strct
	}
	if wt != nil && s.kind != kindExternal && (wt.ext != extNone || wt.text) {
		ok = false
	}
	if !ok {
		return fmt.Errorf("gob: type %d does not fit %s", id, s.typ)
	}
	return nil
}

// estimate returns an upper estimate of the Go size of a value of wire type
// id, for an interface's concrete value, whose Go type the guard does not
// know.
func (w *walker) estimate(id int32) int64 {
	switch id {
	case tBool, tInt, tUint, tFloat:
		return 8
	case tComplex, tString, tInterface:
		return 16
	case tBytes:
		return 24
	}
	wt := w.types[id]
	switch {
	case wt == nil:
		return 0
	case wt.est > 0:
		return wt.est
	case wt.estimating:
		return 8 // a type that contains itself, through a pointer
	}
	wt.estimating = true
	var est int64
	switch {
	case wt.ext != extNone || wt.text:
		est = estimatedExternal
	case wt.slice:
		est = 24
	case wt.mapT:
		est = 8
	case wt.array:
		est = alloc.Product(int(min(wt.n, math.MaxInt32)), w.estimate(wt.elem))
	case wt.strct:
		for _, f := range wt.fields {
			est = min(est+w.estimate(f.id), math.MaxInt64/4)
		}
	}
	wt.estimating = false
	wt.est = max(est, 1)
	return wt.est
}
