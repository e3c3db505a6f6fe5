package parquet

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/memogen/memogen/runtime/store"
)

// This file bounds what decoding Thrift metadata costs. parquet-go's Thrift
// decoder makes a list's slice at the length the list claims, up to 2³¹
// elements, before it reads any of them, and recurses into nested values
// as deep as they go; walkThrift reads a Thrift compact struct first and
// refuses one whose lists claim more elements than their bytes can hold,
// whose lists would take more than a budget at maxElemSize bytes per
// element, or which nests deeper than maxDepth.

// maxElemSize bounds the size of an element of a list in Parquet's
// metadata (format.ColumnChunk, format.SchemaElement, …); a test checks it.
const maxElemSize = 1024

// maxDepth bounds how deep metadata nests; Parquet's own nests less than 10.
const maxDepth = 32

var (
	errThrift     = errors.New("malformed Thrift metadata")
	errThriftSize = fmt.Errorf("%w: Thrift metadata whose lists would take more than the limit", store.ErrTooLarge)
)

// thriftWalker reads a Thrift compact encoding.
type thriftWalker struct {
	data   []byte
	off    int
	budget int64 // bytes the lists may still take once decoded
}

// walkThrift returns the length of the Thrift compact struct at the start
// of data, or an error when it is malformed or its lists claim more than
// budget bytes.
func walkThrift(data []byte, budget int64) (int, error) {
	w := &thriftWalker{data: data, budget: budget}
	if err := w.value(12, 0); err != nil {
		return 0, err
	}
	return w.off, nil
}

func (w *thriftWalker) byte() (byte, error) {
	if w.off >= len(w.data) {
		return 0, errThrift
	}
	b := w.data[w.off]
	w.off++
	return b, nil
}

func (w *thriftWalker) uvarint() (uint64, error) {
	x, n := binary.Uvarint(w.data[w.off:])
	if n <= 0 {
		return 0, errThrift
	}
	w.off += n
	return x, nil
}

func (w *thriftWalker) skip(n uint64) error {
	if n > uint64(len(w.data)-w.off) {
		return errThrift
	}
	w.off += int(n)
	return nil
}

// list checks a list of n elements of type t.
func (w *thriftWalker) list(n uint64, t byte, depth int) error {
	// Every element takes at least one byte, but for booleans in a map.
	if n > uint64(len(w.data)-w.off) {
		return errThrift
	}
	w.budget -= int64(n) * maxElemSize
	if w.budget < 0 {
		return errThriftSize
	}
	for range n {
		if err := w.value(t, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// value checks a value of compact type t.
func (w *thriftWalker) value(t byte, depth int) error {
	if depth > maxDepth {
		return errThrift
	}
	switch t {
	case 1, 2: // a boolean: in a list, one byte; as a field, in its header
		if depth > 0 {
			return w.skip(1)
		}
		return nil
	case 3: // i8
		return w.skip(1)
	case 4, 5, 6: // i16, i32, i64, as zigzag varints
		_, err := w.uvarint()
		return err
	case 7: // double
		return w.skip(8)
	case 8: // binary
		n, err := w.uvarint()
		if err != nil {
			return err
		}
		return w.skip(n)
	case 9, 10: // list, set
		h, err := w.byte()
		if err != nil {
			return err
		}
		n := uint64(h >> 4)
		if n == 15 {
			if n, err = w.uvarint(); err != nil {
				return err
			}
		}
		return w.list(n, h&0xf, depth)
	case 11: // map
		n, err := w.uvarint()
		if err != nil || n == 0 {
			return err
		}
		kv, err := w.byte()
		if err != nil {
			return err
		}
		if n > uint64(len(w.data)-w.off)/2 {
			return errThrift
		}
		w.budget -= 2 * int64(n) * maxElemSize
		if w.budget < 0 {
			return errThriftSize
		}
		for range n {
			if err := w.value(kv>>4, depth+1); err != nil {
				return err
			}
			if err := w.value(kv&0xf, depth+1); err != nil {
				return err
			}
		}
		return nil
	case 12: // struct: fields up to a stop byte
		for {
			h, err := w.byte()
			if err != nil {
				return err
			}
			if h == 0 {
				return nil
			}
			if h>>4 == 0 { // the field's id follows, not a delta
				if _, err := w.uvarint(); err != nil {
					return err
				}
			}
			if ft := h & 0xf; ft == 1 || ft == 2 {
				continue // a boolean field holds its value in its header
			}
			if err := w.value(h&0xf, depth+1); err != nil {
				return err
			}
		}
	}
	return errThrift
}
