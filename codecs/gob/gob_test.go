package gob_test

import (
	"math/big"
	"reflect"
	"strconv"
	"sync"
	"testing"

	memogob "github.com/memogen/memogen/codecs/gob"
)

// narrow is what a corrupt entry is decoded into.
type narrow struct{ X int }

// corrupt is a gob stream of a wider struct, damaged so that decoding it
// into narrow reports a type id it never defined: encoding/gob formats
// that error by reading its process-wide type table.
var corrupt = []byte{0x25, 0x22, 0x3, 0x1, 0x1, 0x4, 0x57, 0x69, 0x64, 0x65, 0x1, 0xff, 0x80, 0x0, 0x1, 0x3, 0x1, 0x1, 0x58, 0x1, 0x4, 0x0, 0x1, 0x1, 0x59, 0x1, 0xff, 0x86, 0x0, 0x1, 0x1, 0x5a, 0x1, 0xff, 0x88, 0x0, 0x0, 0x0, 0x21, 0xff, 0x85, 0x2, 0x1, 0x1, 0x12, 0x5b, 0x5d, 0x6d, 0x61, 0x70, 0x5b, 0x73, 0x74, 0x72, 0x69, 0x6e, 0x67, 0x5d, 0x5b, 0x5d, 0x69, 0x6e, 0x74, 0x1, 0xff, 0x86, 0x0, 0x1, 0xff, 0x84, 0x0, 0x0, 0xf, 0xff, 0x83, 0x4, 0x1, 0x2, 0xff, 0x84, 0x0, 0x1, 0xc, 0x1, 0xff, 0x82, 0x0, 0x0, 0xc, 0xff, 0x81, 0x2, 0x1, 0x2, 0xff, 0x82, 0x0, 0x1, 0x4, 0x0, 0x0, 0x2a, 0xff, 0x87, 0x3, 0x1, 0x1, 0x15, 0x73, 0x74, 0x72, 0x75, 0x63, 0x74, 0x20, 0x7b, 0x20, 0x41, 0x20, 0x5b, 0x5d, 0x73, 0x74, 0x72, 0x69, 0x6e, 0x67, 0x20, 0x7d, 0x1, 0xff, 0x88, 0x0, 0x7d, 0x1, 0x1, 0x1, 0x41, 0x1, 0xff, 0x8a, 0x0, 0x0, 0x0, 0x16, 0xff, 0x89, 0x2, 0x1, 0x1, 0x8, 0x5b, 0x5d, 0x73, 0x74, 0x72, 0x69, 0x6e, 0x67, 0x1, 0xff, 0x8a, 0x0, 0x1, 0xc, 0x0, 0x0, 0xe, 0xff, 0x80, 0x1, 0x2, 0x1, 0x1, 0xa3, 0x1, 0x61, 0x1, 0x2, 0x1, 0x0, 0x0}

// TestCorruptDecodesRaceNoRegistration decodes corrupt entries while
// another goroutine encodes and decodes types gob meets for the first time,
// after a failed first decode of each: every corrupt decode fails cleanly
// and every round trip succeeds. It runs under -race in make test, where
// encoding/gob's unguarded type table (golang/go#23328) would show if the
// codec let a registration overlap another gob call.
func TestCorruptDecodesRaceNoRegistration(t *testing.T) {
	var c memogob.Codec
	if err := c.Unmarshal(corrupt, new(narrow)); err == nil {
		t.Fatal("decoding the corrupt stream succeeded")
	}
	// Types made at run time: enc[i] encodes streams that dec[i], a
	// distinct type with the same field, decodes. Neither is known to gob.
	var enc, dec []reflect.Type
	for i := range 40 {
		f := reflect.StructField{Name: "F" + strconv.Itoa(i), Type: reflect.TypeFor[int]()}
		enc = append(enc, reflect.StructOf([]reflect.StructField{f}))
		f.Tag = `memo:"dec"`
		dec = append(dec, reflect.StructOf([]reflect.StructField{f}))
	}
	for _, d := range dec {
		if err := c.Unmarshal([]byte{0x01}, reflect.New(d).Interface()); err == nil {
			t.Fatal("decoding one byte succeeded")
		}
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for range 2000 {
			_ = c.Unmarshal(corrupt, new(narrow)) // an error, never a panic or a race
		}
	})
	wg.Go(func() {
		for i := range enc {
			v := reflect.New(enc[i]).Elem()
			v.Field(0).SetInt(int64(i))
			data, err := c.Marshal(v.Interface())
			if err != nil {
				t.Error(err)
				return
			}
			out := reflect.New(dec[i])
			if err := c.Unmarshal(data, out.Interface()); err != nil || out.Elem().Field(0).Int() != int64(i) {
				t.Errorf("round trip %d = %v, %v", i, out.Elem(), err)
			}
		}
	})
	wg.Wait()
}

// A pointer whose element encodes itself (big.Int's GobEncode is on *Int)
// is encoded as it is, not through a pointer to it, on which gob panics.
func TestMarshalPointerToSelfEncoder(t *testing.T) {
	data, err := memogob.Codec{}.Marshal(big.NewInt(-99))
	if err != nil {
		t.Fatalf("Marshal(big.NewInt(-99)): %v", err)
	}
	var got *big.Int
	if err := (memogob.Codec{}).Unmarshal(data, &got); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	if got == nil || got.Int64() != -99 {
		t.Fatalf("round trip of -99 = %v", got)
	}
}
