package msgpack

import (
	"errors"
	"fmt"
	"io"

	"github.com/memogen/memogen/runtime/store"
)

// entryWriter is what this codec's encoders write to; finding one behind
// an encoder tells the time extension that the encoder is this codec's.
type entryWriter struct {
	bytes   []byte
	max     int    // the most bytes to write, or -1 for no bound
	scratch []byte // the payload of the time being written
}

func (w *entryWriter) Write(p []byte) (int, error) {
	if w.max >= 0 && len(w.bytes)+len(p) > w.max {
		return 0, w.overflow(len(p))
	}
	w.bytes = append(w.bytes, p...)
	return len(p), nil
}

func (w *entryWriter) WriteByte(c byte) error {
	if w.max >= 0 && len(w.bytes)+1 > w.max {
		return w.overflow(1)
	}
	w.bytes = append(w.bytes, c)
	return nil
}

// overflow is the error of a write of n bytes past the bound.
func (w *entryWriter) overflow(n int) error {
	return fmt.Errorf("%w: encoded result of more than %d bytes, over the limit of %d", store.ErrTooLarge, len(w.bytes)+n-1, w.max)
}

// entryReader is what this codec's decoders read from: an entry's bytes,
// which the time extension reads in place.
type entryReader struct {
	data  []byte
	pos   int
	zones zoneMemo // the locations the guard loaded for this decode
}

func (r *entryReader) reset(data []byte) {
	r.data, r.pos = data, 0
	r.zones.reset()
}

func (r *entryReader) Read(p []byte) (int, error) {
	if r.pos >= len(r.data) {
		if len(p) == 0 {
			return 0, nil
		}
		return 0, io.EOF
	}
	n := copy(p, r.data[r.pos:])
	r.pos += n
	return n, nil
}

func (r *entryReader) ReadByte() (byte, error) {
	if r.pos >= len(r.data) {
		return 0, io.EOF
	}
	c := r.data[r.pos]
	r.pos++
	return c, nil
}

func (r *entryReader) UnreadByte() error {
	if r.pos == 0 {
		return errors.New("msgpack: UnreadByte at the start of an entry")
	}
	r.pos--
	return nil
}

// next returns the next n bytes in place.
func (r *entryReader) next(n int) ([]byte, error) {
	if n < 0 || n > len(r.data)-r.pos {
		return nil, io.ErrUnexpectedEOF
	}
	b := r.data[r.pos : r.pos+n : r.pos+n]
	r.pos += n
	return b, nil
}
