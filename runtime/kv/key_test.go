package kv

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
	"unsafe"
)

type region string

type pair struct {
	Region region
	ID     int64
	Active bool
	small  int8
	Hash   [4]byte
	Parts  [2]uint16
}

// roundTrip encodes k and decodes the encoding into a new K.
func roundTrip[K comparable](t *testing.T, k K) []byte {
	t.Helper()
	c, err := newKeyCodec(reflect.TypeFor[K]())
	if err != nil {
		t.Fatalf("newKeyCodec(%T): %v", k, err)
	}
	enc := c.encode(nil, unsafe.Pointer(&k))
	var back K
	if err := c.decode(enc, unsafe.Pointer(&back)); err != nil {
		t.Fatalf("decode(encode(%#v)): %v", k, err)
	}
	if back != k {
		t.Errorf("decode(encode(%#v)) = %#v", k, back)
	}
	return enc
}

func TestKeyEncoding(t *testing.T) {
	tests := []struct {
		enc  []byte
		want []byte
	}{
		{roundTrip(t, "héllo"), []byte("\x06héllo")},
		{roundTrip(t, ""), []byte{0}},
		{roundTrip(t, region("eu")), []byte("\x02eu")},
		{roundTrip(t, -2), []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe}},
		{roundTrip(t, uint16(0x1234)), []byte{0x12, 0x34}},
		{roundTrip(t, true), []byte{1}},
		{roundTrip(t, [3]byte{1, 2, 3}), []byte{1, 2, 3}},
		{roundTrip(t, pair{Region: "eu", ID: 7, Active: true, small: -1, Hash: [4]byte{9, 8, 7, 6}, Parts: [2]uint16{1, 2}}),
			[]byte{2, 'e', 'u', 0, 0, 0, 0, 0, 0, 0, 7, 1, 0xff, 9, 8, 7, 6, 0, 1, 0, 2}},
	}
	for i, tt := range tests {
		if !bytes.Equal(tt.enc, tt.want) {
			t.Errorf("case %d: encoding %v; want %v", i, tt.enc, tt.want)
		}
	}
}

// TestKeyEncodingIsInjective checks that keys whose parts share bytes, which
// a plain concatenation would confuse, encode differently.
func TestKeyEncodingIsInjective(t *testing.T) {
	type two struct{ A, B string }
	a := roundTrip(t, two{"ab", "c"})
	b := roundTrip(t, two{"a", "bc"})
	if bytes.Equal(a, b) {
		t.Errorf("{ab c} and {a bc} both encode to %v", a)
	}
}

func TestKeyTypeRefused(t *testing.T) {
	type withPtr struct {
		Name string
		Next *int
	}
	for _, typ := range []reflect.Type{
		reflect.TypeFor[float64](),
		reflect.TypeFor[*int](),
		reflect.TypeFor[any](),
		reflect.TypeFor[withPtr](),
		reflect.TypeFor[[2]float32](),
	} {
		if _, err := newKeyCodec(typ); !errors.Is(err, ErrKeyType) {
			t.Errorf("newKeyCodec(%s) = %v; want ErrKeyType", typ, err)
		}
	}
	_, err := newKeyCodec(reflect.TypeFor[withPtr]())
	if want := "kv: unsupported key type: kv.withPtr.Next is a ptr; keys are strings, bools, integers, and structs and arrays of them"; err == nil || err.Error() != want {
		t.Errorf("newKeyCodec(withPtr) = %v; want %q", err, want)
	}
}

func TestKeyEncodeAllocs(t *testing.T) {
	c, err := newKeyCodec(reflect.TypeFor[pair]())
	if err != nil {
		t.Fatal(err)
	}
	k := pair{Region: "eu-west", ID: 42}
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() { buf = c.encode(buf[:0], unsafe.Pointer(&k)) }); n != 0 {
		t.Errorf("encoding a struct key into a buffer allocates %v times; want 0", n)
	}
}

// FuzzKeyDecode decodes arbitrary bytes as keys: it must fail or give back
// a key that encodes to the same bytes, never panic.
func FuzzKeyDecode(f *testing.F) {
	f.Add([]byte{2, 'e', 'u', 0, 0, 0, 0, 0, 0, 0, 7, 1, 0xff, 9, 8, 7, 6, 0, 1, 0, 2})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1})
	f.Add([]byte{})
	c, err := newKeyCodec(reflect.TypeFor[pair]())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var k pair
		if c.decode(data, unsafe.Pointer(&k)) != nil {
			return
		}
		if enc := c.encode(nil, unsafe.Pointer(&k)); !bytes.Equal(enc, data) {
			t.Errorf("decoded %v to %#v, which encodes to %v", data, k, enc)
		}
	})
}

func TestPayloadSplit(t *testing.T) {
	p := joinPayload([]byte("key"), []byte("value"))
	k, v, err := splitPayload(p)
	if err != nil || string(k) != "key" || string(v) != "value" {
		t.Errorf("splitPayload(joinPayload(key, value)) = %q, %q, %v", k, v, err)
	}
	for _, bad := range [][]byte{nil, {5, 'a'}, {0xff}} {
		if _, _, err := splitPayload(bad); err == nil {
			t.Errorf("splitPayload(%v) succeeded; want an error", bad)
		}
	}
}
