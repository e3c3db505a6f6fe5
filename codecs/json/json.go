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

var _ store.Codec = Codec{}

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

// Unmarshal decodes JSON data into v, a pointer.
func (Codec) Unmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }

func init() { store.RegisterCodec(Name, Codec{}) }
