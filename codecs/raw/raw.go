// Package raw is memogen's codec for []byte and string results, stored as
// they are. Importing it registers the codec "raw".
package raw

import (
	"fmt"

	"github.com/memogen/memogen/runtime/store"
)

// Name is the codec's name in a directive's codec=.
const Name = "raw"

// Codec stores []byte and string results without encoding them.
type Codec struct{}

var _ store.Codec = Codec{}

// Marshal returns v's bytes; v must be a []byte or a string.
func (Codec) Marshal(v any) ([]byte, error) {
	switch v := v.(type) {
	case []byte:
		return v, nil
	case string:
		return []byte(v), nil
	}
	return nil, fmt.Errorf("raw: cannot encode %T: the raw codec takes []byte and string results", v)
}

// Unmarshal copies data into v, a *[]byte or a *string.
func (Codec) Unmarshal(data []byte, v any) error {
	switch v := v.(type) {
	case *[]byte:
		*v = append([]byte(nil), data...)
		return nil
	case *string:
		*v = string(data)
		return nil
	}
	return fmt.Errorf("raw: cannot decode into %T: the raw codec takes []byte and string results", v)
}

func init() { store.RegisterCodec(Name, Codec{}) }
