package gob

import (
	"bytes"
	"encoding/gob"
	"errors"
	"math"
	"math/big"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/memogen/memogen/codecs/internal/alloc"
	"github.com/memogen/memogen/runtime/store"
)

// bigElem is an element type that a byte of gob makes costly: its zero
// value, 512 bytes, is an empty struct on the wire.
type bigElem struct {
	F0, F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12, F13, F14, F15, F16, F17, F18, F19, F20, F21, F22, F23, F24, F25, F26, F27, F28, F29, F30, F31, F32, F33, F34, F35, F36, F37, F38, F39, F40, F41, F42, F43, F44, F45, F46, F47, F48, F49, F50, F51, F52, F53, F54, F55, F56, F57, F58, F59, F60, F61, F62, F63 int64
}

// unlimited leaves the guard only lengths, depth and fit to check.
var unlimited = store.Limits{MaxBytes: math.MaxInt32, MaxAlloc: math.MaxInt64 / 8}

// allocated returns the bytes f allocates on the heap.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

type (
	Inner struct {
		Deep []int
		Name string
	}
	record struct {
		Inner
		*Promoted
		ID     int64
		Name   string
		Email  *string
		Tags   []string
		Scores map[string]float64
		ByID   map[int][]*Inner
		Blob   []byte
		When   time.Time
		Stamp  *time.Time
		Next   *record
		Any    any
		Big    *big.Int
		Grid   [2][2]int
		Ratio  float32
		Cplx   complex128
		Flag   bool
		Small  int8
		//lint:ignore U1000 unexported on purpose: the code under test must see it
		private int
	}
	Promoted struct{ Up map[string]int }
	holder   struct {
		Items []bigElem
		Name  string
	}
	chain struct{ Next *chain }
)

func init() {
	gob.Register(holder{})
	gob.Register(Inner{})
	gob.Register([]any{})
	gob.Register(map[string]any{})
}

func sampleRecord() record {
	when := time.Date(2024, 2, 29, 13, 14, 15, 123456789, time.FixedZone("CET", 3600))
	email := "ada@example.com"
	return record{
		Inner:    Inner{Deep: []int{1, 2}, Name: "inner"},
		Promoted: &Promoted{Up: map[string]int{"u": 1}},
		ID:       -42, Name: "Ada", Email: &email, Tags: []string{"a", "", "ünï"},
		Scores: map[string]float64{"go": 9.5}, ByID: map[int][]*Inner{7: {{Name: "x"}, {}}},
		Blob: []byte{0, 1, 2}, When: when, Stamp: &when,
		Next: &record{ID: 1, Any: Inner{Name: "in an interface"}},
		Any:  []any{1, "s", map[string]any{"k": 2.5}, holder{Items: make([]bigElem, 3)}},
		Big:  new(big.Int).Lsh(big.NewInt(3), 200), Grid: [2][2]int{{1, 2}, {3, 4}},
		Ratio: 1.5, Cplx: 1 + 2i, Flag: true, Small: -3,
	}
}

// honest are values such as programs store.
func honest() []any {
	r := sampleRecord()
	var iface any = holder{Items: make([]bigElem, 2), Name: "h"}
	return []any{
		r, &r, []record{r, {}}, map[string]record{"a": r}, "text", 1.5, true, []int{}, make([]int, 1000),
		map[string][]int{"a": {1}}, []byte("bytes"), [3]string{"a", "b", "c"}, time.Now(),
		map[int64]bool{1: true}, [][]string{{"a"}, nil, {}}, &iface, big.NewInt(-99),
		[]*Inner{{Name: "p"}}, make([]bigElem, 3), rects(60), []Shape{Rect{1, 2}, Circle{3}},
	}
}

// rects returns n Rects in a []any: a value that spans messages.
func rects(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = Rect{W: float64(i), H: 1}
	}
	return out
}

// encode returns the gob stream the codec writes for v.
func encode(t testing.TB, v any) []byte {
	t.Helper()
	data, err := Codec{}.Marshal(v)
	if err != nil {
		t.Fatalf("Marshal(%T): %v", v, err)
	}
	return data
}

// targetOf returns a new pointer to a value of v's type; for a pointer to
// an interface, to the interface.
func targetOf(v any) reflect.Value {
	t := reflect.TypeOf(v)
	if t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Interface {
		t = t.Elem()
	}
	return reflect.New(t)
}

func TestGuardAcceptsWhatGobWrites(t *testing.T) {
	for _, v := range honest() {
		data := encode(t, v)
		got, want := targetOf(v), targetOf(v)
		if err := (Codec{}).UnmarshalLimited(data, got.Interface(), unlimited); err != nil {
			t.Errorf("UnmarshalLimited(Marshal(%T)) = %v; want nil", v, err)
			continue
		}
		if err := gob.NewDecoder(bytes.NewReader(data)).Decode(want.Interface()); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Interface(), want.Interface()) {
			t.Errorf("UnmarshalLimited(Marshal(%T)) = %+v; want %+v as gob decodes it", v, got.Elem(), want.Elem())
		}
	}
}

// The honest values cost what the guard charges them, or less.
func TestGuardChargesHonestValues(t *testing.T) {
	for _, v := range honest() {
		data := encode(t, v)
		target := targetOf(v)
		charged, err := guard(data, shapeOf(target.Type().Elem()), unlimited.MaxAlloc)
		if err != nil {
			t.Fatalf("guard(Marshal(%T)) = %v", v, err)
		}
		decode := func(into any) { _ = gob.NewDecoder(bytes.NewReader(data)).Decode(into) }
		decode(targetOf(v).Interface())
		got := allocated(func() { decode(target.Interface()) })
		if got > uint64(charged) {
			t.Errorf("decoding %T (%d bytes) allocated %d bytes; the guard charged %d", v, len(data), got, charged)
		}
	}
}

// gobUint appends x as gob writes an unsigned integer.
func gobUint(b []byte, x uint64) []byte {
	if x < 0x80 {
		return append(b, byte(x))
	}
	var be [8]byte
	n := 8
	for v := x; v > 0; v >>= 8 {
		n--
		be[n] = byte(v)
	}
	return append(append(b, byte(-(8-n))), be[n:]...)
}

// gobInt appends i as gob writes a signed integer.
func gobInt(b []byte, i int64) []byte {
	if i < 0 {
		return gobUint(b, uint64(^i<<1)|1)
	}
	return gobUint(b, uint64(i<<1))
}

// messages splits a gob stream into its messages.
func messages(t testing.TB, data []byte) [][]byte {
	var out [][]byte
	for len(data) > 0 {
		w := walker{stream: data, b: alloc.New("gob", math.MaxInt64/8)}
		if err := w.message(); err != nil {
			t.Fatal(err)
		}
		out = append(out, w.buf)
		data = w.stream
	}
	return out
}

// withValue returns the stream v encodes to, its value message replaced
// by the value's type id followed by value.
func withValue(t testing.TB, v any, value ...byte) []byte {
	msgs := messages(t, encode(t, v))
	var out []byte
	for _, m := range msgs[:len(msgs)-1] {
		out = append(gobUint(out, uint64(len(m))), m...)
	}
	w := walker{buf: msgs[len(msgs)-1]}
	id, err := w.typeID()
	if err != nil {
		t.Fatal(err)
	}
	last := append(gobInt(nil, int64(id)), value...)
	return append(gobUint(out, uint64(len(last))), last...)
}

// bomb is an entry of a few kilobytes that, unguarded, makes encoding/gob
// allocate hundreds of times its size.
type bomb struct {
	name   string
	data   []byte
	target func() any
}

func bombs(t testing.TB) []bomb {
	var wrapped any = holder{Items: make([]bigElem, 8000)}
	var nestedAny any = []any{holder{Items: make([]bigElem, 4000)}, []any{holder{Items: make([]bigElem, 4000)}}}
	manyBig := make(map[int32]bigElem, 4000)
	for i := range int32(4000) {
		manyBig[i] = bigElem{}
	}
	return []bomb{
		{"zero structs into []big", encode(t, make([]bigElem, 8000)), func() any { return new([]bigElem) }},
		{"arrays of zero structs into [][16]big", encode(t, make([][16]bigElem, 500)), func() any { return new([][16]bigElem) }},
		{"slices of zero structs into [][]big", encode(t, repeatSlices(1000, 8)), func() any { return new([][]bigElem) }},
		{"map of zero structs into map[int32]big", encode(t, manyBig), func() any { return new(map[int32]bigElem) }},
		{"interface holding zero structs", encode(t, &wrapped), func() any { return new(any) }},
		{"nested interfaces holding zero structs", encode(t, &nestedAny), func() any { return new(any) }},
		{"map declaring 2^20 entries", withValue(t, map[int]int8{1: 1}, append(gobUint([]byte{0}, 1<<20), 2, 2)...), func() any { return new(map[int]int8) }},
		{"slice declaring 2^30 elements", withValue(t, []int64{1}, append(gobUint([]byte{0}, 1<<30), 2)...), func() any { return new([]int64) }},
		{"message declaring 8 MiB", gobUint(nil, 8<<20), func() any { return new([]int64) }},
		{"type declaring 2^28 fields", typeWithFields(1 << 28), func() any { return new(record) }},
	}
}

// repeatSlices returns n slices of m zero bigs.
func repeatSlices(n, m int) [][]bigElem {
	out := make([][]bigElem, n)
	for i := range out {
		out[i] = make([]bigElem, m)
	}
	return out
}

// typeWithFields returns a stream defining a struct type of n fields, and
// nothing more.
func typeWithFields(n uint64) []byte {
	def := gobInt(nil, -65)
	def = append(def, 3, 2) // wireType.StructT, then structType.Field
	def = gobUint(def, n)
	return append(gobUint(nil, uint64(len(def))), def...)
}

// Unguarded, each bomb allocates far more than its size; the guard charges
// at least what decoding allocates, and refuses it first.
func TestGuardChargesWhatDecodingAllocates(t *testing.T) {
	for _, b := range bombs(t) {
		target := b.target()
		charged, gerr := guard(b.data, shapeOf(reflect.TypeOf(target).Elem()), unlimited.MaxAlloc)
		decode := func(into any) error { return gob.NewDecoder(bytes.NewReader(b.data)).Decode(into) }
		_ = decode(b.target())
		var derr error
		got := allocated(func() { derr = decode(target) })
		t.Logf("%s: %d bytes decode to %d bytes allocated (%.0f×); the guard charged %d, %v", b.name, len(b.data), got, float64(got)/float64(len(b.data)), charged, gerr)
		if gerr != nil {
			if derr == nil {
				t.Errorf("%s: guard = %v; gob decodes it", b.name, gerr)
			}
		} else if got > uint64(charged) {
			t.Errorf("%s: decoding %d bytes allocated %d bytes; the guard charged %d", b.name, len(b.data), got, charged)
		}
		if got < 20*uint64(len(b.data)) {
			t.Errorf("%s: decoding %d bytes allocated %d bytes; want a bomb, 20 times its size at least", b.name, len(b.data), got)
		}
	}
}

func TestUnmarshalLimitedRefusesBombs(t *testing.T) {
	lim := store.Limits{MaxBytes: 16 << 10, MaxAlloc: store.DecodeAllocFactor * 16 << 10}
	for _, b := range bombs(t) {
		var err error
		got := allocated(func() { err = (Codec{}).UnmarshalLimited(b.data, b.target(), lim) })
		if err == nil {
			t.Errorf("%s: UnmarshalLimited = nil; want an error", b.name)
		}
		if got > 32<<10 {
			t.Errorf("%s: refusing the bomb allocated %d bytes; want it refused before decoding", b.name, got)
		}
	}
}

func TestGuardDepth(t *testing.T) {
	deep := func(n int) *chain {
		var c *chain
		for range n {
			c = &chain{Next: c}
		}
		return c
	}
	var got *chain
	if err := (Codec{}).UnmarshalLimited(encode(t, deep(maxDepth+1)), &got, unlimited); !errors.Is(err, errTooDeep) {
		t.Errorf("UnmarshalLimited of %d nested structs = %v; want errTooDeep", maxDepth+1, err)
	}
	if err := (Codec{}).UnmarshalLimited(encode(t, deep(maxDepth/2)), &got, unlimited); err != nil {
		t.Errorf("UnmarshalLimited of %d nested structs = %v; want nil", maxDepth/2, err)
	}
}

// A field promoted through a nil embedded pointer makes encoding/gob's
// decoder panic, and the process with it; the guard refuses it.
func TestGuardRefusesFieldsBehindNilEmbeddedPointers(t *testing.T) {
	type wide struct{ Up map[string]int }
	data := encode(t, wide{Up: map[string]int{"a": 1}})
	var got record
	if err := (Codec{}).UnmarshalLimited(data, &got, unlimited); err == nil {
		t.Fatal("UnmarshalLimited of a field promoted through a nil pointer = nil; want an error")
	}
}

func TestGuardRejectsImpossibleLengths(t *testing.T) {
	cases := map[string][]byte{
		"empty":                 {},
		"message truncated":     {0x05, 0x01},
		"count too wide":        {0xf7},
		"string longer than it": withValue(t, "abc", 0, 0x7f, 'a'),
		"map count over bytes":  withValue(t, map[int]int8{1: 1}, 0, 3, 2, 2),
		"wrong type":            withValue(t, "abc", 0, 1),
		"undefined type":        append(gobUint(nil, 3), gobInt(nil, 99)[0], 0, 0),
	}
	for name, data := range cases {
		for _, target := range []any{new(any), new(record), new([]bigElem), new(map[int]int8), new(string)} {
			if err := (Codec{}).UnmarshalLimited(data, target, unlimited); err == nil {
				t.Errorf("UnmarshalLimited(%s % x, %T) = nil; want an error", name, data, target)
			}
		}
	}
}

// FuzzGobGuard checks that the guard never panics nor loops, and that
// whatever it accepts encoding/gob decodes within what it was charged.
func FuzzGobGuard(f *testing.F) {
	for _, v := range honest() {
		f.Add(encode(f, v))
	}
	for _, b := range bombs(f) {
		f.Add(b.data[:min(len(b.data), 256)])
	}
	targets := []func() any{
		func() any { return new(record) },
		func() any { return new(any) },
		func() any { return new([]bigElem) },
		func() any { return new(map[string][]*bigElem) },
		func() any { return new([][16]bigElem) },
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, target := range targets {
			v := target()
			charged, err := guard(data, shapeOf(reflect.TypeOf(v).Elem()), 1<<30)
			if err != nil {
				continue
			}
			var got uint64
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("decoding %q into %T, which the guard accepted, panicked: %v", data, v, r)
					}
				}()
				got = allocated(func() { _ = (Codec{}).UnmarshalLimited(data, v, unlimited) })
			}()
			// The slack covers what the fuzzing engine allocates meanwhile.
			if got > uint64(charged)+16<<10 {
				t.Fatalf("decoding %q into %T allocated %d bytes; the guard charged %d", data, v, got, charged)
			}
		}
	})
}
