package runtime

import (
	"bytes"
	"encoding"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/memogen/memogen/runtime/internal/typeid"
)

// MaxKeyDepth bounds how deeply [KeyWriter.Enter] lets key code nest. A
// value that nests deeper (in practice: a cyclic one) makes the key fail,
// and the call runs uncached.
const MaxKeyDepth = 10_000

// ErrKeyTooDeep reports a value nested deeper than [MaxKeyDepth], usually a
// cycle of pointers, slices or maps.
var ErrKeyTooDeep = errors.New("memo: key nests too deeply (cyclic value?)")

// MaxKeyValues bounds how many values of recursive types one key may
// write ([KeyWriter.Enter] calls). A graph whose nodes share children (a
// DAG) is keyed as the tree of its paths, which grows exponentially with
// its depth: past the bound the key fails, and the call runs uncached,
// instead of keying for minutes.
const MaxKeyValues = 1 << 20

// ErrKeyTooLarge reports a key that writes more than [MaxKeyValues] values
// of recursive types, usually a graph whose nodes share children.
var ErrKeyTooLarge = errors.New("memo: key writes too many values (a graph whose nodes share children?)")

// canonicalNaN is the one bit pattern every NaN is keyed as.
const canonicalNaN = 0x7ff8000000000001

// A KeyWriter accumulates the encoding of a call's keyed arguments.
//
// Generated code calls one method per scalar, in the static order of the
// arguments' types, so the encoding needs no type tags: each method writes a
// fixed-width value or a length prefix followed by the bytes, and the whole
// is unambiguous. Types can take part by implementing
//
//	MemoKey(w *memo.KeyWriter)
//
// and writing their own state with these methods.
//
// The encoding rules a key relies on:
//   - integers of every size are written as 8 bytes; floats by their IEEE 754
//     bits, except that every NaN is written as one canonical NaN. -0 and +0
//     stay distinct, because a function can tell them apart (1/x).
//   - strings and byte slices are length-prefixed; a nil slice and an empty
//     one are the same key.
//   - a pointer writes whether it is nil before its pointee, so nil differs
//     from a pointer to a zero value.
//   - a map's entries are sorted by their encodings, so iteration order
//     does not matter.
//   - a time.Time is keyed by its instant (Unix seconds and nanoseconds) and
//     its zone; the monotonic clock reading is dropped. UTC is one zone; a
//     named location is keyed by its name and its offset at that instant;
//     time.Local, whose name "Local" says nothing about the zone a host is
//     in, by the zone in effect at that instant, its abbreviation and offset
//     ("CET" +1h for Europe/Paris in January, "WAT" +1h for Africa/Lagos),
//     and by a digest of its whole schedule: every zone it passes through
//     and when, up to the year 2100 (see localzone.go). Paris and Algiers,
//     both "CET" +1h in January, make two keys, because six months later
//     one is in summer time and the other is not; two hosts whose local
//     zones follow the same rules make one. The same instant in two zones
//     makes two keys, because formatting it gives two results; so does an
//     instant in UTC and in a time.Local that is UTC, since t.Location()
//     tells them apart.
//   - an encoding of [MaxKeyBytes] or more is keyed by its head and a
//     128-bit digest of the whole, computed as the arguments are written.
//
// A KeyWriter is not safe for concurrent use.
type KeyWriter struct {
	// What every key reads or writes, and Reset checks, comes first.
	buf       []byte
	digesting bool // whether the encoding goes to dig
	err       error
	depth     int
	entered   int // successful Enter calls since Reset; see MaxKeyValues
	// localType is the first type the key names whose identity is valid
	// in this process only (see errLocal), or nil.
	localType *typeid.Info
	mapStack  []int  // entry start offsets of the maps being written
	scratch   []byte // scratch for sorting map entries

	segs []segment  // scratch for sorting map entries
	dig  *keyDigest // digests an encoding of MaxKeyBytes or more; see keydigest.go
}

type segment struct{ start, end int }

// Reset empties w for reuse, keeping its buffers, as generated code does
// between calls.
func (w *KeyWriter) Reset() {
	w.buf = w.buf[:0]
	w.err = nil
	w.depth, w.entered = 0, 0
	w.localType = nil
	w.mapStack = w.mapStack[:0]
	if w.digesting || cap(w.buf) > maxKeptBuffer || cap(w.scratch) > maxKeptBuffer {
		w.resetDigest()
	}
}

// Grow makes room for n more bytes of encoding, so that writing them does
// not allocate. A writer used on many cores at once, one per core, is
// best grown once to a multiple of 64 bytes: its buffer then fills whole
// cache lines, and two cores writing their keys never share one.
func (w *KeyWriter) Grow(n int) {
	if cap(w.buf)-len(w.buf) < n {
		w.buf = append(make([]byte, 0, len(w.buf)+n), w.buf...)
	}
}

// Bytes returns the key of the encoding written so far: the key that
// addresses the call's entry in an in-memory table, and that a byte-level
// backend's key digests. It is the encoding itself when that is shorter
// than [MaxKeyBytes], else a digest of it, MaxKeyBytes long. It is valid
// until the next write or Reset.
func (w *KeyWriter) Bytes() []byte {
	if len(w.buf) < MaxKeyBytes && !w.digesting {
		return w.buf
	}
	return w.digestKey()
}

// Err returns the first error recorded by [KeyWriter.Fail], or nil.
func (w *KeyWriter) Err() error { return w.err }

// Fail records err as the reason this key cannot be built; the call then runs
// uncached. Only the first error is kept.
func (w *KeyWriter) Fail(err error) {
	if w.err == nil {
		w.err = err
	}
}

// The encodings of the fixed-size and short values are Key's (key.go);
// a KeyWriter writes them through a Key of its own buffer, so that
// generated code, which writes through a Key, and key methods and
// reflection, which write through a KeyWriter, make the same bytes.

// Bool writes b.
func (w *KeyWriter) Bool(b bool) { w.buf = w.Key().Bool(b).b }

// Int writes an integer of any signed kind.
func (w *KeyWriter) Int(v int64) { w.buf = w.Key().Int(v).b }

// Uint writes an integer of any unsigned kind.
func (w *KeyWriter) Uint(v uint64) { w.buf = w.Key().Uint(v).b }

// Float writes a float64 or float32 by its bits; see [KeyWriter] for NaN and -0.
func (w *KeyWriter) Float(v float64) { w.buf = w.Key().Float(v).b }

// Complex writes a complex128 or complex64 as its two parts.
func (w *KeyWriter) Complex(v complex128) { w.buf = w.Key().Complex(v).b }

// Length writes a length or count, as a prefix to what follows: a key
// method writes a slice's length before its elements, so that two slice
// fields holding [a b] and [c], or [a] and [b c], make two keys.
func (w *KeyWriter) Length(n int) { w.buf = w.Key().Length(n).b }

// Text writes the string s, length-prefixed.
func (w *KeyWriter) Text(s string) { w.buf = w.Key().Text(s).b }

// Blob writes b, length-prefixed. A nil and an empty slice write the same.
func (w *KeyWriter) Blob(b []byte) { w.buf = w.Key().Blob(b).b }

// Present writes whether a pointer, or an interface holding a key method, is
// non-nil; the pointee follows when it is.
func (w *KeyWriter) Present(ok bool) { w.Bool(ok) }

// Time writes t's instant and zone: for UTC, the common case, a one-byte
// tag; for time.Local, a tag, then the abbreviation of the zone in effect
// at t, its offset and the digest of the location's schedule; for any
// other location, a tag, then its name and its offset at t.
func (w *KeyWriter) Time(t time.Time) { w.buf = w.Key().Time(t).b }

// utcTimeBytes is the length of a UTC time's encoding: seconds,
// nanoseconds and the zone tag.
const utcTimeBytes = 8 + 4 + 1

// zonedTime is Time for a time outside UTC, or one the buffer has no room
// for.
func (w *KeyWriter) zonedTime(t time.Time) {
	w.Int(t.Unix())
	w.buf = binary.LittleEndian.AppendUint32(w.buf, uint32(t.Nanosecond()))
	loc := t.Location()
	if loc == time.UTC {
		w.buf = append(w.buf, 0)
		return
	}
	zone, offset := t.Zone()
	if loc == time.Local || loc.String() == "Local" {
		// Every host's local location is named "Local": two hosts in
		// different zones that share an offset that day (Paris and Lagos in
		// January) must not share a key, so the zone itself is keyed, and
		// so are its rules, which tell apart hosts that share the zone
		// that day but not the next summer (Paris and Algiers).
		w.buf = append(w.buf, 2)
		w.Text(zone)
		w.Int(int64(offset))
		w.buf = append(w.buf, localDigest(loc)[:]...)
		return
	}
	w.buf = append(w.buf, 1)
	w.Text(loc.String())
	w.Int(int64(offset))
}

// BinaryMarshaler writes the bytes m.MarshalBinary returns; its error fails
// the key.
func (w *KeyWriter) BinaryMarshaler(m encoding.BinaryMarshaler) {
	b, err := m.MarshalBinary()
	if err != nil {
		w.Fail(fmt.Errorf("memo: key: MarshalBinary: %w", err))
		return
	}
	w.Blob(b)
}

// Enter marks the start of a value of a recursive type. It reports false
// when the key has already failed, and fails the key once nesting passes
// [MaxKeyDepth] or the values entered pass [MaxKeyValues]; the caller then
// writes nothing more for that value. Every true Enter is paired with
// Leave.
func (w *KeyWriter) Enter() bool {
	if w.err != nil {
		return false
	}
	if w.depth >= MaxKeyDepth {
		w.Fail(ErrKeyTooDeep)
		return false
	}
	if w.entered >= MaxKeyValues {
		w.Fail(ErrKeyTooLarge)
		return false
	}
	w.depth++
	w.entered++
	return true
}

// Leave ends a value begun by a successful Enter.
func (w *KeyWriter) Leave() { w.depth-- }

// BeginMap writes a map's length and starts collecting its entries; call
// MapEntry before writing each entry's key and value, and EndMap after the
// last. Entries are sorted by their encoding, which makes the key independent
// of iteration order. Maps may nest.
func (w *KeyWriter) BeginMap(n int) { w.buf = w.Key().BeginMap(n).b }

// MapEntry marks the start of one entry of the innermost map.
func (w *KeyWriter) MapEntry() { w.buf = w.Key().MapEntry().b }

// EndMap sorts the innermost map's entries into canonical order.
func (w *KeyWriter) EndMap() {
	frame := len(w.mapStack) - 1
	for frame >= 0 && w.mapStack[frame] != -1 {
		frame--
	}
	if frame < 0 {
		panic("memo: KeyWriter.EndMap without BeginMap")
	}
	starts := w.mapStack[frame+1:]
	w.sortEntries(starts)
	w.mapStack = w.mapStack[:frame]
}

func (w *KeyWriter) sortEntries(starts []int) {
	if len(starts) < 2 {
		return
	}
	w.segs = w.segs[:0]
	for i, s := range starts {
		end := len(w.buf)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		w.segs = append(w.segs, segment{s, end})
	}
	base := starts[0]
	w.scratch = append(w.scratch[:0], w.buf[base:]...)
	slices.SortFunc(w.segs, func(a, b segment) int {
		return bytes.Compare(w.buf[a.start:a.end], w.buf[b.start:b.end])
	})
	out := w.buf[:base]
	for _, s := range w.segs {
		out = append(out, w.scratch[s.start-base:s.end-base]...)
	}
	w.buf = out
}
