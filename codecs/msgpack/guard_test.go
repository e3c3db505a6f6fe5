package msgpack

import (
	"math"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/vmihailenco/msgpack/v5"
)

type sample struct {
	Name    string
	Tags    []string
	Counts  map[string]int64
	Ratio   float64
	Small   float32
	Blob    []byte
	When    time.Time
	Nested  *sample
	Numbers []any
}

func TestCheckLengthsAcceptsWhatMsgpackWrites(t *testing.T) {
	values := []any{
		nil, true, false, 0, -1, -33, 127, 128, 255, 256, 65535, 65536, math.MaxInt64, math.MinInt64,
		uint64(math.MaxUint64), float32(1.5), 2.5, "", "short", strings.Repeat("x", 40),
		strings.Repeat("y", 300), strings.Repeat("z", 70000), []byte{}, []byte("bin"),
		make([]byte, 300), make([]byte, 70000), []int{}, make([]int, 20), make([]int, 70000),
		map[string]int{}, map[string]int{"a": 1}, time.Unix(1700000000, 5),
		sample{
			Name: "n", Tags: []string{"a", "b"}, Counts: map[string]int64{"x": 1 << 40},
			Ratio: math.NaN(), Small: -0, Blob: []byte{1, 2}, When: time.Unix(0, 0),
			Nested:  &sample{Name: "inner"},
			Numbers: []any{int8(-5), uint16(300), int32(-70000), "s", nil, []any{map[string]any{}}},
		},
	}
	for _, v := range values {
		data, err := msgpack.Marshal(v)
		if err != nil {
			t.Fatalf("Marshal(%T): %v", v, err)
		}
		if err := checkLengths(data); err != nil {
			t.Errorf("checkLengths(Marshal(%T)) = %v; want nil", v, err)
		}
	}
}

func TestCheckLengthsRejectsImpossibleLengths(t *testing.T) {
	cases := map[string][]byte{
		"array32 of 2^31":   {0xdd, 0x7f, 0xff, 0xff, 0xff},
		"array16 too long":  {0xdc, 0x00, 0x05, 0x01, 0x02},
		"map32 of 2^31":     {0xdf, 0x7f, 0xff, 0xff, 0xff},
		"map with 3 of 4":   {0x82, 0x01, 0x02, 0x03},
		"str32 of 2^31":     {0xdb, 0x7f, 0xff, 0xff, 0xff},
		"bin32 of 2^31":     {0xc6, 0x7f, 0xff, 0xff, 0xff},
		"ext32 of 2^31":     {0xc9, 0x7f, 0xff, 0xff, 0xff, 0x01},
		"fixstr truncated":  {0xa5, 'a', 'b'},
		"float64 truncated": {0xcb, 0, 0, 0},
		"length truncated":  {0xdb, 0x00},
		"nested too long":   {0x91, 0xdd, 0x00, 0x10, 0x00, 0x00},
		"never-used code":   {0xc1},
		"empty":             {},
	}
	for name, data := range cases {
		if err := checkLengths(data); err == nil {
			t.Errorf("checkLengths(%s % x) = nil; want an error", name, data)
		}
	}
}

func TestUnmarshalRejectsHugeDeclaredLengthWithoutAllocating(t *testing.T) {
	var out []int64
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if err := (Codec{}).Unmarshal([]byte{0xdd, 0x7f, 0xff, 0xff, 0xff}, &out); err == nil {
		t.Fatal("Unmarshal of an array declaring 2^31 elements in 5 bytes succeeded")
	}
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("Unmarshal of a hostile 5-byte header allocated %d bytes; want it rejected before decoding", n)
	}
}

// FuzzCheckLengths checks that the walk never panics nor loops, and that
// whatever it accepts the decoder handles without failing on length.
func FuzzCheckLengths(f *testing.F) {
	for _, v := range []any{sample{Name: "a", Tags: []string{"b"}}, []any{1, "x", nil}, map[string]int{"k": 1}} {
		data, _ := msgpack.Marshal(v)
		f.Add(data)
	}
	f.Add([]byte{0xdd, 0x7f, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		if checkLengths(data) != nil {
			return
		}
		var v any
		_ = msgpack.Unmarshal(data, &v) // must not panic or allocate wildly
		var s sample
		_ = (Codec{}).Unmarshal(data, &s)
	})
}
