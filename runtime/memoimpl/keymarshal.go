package memoimpl

import (
	"sync"

	memo "github.com/memogen/memogen/runtime"
)

// KeyMarshaled keys a value by a marshaling method that returns its bytes
// (GobEncode, MarshalText): it writes typ, the value's type identity, then
// the bytes, length-prefixed. marshal's error fails the key. Writing the
// type first keeps values of two types whose methods write the same bytes
// (a big.Int and a big.Rat of one number) in two keys.
func KeyMarshaled(w *memo.KeyWriter, typ string, marshal func() ([]byte, error)) {
	w.Text(typ)
	b, err := marshal()
	if err != nil {
		w.Fail(err)
		return
	}
	w.Blob(b)
}

// KeyAppended is [KeyMarshaled] for an appending method (AppendText,
// AppendBinary), which writes into a reused buffer.
func KeyAppended(w *memo.KeyWriter, typ string, appendTo func([]byte) ([]byte, error)) {
	w.Text(typ)
	buf := scratch.Get().(*[]byte)
	b, err := appendTo((*buf)[:0])
	if err != nil {
		w.Fail(err)
	} else {
		w.Blob(b)
	}
	*buf = b[:0]
	scratch.Put(buf)
}

// scratch holds buffers for KeyAppended.
var scratch = sync.Pool{New: func() any { return new([]byte) }}
