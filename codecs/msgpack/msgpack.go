// Package msgpack is memogen's MessagePack codec, the default of byte-level
// backends: compact and fast. Importing it registers the codec "msgpack".
package msgpack

import (
	"bytes"
	"fmt"
	"reflect"
	"sync"

	"github.com/vmihailenco/msgpack/v5"

	memo "github.com/memogen/memogen/runtime"
)

// Name is the codec's name in a directive's codec=.
const Name = "msgpack"

// Codec encodes results with github.com/vmihailenco/msgpack/v5.
type Codec struct{}

var _ memo.LimitedCodec = Codec{}

// Marshal encodes v as MessagePack.
func (Codec) Marshal(v any) ([]byte, error) { return msgpack.Marshal(v) }

// Unmarshal decodes MessagePack data into v, a pointer, within
// memo.DefaultLimits.
func (c Codec) Unmarshal(data []byte, v any) error {
	return c.UnmarshalLimited(data, v, memo.DefaultLimits())
}

// UnmarshalLimited decodes MessagePack data into v, a pointer, after a
// guard has walked the data along v's type and found that decoding it
// allocates at most lim.MaxAlloc: a corrupt or hostile entry is an error
// wrapping memo.ErrTooLarge, not a huge allocation. See guard.go for what
// the guard charges.
func (Codec) UnmarshalLimited(data []byte, v any, lim memo.Limits) error {
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer {
		return fmt.Errorf("msgpack: cannot decode into %T: want a pointer", v)
	}
	if _, err := guard(data, shapeOf(t.Elem()), lim.MaxAlloc); err != nil {
		return err
	}
	d := decoders.Get().(*decoder)
	d.r.Reset(data)
	d.dec.Reset(&d.r)
	err := d.dec.Decode(v)
	d.dec.Reset(nil)
	d.r.Reset(nil)
	decoders.Put(d)
	return err
}

// decoder is a reusable decoder with the reader it reads from, so that a
// decode allocates only what it decodes.
type decoder struct {
	r   bytes.Reader
	dec *msgpack.Decoder
}

var decoders = sync.Pool{New: func() any { return &decoder{dec: msgpack.NewDecoder(nil)} }}

func init() { memo.RegisterCodec(Name, Codec{}) }
