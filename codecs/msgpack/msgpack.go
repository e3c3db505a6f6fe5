// Package msgpack is memogen's MessagePack codec, the default of byte-level
// backends: compact and fast. Importing it registers the codec "msgpack".
//
// It encodes with github.com/vmihailenco/msgpack/v5, with two changes that
// make a result come back as the value stored:
//
//   - A time.Time keeps its zone: its instant (without the monotonic
//     reading), its location and its zone's abbreviation and offset. A time
//     in UTC comes back in UTC; in a location time.LoadLocation knows
//     ("Asia/Tokyo"), in that location when the reading process knows it
//     with the same zone at that instant; in time.Local, in time.Local when
//     the reading process's local zone has the same abbreviation and offset
//     at that instant; otherwise, and for a time.FixedZone, in a fixed zone
//     of the same abbreviation and offset: always the same instant and wall
//     clock. A time in a location that is none of these (one made by
//     time.LoadLocationFromTZData) is not stored: encoding it fails.
//   - The result itself is addressable, so that marshaling methods declared
//     on its pointer type are called for it as for the values it holds.
//
// vmihailenco/msgpack chooses a type's encoder from a process-wide table,
// with no per-encoder override, so importing this package registers
// time.Time's extension (type -1) in that table. Encoders and decoders
// other than this codec's still write and read MessagePack's standard
// timestamp, byte for byte as before, reading it in the local zone; they
// also read the codec's longer form, with its zone. Encoding a time through
// them allocates a small buffer it did not before. The library writes the
// values of a map[string]any itself, in the standard format, so a time
// held there does not keep its zone: the codec does not read such an
// entry back (memogen refuses interface-typed results for msgpack anyway). A program that registers its
// own extension for time.Time replaces this one, and its times then lose
// their zone in entries again: the codec reads a time without its zone as
// a corrupt entry, never as a time in the wrong zone.
//
// Results are encoded field by field, except for types that encode
// themselves for MessagePack: with EncodeMsgpack and DecodeMsgpack,
// MarshalMsgpack and UnmarshalMsgpack, MarshalBinary and UnmarshalBinary, or
// MarshalText and UnmarshalText, in that order of preference. MarshalJSON
// is not called. Unexported fields and fields tagged msgpack:"-" are not
// stored; memogen refuses such results at generation time.
package msgpack

import (
	"bytes"
	"fmt"
	"reflect"
	"sync"
	"time"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/memogen/memogen/runtime/store"
)

// Name is the codec's name in a directive's codec=.
const Name = "msgpack"

// Codec encodes results with github.com/vmihailenco/msgpack/v5.
type Codec struct{}

var (
	_ store.LimitedCodec = Codec{}
	_ store.BoundedCodec = Codec{}
)

// Marshal encodes v as MessagePack.
func (c Codec) Marshal(v any) ([]byte, error) { return c.MarshalWithin(v, -1) }

// MarshalWithin encodes v as MessagePack, stopping with an error wrapping
// store.ErrTooLarge as soon as the encoding passes max bytes (when max is
// not negative).
func (Codec) MarshalWithin(v any, max int) ([]byte, error) {
	e := encoders.Get().(*encoder)
	e.w.bytes = e.w.bytes[:0]
	e.w.max = max
	e.enc.Reset(&e.w)
	var err error
	if v == nil {
		err = e.enc.EncodeNil()
	} else {
		err = e.enc.EncodeValue(addressable(v))
	}
	var out []byte
	if err == nil {
		out = bytes.Clone(e.w.bytes)
	}
	e.enc.Reset(nil)
	if cap(e.w.bytes) <= maxPooledBytes {
		encoders.Put(e)
	}
	return out, err
}

// addressable returns a copy of v that can be addressed, as the values it
// holds in struct fields and slices can, so that methods on its pointer
// type apply to it too.
func addressable(v any) reflect.Value {
	rv := reflect.ValueOf(v)
	p := reflect.New(rv.Type()).Elem()
	p.Set(rv)
	return p
}

// Unmarshal decodes MessagePack data into v, a pointer, within
// store.DefaultLimits.
func (c Codec) Unmarshal(data []byte, v any) error {
	return c.UnmarshalLimited(data, v, store.DefaultLimits())
}

// UnmarshalLimited decodes MessagePack data into v, a pointer, after a
// guard has walked the data along v's type and found that decoding it
// allocates at most lim.MaxAlloc: a corrupt or hostile entry is an error
// wrapping store.ErrTooLarge, not a huge allocation. See guard.go for what
// the guard charges.
func (Codec) UnmarshalLimited(data []byte, v any, lim store.Limits) error {
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer {
		return fmt.Errorf("msgpack: cannot decode into %T: want a pointer", v)
	}
	d := decoders.Get().(*decoder)
	d.r.reset(data)
	if _, err := guard(data, shapeOf(t.Elem()), lim.MaxAlloc, &d.r.zones); err != nil {
		d.r.reset(nil)
		decoders.Put(d)
		return err
	}
	d.dec.Reset(&d.r)
	var err error
	if t, ok := v.(*time.Time); ok {
		// Decode reads a *time.Time itself, without the extension.
		err = d.dec.DecodeValue(reflect.ValueOf(t).Elem())
	} else {
		err = d.dec.Decode(v)
	}
	d.dec.Reset(nil)
	d.r.reset(nil)
	decoders.Put(d)
	return err
}

// encoder is a reusable encoder with the buffer it writes to.
type encoder struct {
	w   entryWriter
	enc *msgpack.Encoder
}

// maxPooledBytes bounds the buffers kept for reuse, so that one huge result
// does not stay in memory.
const maxPooledBytes = 64 << 10

var encoders = sync.Pool{New: func() any {
	e := new(encoder)
	e.enc = msgpack.NewEncoder(&e.w)
	return e
}}

// decoder is a reusable decoder with the reader it reads from, so that a
// decode allocates only what it decodes.
type decoder struct {
	r   entryReader
	dec *msgpack.Decoder
}

var decoders = sync.Pool{New: func() any { return &decoder{dec: msgpack.NewDecoder(nil)} }}

func init() { store.RegisterCodec(Name, Codec{}) }
