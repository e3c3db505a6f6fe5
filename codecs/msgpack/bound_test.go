package msgpack_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/memogen/memogen/codecs/msgpack"
	"github.com/memogen/memogen/runtime/store"
)

// MarshalWithin writes what Marshal writes, byte for byte, when the
// encoding fits, and stops with store.ErrTooLarge when it does not, at any
// bound: on a token of one byte or of many.
func TestMarshalWithin(t *testing.T) {
	type rec struct {
		Name string
		N    []int
		At   time.Time
	}
	v := rec{Name: "a name of some length", N: []int{1, 300, 70000}, At: time.Date(2026, 12, 3, 1, 2, 3, 4, time.UTC)}
	var c msgpack.Codec
	whole, err := c.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	for max := 0; max <= len(whole)+1; max++ {
		got, err := c.MarshalWithin(v, max)
		switch {
		case max >= len(whole) && (err != nil || !bytes.Equal(got, whole)):
			t.Errorf("MarshalWithin(%d) = %x, %v; want %x, nil", max, got, err, whole)
		case max < len(whole) && (!errors.Is(err, store.ErrTooLarge) || got != nil):
			t.Errorf("MarshalWithin(%d) of %d bytes = %x, %v; want nil, store.ErrTooLarge", max, len(whole), got, err)
		}
	}
}
