package runtime_test

import (
	"bytes"
	"encoding/binary"
	"testing"
	"time"

	memo "github.com/memogen/memogen/runtime"
)

// TestKeyWriterGrowKeepsEncodings writes the same values into a fresh
// writer, one grown with room for all of them, and one grown with room for
// only part, so that each write method takes both its fast path (room in
// the buffer) and its slow one: the keys must be byte for byte the same,
// since stored entries are addressed by them.
func TestKeyWriterGrowKeepsEncodings(t *testing.T) {
	t.Parallel()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		paris = time.FixedZone("CET", 3600)
	}
	times := []time.Time{
		{},
		time.Unix(1, 2).UTC(),
		time.Unix(-62135596800, 999999999).UTC(),
		time.Date(2026, 11, 1, 12, 0, 0, 5, time.UTC),
		time.Date(2026, 11, 1, 12, 0, 0, 5, paris),
		time.Unix(1, 0).In(time.FixedZone("X", -3600)),
	}
	write := func(w *memo.KeyWriter) {
		for _, tm := range times {
			w.Time(tm)
			w.Text("shoes")
			w.Blob([]byte{1, 2, 3})
			w.Int(-7)
		}
	}
	want := keyOf(write)
	for _, room := range []int{0, 1, 13, 40, 4096} {
		var w memo.KeyWriter
		w.Grow(room)
		write(&w)
		if got := w.Bytes(); !bytes.Equal(got, want) {
			t.Errorf("Grow(%d): key %x\nwant %x", room, got, want)
		}
	}
}

// TestKeyWriterUTCTimeLayout pins a UTC time's encoding when the buffer
// has room for it: Unix seconds, four bytes of nanoseconds, and tag 0.
func TestKeyWriterUTCTimeLayout(t *testing.T) {
	t.Parallel()
	tm := time.Date(2026, 11, 1, 12, 0, 0, 5, time.UTC)
	var w memo.KeyWriter
	w.Grow(64)
	w.Bool(true)
	w.Time(tm)
	want := []byte{1}
	want = binary.LittleEndian.AppendUint64(want, uint64(tm.Unix()))
	want = binary.LittleEndian.AppendUint32(want, 5)
	want = append(want, 0)
	if got := w.Bytes(); !bytes.Equal(got, want) {
		t.Fatalf("key %x, want %x", got, want)
	}
}

// TestKeyWriterGrowAllocatesOnce checks that a grown writer takes a key of
// the room it was given without allocating.
func TestKeyWriterGrowAllocatesOnce(t *testing.T) {
	var w memo.KeyWriter
	w.Grow(128)
	tm := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	allocs := testing.AllocsPerRun(100, func() {
		w.Reset()
		w.Text("products")
		w.Time(tm)
		w.Int(3)
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per key, want 0", allocs)
	}
}
