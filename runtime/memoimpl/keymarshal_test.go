package memoimpl_test

import (
	"bytes"
	"errors"
	"math/big"
	"testing"

	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
)

func marshaledKey(write func(w *memo.KeyWriter)) ([]byte, error) {
	var w memo.KeyWriter
	write(&w)
	return bytes.Clone(w.Bytes()), w.Err()
}

func TestKeyMarshaledSeparatesTypesAndValues(t *testing.T) {
	one := big.NewInt(1)
	oneRat := big.NewRat(1, 1)
	intKey, _ := marshaledKey(func(w *memo.KeyWriter) { memoimpl.KeyMarshaled(w, "math/big.Int", one.GobEncode) })
	ratKey, _ := marshaledKey(func(w *memo.KeyWriter) { memoimpl.KeyMarshaled(w, "math/big.Rat", oneRat.GobEncode) })
	twoKey, _ := marshaledKey(func(w *memo.KeyWriter) { memoimpl.KeyMarshaled(w, "math/big.Int", big.NewInt(2).GobEncode) })
	again, _ := marshaledKey(func(w *memo.KeyWriter) { memoimpl.KeyMarshaled(w, "math/big.Int", big.NewInt(1).GobEncode) })
	if bytes.Equal(intKey, ratKey) || bytes.Equal(intKey, twoKey) {
		t.Errorf("keys of big.Int 1, big.Rat 1 and big.Int 2 = %x, %x, %x; want three distinct keys", intKey, ratKey, twoKey)
	}
	if !bytes.Equal(intKey, again) {
		t.Errorf("two keys of big.Int 1 = %x and %x; want equal", intKey, again)
	}
}

func TestKeyAppendedMatchesAcrossCallsAndFails(t *testing.T) {
	f := big.NewFloat(1.5)
	a, err := marshaledKey(func(w *memo.KeyWriter) { memoimpl.KeyAppended(w, "math/big.Float", f.AppendText) })
	b, _ := marshaledKey(func(w *memo.KeyWriter) { memoimpl.KeyAppended(w, "math/big.Float", big.NewFloat(1.5).AppendText) })
	c, _ := marshaledKey(func(w *memo.KeyWriter) { memoimpl.KeyAppended(w, "math/big.Float", big.NewFloat(2.5).AppendText) })
	if err != nil || !bytes.Equal(a, b) || bytes.Equal(a, c) {
		t.Errorf("keys of 1.5, 1.5, 2.5 = %x, %x, %x (err %v); want the first two equal, the third different", a, b, c, err)
	}
	boom := errors.New("boom")
	_, err = marshaledKey(func(w *memo.KeyWriter) {
		memoimpl.KeyAppended(w, "T", func([]byte) ([]byte, error) { return nil, boom })
	})
	if !errors.Is(err, boom) {
		t.Errorf("key of a failing appender: Err() = %v; want %v", err, boom)
	}
}
