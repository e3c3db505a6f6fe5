package msgpack

import (
	"encoding/binary"
	"errors"
	"math"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/memogen/memogen/runtime/store"
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
	Grid    [3][2]int
	Raw     [4]byte
	Stamp   *time.Time
}

// big is an element type large enough to make one byte of data costly.
type big struct{ A [64]int64 }

// unlimited leaves the guard only lengths and depth to check.
var unlimited = store.Limits{MaxBytes: math.MaxInt32, MaxAlloc: math.MaxInt64 / 8}

// allocated returns the bytes f allocates on the heap.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// array32 returns an array32 header declaring n elements, followed by n
// copies of elem.
func array32(n int, elem ...byte) []byte {
	b := binary.BigEndian.AppendUint32([]byte{0xdd}, uint32(n))
	for range n {
		b = append(b, elem...)
	}
	return b
}

func TestGuardAcceptsWhatMsgpackWrites(t *testing.T) {
	t.Parallel()
	when := time.Unix(1700000000, 5)
	values := []any{
		nil, true, false, 0, -1, -33, 127, 128, 255, 256, 65535, 65536, math.MaxInt64, math.MinInt64,
		uint64(math.MaxUint64), float32(1.5), 2.5, "", "short", strings.Repeat("x", 40),
		strings.Repeat("y", 300), strings.Repeat("z", 70000), []byte{}, []byte("bin"),
		make([]byte, 300), make([]byte, 70000), []int{}, make([]int, 20), make([]int, 70000),
		map[string]int{}, map[string]int{"a": 1}, map[int][]string{1: {"x"}}, time.Unix(1700000000, 5),
		[]big{{}, {}}, []*big{nil, {}}, map[string]any{"k": []any{1, "x", map[string]any{}}},
		sample{
			Name: "n", Tags: []string{"a", "b"}, Counts: map[string]int64{"x": 1 << 40},
			Ratio: math.NaN(), Small: -0, Blob: []byte{1, 2}, When: time.Unix(0, 0),
			Nested:  &sample{Name: "inner", Stamp: &when},
			Numbers: []any{int8(-5), uint16(300), int32(-70000), "s", nil, []any{map[string]any{}}},
			Grid:    [3][2]int{{1, 2}, {3, 4}, {5, 6}}, Raw: [4]byte{1, 2, 3, 4},
		},
	}
	for _, v := range values {
		data, err := Codec{}.Marshal(v)
		if err != nil {
			t.Fatalf("Marshal(%T): %v", v, err)
		}
		target := reflect.New(reflect.TypeOf(&v).Elem())
		if v != nil {
			target = reflect.New(reflect.TypeOf(v))
		}
		if err := (Codec{}).UnmarshalLimited(data, target.Interface(), unlimited); err != nil {
			t.Errorf("UnmarshalLimited(Marshal(%T)) = %v; want nil", v, err)
		}
	}
}

func TestGuardRejectsImpossibleLengths(t *testing.T) {
	t.Parallel()
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
		for _, target := range []any{new(any), new(sample), new([]big), new(map[string]any)} {
			if err := (Codec{}).UnmarshalLimited(data, target, unlimited); err == nil {
				t.Errorf("UnmarshalLimited(%s % x, %T) = nil; want an error", name, data, target)
			}
		}
	}
}

// bombs are entries of a few kilobytes that, unguarded, make the decoder
// allocate hundreds of times their size.
var bombs = []struct {
	name   string
	data   []byte
	target func() any
}{
	{"nils into []big", array32(8000, 0xc0), func() any { return new([]big) }},
	{"empty maps into []*big", array32(8000, 0x80), func() any { return new([]*big) }},
	{"empty maps into []any", array32(8000, 0x80), func() any { return new([]any) }},
	{"empty maps into any", array32(8000, 0x80), func() any { return new(any) }},
	{"empty arrays into any", array32(8000, 0x90), func() any { return new(any) }},
	{"empty maps into []map[int]big", array32(8000, 0x80), func() any { return new([]map[int]big) }},
	{"arrays of nils into [][]big", array32(1000, append([]byte{0x9f}, make15(0xc0)...)...), func() any { return new([][]big) }},
	{"ext-wrapped map into map[string][]big", append([]byte{0xc7, 0x01, 0x05, 0x81, 0xa0}, array32(8000, 0xc0)...), func() any { return new(map[string][]big) }},
	{"nested arrays into any", nested(9000), func() any { return new(any) }},
}

func make15(b byte) []byte {
	out := make([]byte, 15)
	for i := range out {
		out[i] = b
	}
	return out
}

// nested returns n arrays, each the only element of the one before.
func nested(n int) []byte {
	b := make([]byte, n, n+1)
	for i := range b {
		b[i] = 0x91
	}
	return append(b, 0xc0)
}

// Unguarded, each bomb allocates far more than its budget; the guard
// charges at least what decoding allocates, and refuses it first.
func TestGuardChargesWhatDecodingAllocates(t *testing.T) {
	for _, b := range bombs {
		target := b.target()
		charged, err := guard(b.data, shapeOf(reflect.TypeOf(target).Elem()), unlimited.MaxAlloc, new(zoneMemo))
		if err != nil {
			t.Errorf("%s: guard = %v; want the bomb accepted without a budget", b.name, err)
			continue
		}
		_ = (Codec{}).UnmarshalLimited(b.data, b.target(), unlimited) // warm the decoder pool
		got := allocated(func() {
			if err := (Codec{}).UnmarshalLimited(b.data, target, unlimited); err != nil {
				t.Errorf("%s: UnmarshalLimited = %v; want nil", b.name, err)
			}
		})
		if got > uint64(charged) {
			t.Errorf("%s: decoding %d bytes allocated %d bytes; the guard charged %d", b.name, len(b.data), got, charged)
		}
		if got < 20*uint64(len(b.data)) {
			t.Errorf("%s: decoding %d bytes allocated %d bytes; want a bomb, 20 times its size at least", b.name, len(b.data), got)
		}
	}
}

func TestUnmarshalLimitedRefusesBombs(t *testing.T) {
	lim := store.Limits{MaxBytes: 16 << 10, MaxAlloc: store.DecodeAllocFactor * 16 << 10}
	for _, b := range bombs {
		var err error
		got := allocated(func() { err = (Codec{}).UnmarshalLimited(b.data, b.target(), lim) })
		if !errors.Is(err, store.ErrTooLarge) && !errors.Is(err, errTooDeep) {
			t.Errorf("%s: UnmarshalLimited = %v; want store.ErrTooLarge", b.name, err)
		}
		if got > 16<<10 {
			t.Errorf("%s: refusing the bomb allocated %d bytes; want it refused before decoding", b.name, got)
		}
	}
}

func TestUnmarshalRejectsHugeDeclaredLengthWithoutAllocating(t *testing.T) {
	var out []int64
	got := allocated(func() {
		if err := (Codec{}).Unmarshal([]byte{0xdd, 0x7f, 0xff, 0xff, 0xff}, &out); err == nil {
			t.Fatal("Unmarshal of an array declaring 2^31 elements in 5 bytes succeeded")
		}
	})
	if got > 1<<20 {
		t.Errorf("Unmarshal of a hostile 5-byte header allocated %d bytes; want it rejected before decoding", got)
	}
}

func TestGuardDepth(t *testing.T) {
	t.Parallel()
	var v any
	if err := (Codec{}).UnmarshalLimited(nested(maxDepth+1), &v, unlimited); !errors.Is(err, errTooDeep) {
		t.Errorf("UnmarshalLimited of %d nested arrays = %v; want errTooDeep", maxDepth+1, err)
	}
	if err := (Codec{}).UnmarshalLimited(nested(maxDepth-2), &v, unlimited); err != nil {
		t.Errorf("UnmarshalLimited of %d nested arrays = %v; want nil", maxDepth-2, err)
	}
}

// Embedded, tagged and aliased fields: the guard names them as msgpack
// does, or it would refuse honest entries, or charge a key for the wrong
// field.
type (
	inner struct {
		In   []big
		Name string
	}
	// InnerPtr is exported: msgpack cannot set an embedded pointer
	// to an unexported type.
	InnerPtr struct{ Deep []int }
	custom   struct{ X int }
	tagged   struct {
		inner
		*InnerPtr
		Renamed  []string `msgpack:"r,alias:old"`
		Skipped  []big    `msgpack:"-"`
		Kept     custom   `msgpack:",noinline"`
		Inlined  inner2   `msgpack:",inline"`
		Shadowed struct{ Name []byte }
		hidden   int
		Stamp    time.Time
	}
	inner2 struct{ I2 int }
)

func (c *custom) UnmarshalMsgpack(b []byte) error { return msgpack.Unmarshal(b, &c.X) }
func (c custom) MarshalMsgpack() ([]byte, error)  { return msgpack.Marshal(c.X) }

func TestFieldsMatchTheDecoder(t *testing.T) {
	t.Parallel()
	v := tagged{
		inner: inner{In: []big{{}}, Name: "n"}, InnerPtr: &InnerPtr{Deep: []int{1}},
		Renamed: []string{"a"}, Kept: custom{3}, Inlined: inner2{4}, Stamp: time.Unix(5, 6),
	}
	v.Shadowed.Name = []byte("s")
	v.hidden = 1
	data, err := Codec{}.Marshal(&v)
	if err != nil {
		t.Fatal(err)
	}
	var got tagged
	if err := (Codec{}).UnmarshalLimited(data, &got, unlimited); err != nil {
		t.Fatalf("UnmarshalLimited(Marshal(tagged)) = %v; want nil", err)
	}
	s := shapeOf(reflect.TypeFor[tagged]())
	for name, fi := range msgpackFields(reflect.TypeFor[tagged]()).byName {
		// The decoder, told to refuse unknown fields, accepts every name
		// the guard knows, with a value of the type the guard gives it.
		zero, err := msgpack.Marshal(reflect.New(fi.typ).Interface())
		if err != nil {
			t.Fatal(err)
		}
		one, _ := msgpack.Marshal(map[string]msgpack.RawMessage{name: zero})
		dec := msgpack.NewDecoder(strings.NewReader(string(one)))
		dec.DisallowUnknownFields(true)
		var probe tagged
		if err := dec.Decode(&probe); err != nil {
			t.Errorf("the guard knows field %q, msgpack does not: %v", name, err)
		}
	}
	for _, name := range []string{"Skipped", "hidden", "Renamed"} {
		if _, ok := s.fields[name]; ok {
			t.Errorf("the guard knows field %q, which msgpack does not decode", name)
		}
	}
	for name, kind := range map[string]shapeKind{"In": kindSlice, "Deep": kindSlice, "old": kindSlice, "Kept": kindOpaque, "Inlined": kindStruct, "Name": kindString, "Stamp": kindOpaque} {
		if f, ok := s.fields[name]; !ok || f.shape.kind != kind {
			t.Errorf("field %q: %v; want kind %d", name, f, kind)
		}
	}
	if f := s.fields["Deep"]; f == nil || f.alloc == 0 {
		t.Errorf("field Deep behind the nil *InnerPtr charges nothing to allocate it")
	}
	if _, ok := s.fields["I2"]; ok {
		t.Errorf("the guard inlines the fields of Inlined, which is not embedded")
	}
}

// FuzzGuard checks that the guard never panics nor loops, and that
// whatever it accepts the decoder decodes within what it was charged.
func FuzzGuard(f *testing.F) {
	for _, v := range []any{sample{Name: "a", Tags: []string{"b"}}, []any{1, "x", nil}, map[string]int{"k": 1}} {
		data, _ := Codec{}.Marshal(v)
		f.Add(data)
	}
	for _, b := range bombs {
		f.Add(b.data[:min(len(b.data), 64)])
	}
	targets := []func() any{
		func() any { return new(sample) },
		func() any { return new(any) },
		func() any { return new([]big) },
		func() any { return new(map[string][]*big) },
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, target := range targets {
			v := target()
			charged, err := guard(data, shapeOf(reflect.TypeOf(v).Elem()), 1<<30, new(zoneMemo))
			if err != nil {
				continue
			}
			got := allocated(func() { _ = (Codec{}).UnmarshalLimited(data, v, unlimited) })
			// The slack covers a decoder the pool had dropped.
			if got > uint64(charged)+16<<10 {
				t.Fatalf("decoding % x into %T allocated %d bytes; the guard charged %d", data, v, got, charged)
			}
		}
	})
}
