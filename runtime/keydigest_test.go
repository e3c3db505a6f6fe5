package runtime_test

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/zeebo/xxh3"

	memo "github.com/memogen/memogen/runtime"
)

// digestForm is the key MaxKeyBytes documents for an encoding of
// MaxKeyBytes or more: its head, then its 128-bit XXH3 digest, big endian.
func digestForm(enc []byte) []byte {
	sum := xxh3.Hash128(enc)
	key := append([]byte(nil), enc[:memo.MaxKeyBytes-16]...)
	key = binary.BigEndian.AppendUint64(key, sum.Hi)
	return binary.BigEndian.AppendUint64(key, sum.Lo)
}

// blobEncoding is the encoding of one length-prefixed byte string.
func blobEncoding(b []byte) []byte {
	return append(binary.AppendUvarint(nil, uint64(len(b))), b...)
}

func TestKeyWriterBoundsKeys(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<12) // 64 KiB
	exact := bytes.Repeat([]byte{7}, memo.MaxKeyBytes-2)   // a two-byte length, so MaxKeyBytes encoded
	nested := func(w *memo.KeyWriter) {
		w.BeginMap(1)
		w.MapEntry()
		w.Blob(big)
		w.Int(1)
		w.EndMap()
	}
	tests := []struct {
		name  string
		write func(w *memo.KeyWriter)
		enc   []byte // the full encoding
	}{
		{"short blob is its own key", func(w *memo.KeyWriter) { w.Blob(exact[1:]) }, blobEncoding(exact[1:])},
		{"huge blob, streamed", func(w *memo.KeyWriter) { w.Blob(big) }, blobEncoding(big)},
		{"huge text, streamed", func(w *memo.KeyWriter) { w.Text(string(big)) }, blobEncoding(big)},
		{"after other arguments", func(w *memo.KeyWriter) { w.Int(5); w.Blob(big); w.Bool(true) },
			append(append(binary.LittleEndian.AppendUint64(nil, 5), blobEncoding(big)...), 1)},
		{"many small writes", func(w *memo.KeyWriter) {
			for i := range 100 {
				w.Int(int64(i))
			}
		}, func() []byte {
			var b []byte
			for i := range 100 {
				b = binary.LittleEndian.AppendUint64(b, uint64(i))
			}
			return b
		}()},
		{"huge blob inside a map, buffered", nested,
			append(append([]byte{1}, blobEncoding(big)...), binary.LittleEndian.AppendUint64(nil, 1)...)},
		{"exactly MaxKeyBytes", func(w *memo.KeyWriter) { w.Blob(exact) }, blobEncoding(exact)},
	}
	for _, tt := range tests {
		var w memo.KeyWriter
		tt.write(&w)
		want := tt.enc
		if len(tt.enc) >= memo.MaxKeyBytes {
			want = digestForm(tt.enc)
		}
		got := w.Bytes()
		if !bytes.Equal(got, want) {
			t.Errorf("%s: Bytes() = %d bytes %.40x…; want %d bytes %.40x…", tt.name, len(got), got, len(want), want)
		}
		if again := w.Bytes(); !bytes.Equal(again, want) {
			t.Errorf("%s: second Bytes() = %.40x…; want %.40x…", tt.name, again, want)
		}
		if len(got) > memo.MaxKeyBytes {
			t.Errorf("%s: key of %d bytes; want at most MaxKeyBytes", tt.name, len(got))
		}
	}
}

func TestKeyWriterDigestThenMoreWrites(t *testing.T) {
	big := strings.Repeat("x", 10_000)
	var w memo.KeyWriter
	w.Text(big)
	first := bytes.Clone(w.Bytes())
	w.Int(3)
	enc := append(blobEncoding([]byte(big)), binary.LittleEndian.AppendUint64(nil, 3)...)
	if got := w.Bytes(); !bytes.Equal(got, digestForm(enc)) || bytes.Equal(got, first) {
		t.Errorf("Bytes() after a write = %.40x…; want the digest of the longer encoding", got)
	}
}

func TestKeyWriterResetAfterDigest(t *testing.T) {
	var w memo.KeyWriter
	w.Blob(make([]byte, 1<<20))
	if len(w.Bytes()) != memo.MaxKeyBytes {
		t.Fatalf("len(Bytes()) = %d; want %d", len(w.Bytes()), memo.MaxKeyBytes)
	}
	w.Reset()
	w.Text("a")
	if got, want := w.Bytes(), []byte{1, 'a'}; !bytes.Equal(got, want) {
		t.Errorf("Bytes() after Reset = %x; want %x", got, want)
	}
}

// TestKeyWriterHugeBlobIsNotCopied checks that a huge byte slice is
// digested as it is written: the writer allocates nothing like its size.
func TestKeyWriterHugeBlobIsNotCopied(t *testing.T) {
	big := make([]byte, 8<<20)
	var w memo.KeyWriter
	w.Blob(big) // the first digest allocates the hasher
	w.Reset()
	allocs := testing.AllocsPerRun(5, func() {
		w.Reset()
		w.Blob(big)
		_ = w.Bytes()
	})
	if allocs != 0 {
		t.Errorf("keying an 8 MiB slice again allocates %v times; want 0", allocs)
	}
}
