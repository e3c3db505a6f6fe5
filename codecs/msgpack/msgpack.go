// Package msgpack is memogen's MessagePack codec, the default of byte-level
// backends: compact and fast. Importing it registers the codec "msgpack".
package msgpack

import (
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
	return msgpack.Unmarshal(data, v)
}

func init() { memo.RegisterCodec(Name, Codec{}) }
