// Package msgpack is memogen's MessagePack codec, the default of byte-level
// backends: compact and fast. Importing it registers the codec "msgpack".
package msgpack

import (
	"bytes"
	"sync"

	"github.com/vmihailenco/msgpack/v5"

	memo "github.com/memogen/memogen/runtime"
)

// Name is the codec's name in a directive's codec=.
const Name = "msgpack"

// Codec encodes results with github.com/vmihailenco/msgpack/v5.
type Codec struct{}

var _ memo.Codec = Codec{}

// Marshal encodes v as MessagePack.
func (Codec) Marshal(v any) ([]byte, error) { return msgpack.Marshal(v) }

// Unmarshal decodes MessagePack data into v, a pointer. It first checks
// that every length the data declares fits in the data, so that a corrupt
// entry is an error rather than a huge allocation.
func (Codec) Unmarshal(data []byte, v any) error {
	if err := checkLengths(data); err != nil {
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
