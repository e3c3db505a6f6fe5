package runtime

import (
	"encoding/binary"

	"github.com/zeebo/xxh3"
)

// This file bounds a key's size. A call whose keyed arguments encode to
// MaxKeyBytes or more (a 32 MiB []byte) is keyed by a digest of its
// encoding instead of the encoding itself: an in-memory entry then keeps
// MaxKeyBytes of key, not a copy of the argument, and a large string or
// byte slice is hashed as it is written rather than copied into the key
// buffer first.

// MaxKeyBytes bounds the key [KeyWriter.Bytes] returns. An encoding shorter
// than MaxKeyBytes is the key itself. An encoding of MaxKeyBytes or more is
// keyed by its first MaxKeyBytes-16 bytes followed by the 128-bit XXH3
// digest of the whole encoding: exactly MaxKeyBytes bytes, so that it can
// never equal an exact key, which is shorter.
//
// Two such encodings share a key only if their digests collide. For
// arguments chosen without malice that chance is about 2^-128 per pair,
// the same digest byte-level backends address every entry by; XXH3 is not
// a cryptographic hash, though, so memoizing a function whose huge
// arguments an adversary chooses lets that adversary, with work, make two
// argument lists share a result.
const MaxKeyBytes = 256

// keyHead is how much of a digested encoding its key keeps readable.
const keyHead = MaxKeyBytes - 16

// maxKeptBuffer bounds the buffers a KeyWriter keeps across Reset: a
// pooled writer that once keyed a huge map does not keep its memory.
const maxKeptBuffer = 64 << 10

// keyDigest is the state of a KeyWriter whose encoding is digested.
type keyDigest struct {
	h    xxh3.Hasher
	head []byte // the encoding's first keyHead bytes
	key  []byte // head and digest, once computed; empty when stale
}

// feed adds p, the next bytes of the encoding, to the digest.
func (d *keyDigest) feed(p []byte) {
	if n := keyHead - len(d.head); n > 0 {
		d.head = append(d.head, p[:min(n, len(p))]...)
	}
	d.h.Write(p)
	d.key = d.key[:0]
}

// feedString is feed for a string, without copying it.
func (d *keyDigest) feedString(s string) {
	if n := keyHead - len(d.head); n > 0 {
		d.head = append(d.head, s[:min(n, len(s))]...)
	}
	d.h.WriteString(s)
	d.key = d.key[:0]
}

// startDigest moves what w buffered into its digest, which receives every
// later write.
func (w *KeyWriter) startDigest() *keyDigest {
	if w.dig == nil {
		w.dig = new(keyDigest)
	}
	d := w.dig
	if !w.digesting {
		w.digesting = true
		d.h.Reset()
		d.head, d.key = d.head[:0], d.key[:0]
	}
	if len(w.buf) > 0 {
		d.feed(w.buf)
		w.buf = w.buf[:0]
	}
	return d
}

// longText writes a string of 0x80 bytes or more. One of MaxKeyBytes or
// more makes the key a digest, so it goes straight to the digest, unless a
// map is open, whose entries stay in the buffer until they are sorted.
func (w *KeyWriter) longText(s string) {
	w.Length(len(s))
	if len(s) < MaxKeyBytes || len(w.mapStack) > 0 {
		w.buf = append(w.buf, s...)
		return
	}
	w.startDigest().feedString(s)
}

// longBlob is longText for a byte slice.
func (w *KeyWriter) longBlob(b []byte) {
	w.Length(len(b))
	if len(b) < MaxKeyBytes || len(w.mapStack) > 0 {
		w.buf = append(w.buf, b...)
		return
	}
	w.startDigest().feed(b)
}

// digestKey returns the key of an encoding of MaxKeyBytes or more.
func (w *KeyWriter) digestKey() []byte {
	d := w.startDigest()
	if len(d.key) == 0 {
		sum := d.h.Sum128()
		d.key = append(d.key, d.head...)
		d.key = binary.BigEndian.AppendUint64(d.key, sum.Hi)
		d.key = binary.BigEndian.AppendUint64(d.key, sum.Lo)
	}
	return d.key
}

// resetDigest returns w to keying exact encodings, and drops buffers grown
// too large to keep.
func (w *KeyWriter) resetDigest() {
	w.digesting = false
	if cap(w.buf) > maxKeptBuffer {
		w.buf = nil
	}
	if cap(w.scratch) > maxKeptBuffer {
		w.scratch = nil
	}
}
