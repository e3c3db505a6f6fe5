// Package gob is memogen's encoding/gob codec, for Go-to-Go entries of any
// gob-encodable type. Importing it registers the codec "gob".
package gob

import (
	"bytes"
	"encoding/gob"
	"reflect"
	"sync"

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
	defer guard(v)()
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Unmarshal decodes gob data into v, a pointer.
func (Codec) Unmarshal(data []byte, v any) error {
	defer guard(v)()
	return gob.NewDecoder(bytes.NewReader(data)).Decode(v)
}

// encoding/gob registers a Go type in a process-wide table the first time
// it encodes or decodes one, and its decoder reads that table without a
// lock when it reports a type mismatch (golang/go#23328), which a corrupt
// entry causes. So a type's first use takes registry exclusively, and every
// later use shares it: registrations never overlap another gob call.
var (
	registry sync.RWMutex
	seen     sync.Map // reflect.Type → struct{}, types gob has registered
)

// guard locks registry for a gob call on v and returns the unlock.
func guard(v any) (unlock func()) {
	t := reflect.TypeOf(v)
	if _, ok := seen.Load(t); ok {
		registry.RLock()
		return registry.RUnlock
	}
	registry.Lock()
	return func() {
		seen.Store(t, struct{}{})
		registry.Unlock()
	}
}

func init() { memo.RegisterCodec(Name, Codec{}) }
