package kv

import (
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"unsafe"
)

// This file encodes keys. A key is written as the sequence of its scalar
// parts (a string, a bool, an integer, or a struct or array of them,
// flattened in field order): a string as its length in uvarint and its
// bytes, a bool as one byte, an integer as its bytes big endian, and an
// array of bytes as its bytes. The encoding is exact and reversible, so
// that iteration decodes the key an entry was stored under, and the same
// for every process on every machine.
//
// Open reads K's layout by reflection once; encoding and decoding then
// read and write the parts at their offsets, without reflection and
// without allocating beyond the encoded bytes (and, decoding, the
// strings).

// ErrKeyType reports a key type the store cannot encode: one that is not a
// string, bool or integer, or a struct or array of them.
var ErrKeyType = errors.New("kv: unsupported key type")

// partKind is how one scalar part of a key is encoded.
type partKind uint8

const (
	partString partKind = iota
	partBool
	partInt   // size bytes, big endian
	partBytes // an array of size bytes, as they are
)

// keyPart is one scalar part of a key, at offset off in the key's memory.
type keyPart struct {
	off  uintptr
	kind partKind
	size uintptr
}

// keyCodec encodes and decodes keys of one type.
type keyCodec struct {
	parts []keyPart
}

// newKeyCodec returns the codec of keys of type t.
func newKeyCodec(t reflect.Type) (*keyCodec, error) {
	c := &keyCodec{}
	if err := c.add(t, 0, t.String()); err != nil {
		return nil, err
	}
	return c, nil
}

// add appends the parts of a value of type t at offset off; path names it
// in errors.
func (c *keyCodec) add(t reflect.Type, off uintptr, path string) error {
	switch k := t.Kind(); k {
	case reflect.String:
		c.parts = append(c.parts, keyPart{off: off, kind: partString})
	case reflect.Bool:
		c.parts = append(c.parts, keyPart{off: off, kind: partBool, size: 1})
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		c.parts = append(c.parts, keyPart{off: off, kind: partInt, size: t.Size()})
	case reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			if t.Len() > 0 {
				c.parts = append(c.parts, keyPart{off: off, kind: partBytes, size: uintptr(t.Len())})
			}
			return nil
		}
		for i := range t.Len() {
			if err := c.add(t.Elem(), off+uintptr(i)*t.Elem().Size(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Name == "_" {
				continue // padding, never compared
			}
			if err := c.add(f.Type, off+f.Offset, path+"."+f.Name); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("%w: %s is a %s; keys are strings, bools, integers, and structs and arrays of them", ErrKeyType, path, k)
	}
	return nil
}

// encode appends the encoding of the key at p to b.
func (c *keyCodec) encode(b []byte, p unsafe.Pointer) []byte {
	for _, part := range c.parts {
		q := unsafe.Add(p, part.off)
		switch part.kind {
		case partString:
			s := *(*string)(q)
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
		case partBool:
			if *(*bool)(q) {
				b = append(b, 1)
			} else {
				b = append(b, 0)
			}
		case partInt:
			b = appendInt(b, q, part.size)
		case partBytes:
			b = append(b, unsafe.Slice((*byte)(q), part.size)...)
		}
	}
	return b
}

func appendInt(b []byte, q unsafe.Pointer, size uintptr) []byte {
	switch size {
	case 1:
		return append(b, *(*uint8)(q))
	case 2:
		return binary.BigEndian.AppendUint16(b, *(*uint16)(q))
	case 4:
		return binary.BigEndian.AppendUint32(b, *(*uint32)(q))
	}
	return binary.BigEndian.AppendUint64(b, *(*uint64)(q))
}

var errKeyEncoding = errors.New("kv: malformed key encoding")

// decode sets the key at p from its encoding b, which it must use whole.
func (c *keyCodec) decode(b []byte, p unsafe.Pointer) error {
	for _, part := range c.parts {
		q := unsafe.Add(p, part.off)
		switch part.kind {
		case partString:
			n, w := binary.Uvarint(b)
			if w <= 0 || n > uint64(len(b)-w) || w != uvarintLen(n) {
				return errKeyEncoding // torn, or not the one encoding of n
			}
			*(*string)(q) = string(b[w : w+int(n)])
			b = b[w+int(n):]
			continue
		case partBool:
			if len(b) < 1 || b[0] > 1 {
				return errKeyEncoding
			}
			*(*bool)(q) = b[0] == 1
		case partInt:
			if uintptr(len(b)) < part.size {
				return errKeyEncoding
			}
			setInt(q, b, part.size)
		case partBytes:
			if uintptr(len(b)) < part.size {
				return errKeyEncoding
			}
			copy(unsafe.Slice((*byte)(q), part.size), b)
		}
		b = b[part.size:]
	}
	if len(b) != 0 {
		return errKeyEncoding
	}
	return nil
}

func setInt(q unsafe.Pointer, b []byte, size uintptr) {
	switch size {
	case 1:
		*(*uint8)(q) = b[0]
	case 2:
		*(*uint16)(q) = binary.BigEndian.Uint16(b)
	case 4:
		*(*uint32)(q) = binary.BigEndian.Uint32(b)
	default:
		*(*uint64)(q) = binary.BigEndian.Uint64(b)
	}
}

// uvarintLen is the length of the uvarint encoding of n.
func uvarintLen(n uint64) int {
	w := 1
	for ; n >= 0x80; n >>= 7 {
		w++
	}
	return w
}
