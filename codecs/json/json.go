// Package json is memogen's JSON codec: entries a person can read. Importing
// it registers the codec "json".
//
// It encodes with encoding/json, which keeps exported fields under their
// JSON names and calls a type's MarshalJSON and UnmarshalJSON, or else its
// MarshalText and UnmarshalText. The result itself is made addressable
// first, so that such methods declared on its pointer type are called for
// it as for the values it holds in struct fields and slices. What JSON
// cannot carry, memogen refuses at generation time: unexported fields,
// fields tagged json:"-", fields hidden by another of the same JSON name,
// interfaces, complex numbers. Other losses depend on the value: a time
// keeps its instant and offset but not its location (a time in UTC comes
// back in UTC; one in Tokyo in time.Local if the reading process's local
// zone is then +09:00, else in a fixed zone +09:00 without a name), and a
// string that is not valid UTF-8 comes back with U+FFFD in place of the
// invalid bytes.
package json

import (
	"encoding/json"
	"reflect"

	"github.com/memogen/memogen/runtime/store"
)

// Name is the codec's name in a directive's codec=.
const Name = "json"

// Codec encodes results with encoding/json. Results must be JSON
// round-trippable: exported fields, no cycles, and no interface-typed values
// that must come back as their original dynamic type.
type Codec struct{}

var _ store.LimitedCodec = Codec{}

// Marshal encodes v as JSON.
func (Codec) Marshal(v any) ([]byte, error) {
	if v == nil {
		return json.Marshal(nil)
	}
	// A pointer to a copy is encoded as the value is, with the copy
	// addressable.
	p := reflect.New(reflect.TypeOf(v))
	p.Elem().Set(reflect.ValueOf(v))
	return json.Marshal(p.Interface())
}

// Unmarshal decodes JSON data into v, a pointer, within
// store.DefaultLimits.
func (c Codec) Unmarshal(data []byte, v any) error {
	return c.UnmarshalLimited(data, v, store.DefaultLimits())
}

// UnmarshalLimited decodes JSON data into v, a pointer, after a guard has
// read the data along v's type and found that decoding it allocates at
// most lim.MaxAlloc: a corrupt or hostile entry is an error wrapping
// store.ErrTooLarge, not a huge allocation. See guard.go for what the guard
// charges.
func (Codec) UnmarshalLimited(data []byte, v any, lim store.Limits) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return json.Unmarshal(data, v) // which says why it cannot
	}
	if _, err := guard(data, topShape(rv.Type()), lim.MaxAlloc); err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

// topShape returns the shape of what the decoder decodes through pointer
// type t: the decoder looks for methods on t itself, which has those of
// the struct types its element embeds even when it has no name.
func topShape(t reflect.Type) *shape {
	switch k, _ := decodesItself(t); k {
	case kindOpaque:
		return &opaqueShape
	case kindText:
		return &textShape
	}
	return shapeOf(t.Elem())
}

var (
	opaqueShape = shape{kind: kindOpaque}
	textShape   = shape{kind: kindText}
)

func init() { store.RegisterCodec(Name, Codec{}) }
