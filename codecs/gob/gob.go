// Package gob is memogen's encoding/gob codec, for Go-to-Go entries of any
// gob-encodable type. Importing it registers the codec "gob".
//
// encoding/gob keeps exported fields, an embedded struct as a field of its
// own, and the dynamic type of an interface whose concrete type is
// registered with gob.Register, in a field or as the result itself (any,
// or an interface of the user's own): the runtime hands Marshal a pointer
// to a result of interface type, so that gob writes the dynamic type's
// name, and a nil one comes back nil. It calls a type's GobEncode and GobDecode,
// or else its MarshalBinary and UnmarshalBinary (never MarshalText or
// MarshalJSON). The result itself is made addressable first, so that such
// methods declared on its pointer type are called for it as for the values
// it holds in struct fields and slices. memogen refuses at generation time
// what gob drops: unexported fields, funcs and channels. Other losses
// depend on the value: gob sends no zero values, so an empty slice or map
// comes back nil and a pointer to a zero value may come back nil; a time
// keeps its instant and offset but not its location's name.
package gob

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"reflect"
	"sync"

	"github.com/memogen/memogen/runtime/store"
)

// Name is the codec's name in a directive's codec=.
const Name = "gob"

// Codec encodes results with encoding/gob. Interface-typed values need
// their concrete types registered with gob.Register.
type Codec struct{}

var _ store.LimitedCodec = Codec{}

// Marshal encodes v with a fresh gob encoder, so that each entry is
// self-describing.
func (Codec) Marshal(v any) ([]byte, error) {
	// Encoding may register types at any time: those of values met in
	// interface fields for the first time. Marshal runs on misses only, so
	// taking registry exclusively costs little.
	registry.Lock()
	defer registry.Unlock()
	var buf bytes.Buffer
	if v != nil && reflect.TypeOf(v).Kind() != reflect.Pointer {
		// gob flattens pointers: a pointer to a copy is encoded as the
		// value is, with the copy addressable. A pointer is left as it
		// is: its value is addressable already, gob panics on a pointer
		// to a pointer whose element encodes itself (*big.Int), and a
		// pointer to an interface is how gob is told to write one.
		p := reflect.New(reflect.TypeOf(v))
		p.Elem().Set(reflect.ValueOf(v))
		v = p.Interface()
	}
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Unmarshal decodes gob data into v, a pointer, within
// store.DefaultLimits.
func (c Codec) Unmarshal(data []byte, v any) error {
	return c.UnmarshalLimited(data, v, store.DefaultLimits())
}

// UnmarshalLimited decodes gob data into v, a pointer, after a guard has
// read the stream along v's type and found that decoding it allocates at
// most lim.MaxAlloc: a corrupt or hostile entry is an error wrapping
// store.ErrTooLarge, not a huge allocation. See guard.go for what the guard
// charges.
func (Codec) UnmarshalLimited(data []byte, v any, lim store.Limits) error {
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer {
		return fmt.Errorf("gob: cannot decode into %T: want a pointer", v)
	}
	if _, err := guard(data, shapeOf(t.Elem()), lim.MaxAlloc); err != nil {
		return err
	}
	if _, ok := decoded.Load(t); ok {
		registry.RLock()
		defer registry.RUnlock()
		return gob.NewDecoder(bytes.NewReader(data)).Decode(v)
	}
	registry.Lock()
	defer registry.Unlock()
	err := gob.NewDecoder(bytes.NewReader(data)).Decode(v)
	if err == nil {
		decoded.Store(t, struct{}{})
	}
	return err
}

// encoding/gob registers Go types in a process-wide table as it meets them,
// and its decoder reads that table without a lock when it reports a type
// mismatch (golang/go#23328), which a corrupt entry causes. So every call
// that may register takes registry exclusively: every Marshal, and the
// first successful Unmarshal into each type; later decodes into a type
// share it.
var (
	registry sync.RWMutex
	decoded  sync.Map // reflect.Type → struct{}: decoded into successfully
)

func init() { store.RegisterCodec(Name, Codec{}) }
