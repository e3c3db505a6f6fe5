// Package raw is memogen's codec for results of string or []byte kind,
// stored as they are: string, []byte, and named types of them such as
// type ID string. Importing it registers the codec "raw".
package raw

import (
	"fmt"
	"reflect"

	"github.com/memogen/memogen/runtime/store"
)

// Name is the codec's name in a directive's codec=.
const Name = "raw"

// Codec stores results of string or []byte kind without encoding them.
type Codec struct{}

var _ store.Codec = Codec{}

// Marshal returns v's bytes; v must be of string or []byte kind.
func (Codec) Marshal(v any) ([]byte, error) {
	switch v := v.(type) {
	case []byte:
		return v, nil
	case string:
		return []byte(v), nil
	}
	rv := reflect.ValueOf(v)
	switch {
	case rv.Kind() == reflect.String:
		return []byte(rv.String()), nil
	case rv.IsValid() && isBytes(rv.Type()):
		return rv.Bytes(), nil
	}
	return nil, fmt.Errorf("raw: cannot encode %T: the raw codec takes results of string or []byte kind", v)
}

// Unmarshal copies data into v, a pointer to a value of string or []byte
// kind.
func (Codec) Unmarshal(data []byte, v any) error {
	switch v := v.(type) {
	case *[]byte:
		*v = append([]byte(nil), data...)
		return nil
	case *string:
		*v = string(data)
		return nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer && !rv.IsNil() {
		switch elem := rv.Elem(); {
		case elem.Kind() == reflect.String:
			elem.SetString(string(data))
			return nil
		case isBytes(elem.Type()):
			elem.SetBytes(append([]byte(nil), data...))
			return nil
		}
	}
	return fmt.Errorf("raw: cannot decode into %T: the raw codec takes results of string or []byte kind", v)
}

// isBytes reports whether t is of []byte kind.
func isBytes(t reflect.Type) bool {
	return t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8
}

func init() { store.RegisterCodec(Name, Codec{}) }
