package runtime

import (
	"encoding"
	"encoding/binary"
	"math"
	"time"
)

// A Key writes the same encoding as the [KeyWriter] it comes from, holding
// the writer's buffer in a value that each method returns updated.
// Generated code writes keys with it:
//
//	k := w.Key()
//	k = k.Text(index)
//	k = k.Int(int64(page))
//	k.Flush()
//
// Passed and returned by value, the buffer's slice header stays in
// registers, so that one append does not wait on the store of the last one
// as appends through a *KeyWriter do. The common cases (short strings and
// byte slices, numbers, booleans, UTC times with room) append to the value;
// the rest (long strings, maps, times in other zones, key methods) store
// the buffer into the writer, write through it and load the buffer back.
//
// A Key is valid until its writer is used directly: code that hands the
// writer to a function taking a *KeyWriter (a MemoKey method, [Dynamic])
// calls [Key.Flush] first and [Key.Reload] after. The bytes written reach
// the writer, and its Bytes, at Flush.
type Key struct {
	b []byte     // the writer's buffer, ahead of w.buf since the last Flush
	w *KeyWriter // the writer the bytes belong to
}

// Key returns a Key that writes to w, for generated code; [Key.Flush]
// stores what it wrote back into w.
func (w *KeyWriter) Key() Key { return Key{w.buf, w} }

// Flush stores what k wrote into its writer and returns the writer, for
// generated code that hands it to a function taking a *KeyWriter or ends
// the key. Call [Key.Reload] before writing through k again.
func (k Key) Flush() *KeyWriter {
	k.w.buf = k.b
	return k.w
}

// Reload returns a Key that continues where k's writer stands, after code
// wrote to the writer [Key.Flush] returned.
func (k Key) Reload() Key { return Key{k.w.buf, k.w} }

// Bool is [KeyWriter.Bool] for generated code.
func (k Key) Bool(b bool) Key {
	var v byte
	if b {
		v = 1
	}
	k.b = append(k.b, v)
	return k
}

// Present is [KeyWriter.Present] for generated code.
func (k Key) Present(ok bool) Key { return k.Bool(ok) }

// Int is [KeyWriter.Int] for generated code.
func (k Key) Int(v int64) Key {
	k.b = binary.LittleEndian.AppendUint64(k.b, uint64(v))
	return k
}

// Uint is [KeyWriter.Uint] for generated code.
func (k Key) Uint(v uint64) Key {
	k.b = binary.LittleEndian.AppendUint64(k.b, v)
	return k
}

// Float is [KeyWriter.Float] for generated code.
func (k Key) Float(v float64) Key {
	bits := math.Float64bits(v)
	if v != v {
		bits = canonicalNaN
	}
	k.b = binary.LittleEndian.AppendUint64(k.b, bits)
	return k
}

// Complex is [KeyWriter.Complex] for generated code.
func (k Key) Complex(v complex128) Key { return k.Float(real(v)).Float(imag(v)) }

// Length is [KeyWriter.Length] for generated code.
func (k Key) Length(n int) Key {
	if uint(n) < 0x80 {
		k.b = append(k.b, byte(n))
		return k
	}
	k.b = binary.AppendUvarint(k.b, uint64(n))
	return k
}

// Text is [KeyWriter.Text] for generated code.
func (k Key) Text(s string) Key {
	if len(s) < 0x80 { // the common case, kept small enough to inline
		k.b = append(append(k.b, byte(len(s))), s...)
		return k
	}
	return k.longText(s)
}

// longText is Text for a string of 0x80 bytes or more, which may start
// digesting the key.
func (k Key) longText(s string) Key {
	w := k.Flush()
	w.longText(s)
	return w.Key()
}

// Blob is [KeyWriter.Blob] for generated code.
func (k Key) Blob(b []byte) Key {
	if len(b) < 0x80 {
		k.b = append(append(k.b, byte(len(b))), b...)
		return k
	}
	return k.longBlob(b)
}

// longBlob is longText for a byte slice.
func (k Key) longBlob(b []byte) Key {
	w := k.Flush()
	w.longBlob(b)
	return w.Key()
}

// Time is [KeyWriter.Time] for generated code.
func (k Key) Time(t time.Time) Key {
	if n := len(k.b); t.Location() == time.UTC && cap(k.b)-n >= utcTimeBytes {
		b := k.b[:n+utcTimeBytes]
		binary.LittleEndian.PutUint64(b[n:], uint64(t.Unix()))
		binary.LittleEndian.PutUint32(b[n+8:], uint32(t.Nanosecond()))
		b[n+12] = 0
		k.b = b
		return k
	}
	return k.zonedTime(t)
}

// zonedTime is Time for a time outside UTC, or one the buffer has no room
// for.
func (k Key) zonedTime(t time.Time) Key {
	w := k.Flush()
	w.zonedTime(t)
	return w.Key()
}

// BinaryMarshaler is [KeyWriter.BinaryMarshaler] for generated code.
func (k Key) BinaryMarshaler(m encoding.BinaryMarshaler) Key {
	w := k.Flush()
	w.BinaryMarshaler(m)
	return w.Key()
}

// Keyer is [KeyWriter.Keyer] for generated code.
func (k Key) Keyer(v Keyer) Key {
	w := k.Flush()
	w.Keyer(v)
	return w.Key()
}

// Enter is [KeyWriter.Enter] for generated code.
func (k Key) Enter() bool { return k.w.Enter() }

// Leave is [KeyWriter.Leave] for generated code.
func (k Key) Leave() { k.w.Leave() }

// BeginMap is [KeyWriter.BeginMap] for generated code.
func (k Key) BeginMap(n int) Key {
	k = k.Length(n)
	k.w.mapStack = append(k.w.mapStack, -1) // frame marker
	return k
}

// MapEntry is [KeyWriter.MapEntry] for generated code.
func (k Key) MapEntry() Key {
	k.w.mapStack = append(k.w.mapStack, len(k.b))
	return k
}

// EndMap is [KeyWriter.EndMap] for generated code.
func (k Key) EndMap() Key {
	w := k.Flush()
	w.EndMap()
	return w.Key()
}
