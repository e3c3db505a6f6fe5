// Package json is memogen's JSON codec: entries a person can read. Importing
// it registers the codec "json".
package json

import (
	"encoding/json"

	memo "github.com/memogen/memogen/runtime"
)

// Name is the codec's name in a directive's codec=.
const Name = "json"

// Codec encodes results with encoding/json. Results must be JSON
// round-trippable: exported fields, no cycles, and no interface-typed values
// that must come back as their original dynamic type.
type Codec struct{}

var _ memo.Codec = Codec{}

// Marshal encodes v as JSON.
func (Codec) Marshal(v any) ([]byte, error) { return json.Marshal(v) }

// Unmarshal decodes JSON data into v, a pointer.
func (Codec) Unmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }

func init() { memo.RegisterCodec(Name, Codec{}) }
