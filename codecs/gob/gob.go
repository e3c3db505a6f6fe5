// Package gob is memogen's encoding/gob codec, for Go-to-Go entries of any
// gob-encodable type. Importing it registers the codec "gob".
package gob

import (
	"bytes"
	"encoding/gob"

	memo "github.com/memogen/memogen/runtime"
)

// Name is the codec's name in a directive's codec=.
const Name = "gob"

// Codec encodes results with encoding/gob. Interface-typed values need
// their concrete types registered with gob.Register.
type Codec struct{}

var _ memo.Codec = Codec{}

// Marshal encodes v with a fresh gob encoder, so that each entry is
// self-describing.
func (Codec) Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Unmarshal decodes gob data into v, a pointer.
func (Codec) Unmarshal(data []byte, v any) error {
	return gob.NewDecoder(bytes.NewReader(data)).Decode(v)
}

func init() { memo.RegisterCodec(Name, Codec{}) }
