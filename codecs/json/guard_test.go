package json

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"net"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/memogen/memogen/runtime/store"
)

// bigElem is an element type large enough to make a few bytes of JSON
// costly.
type bigElem struct{ A [64]int64 }

// unlimited leaves the guard only depth and fit to check.
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
	embedded struct {
		Inner string
		Deep  []int
	}
	Promoted struct{ Up map[string]int }
	record   struct {
		embedded
		*Promoted
		ID      int64    `json:"id"`
		Name    string   `json:"name,omitempty"`
		Count   int      `json:"count,string"`
		Ratio   float64  `json:",string"`
		Tags    []string `json:"tags"`
		Scores  map[string]float64
		ByID    map[int]string
		Blob    []byte
		When    time.Time
		Stamp   *time.Time
		Next    *record
		Any     any
		Raw     json.RawMessage
		Num     json.Number
		Big     *big.Int
		IP      net.IP
		Grid    [2][2]int
		Skipped []bigElem `json:"-"`
		//lint:ignore U1000 unexported on purpose: the code under test must see it
		internal int
	}
)

func sampleRecord() record {
	when := time.Date(2024, 2, 29, 13, 14, 15, 123456789, time.FixedZone("CET", 3600))
	return record{
		embedded: embedded{Inner: "in", Deep: []int{1, 2}},
		Promoted: &Promoted{Up: map[string]int{"u": 1}},
		ID:       -42, Name: "Ada <λ> & \"quotes\"\n\u2028", Count: 7, Ratio: 0.25,
		Tags:   []string{"a", "", "ünï"},
		Scores: map[string]float64{"go": 9.5, "": -1e300},
		ByID:   map[int]string{-1: "x", 1 << 40: "y"},
		Blob:   []byte{0, 1, 2, 0xff}, When: when, Stamp: &when,
		Next: &record{ID: 1, Any: []any{1.5, "s", nil, true, map[string]any{"k": []any{}}}},
		Any:  map[string]any{"n": 1.0, "l": []any{"x", map[string]any{}}},
		Raw:  json.RawMessage(`{"raw":[1,2,{"x":null}]}`), Num: "12.5e3",
		Big: new(big.Int).Lsh(big.NewInt(3), 200), IP: net.ParseIP("2001:db8::1"),
		Grid: [2][2]int{{1, 2}, {3, 4}},
	}
}

// honest are values such as programs store, each decoded into a new value
// of its own type.
func honest() []any {
	r := sampleRecord()
	return []any{
		r, &r, []record{r, {}}, map[string]record{"a": r}, []any{r}, "text", 1.5, true, nil,
		[]int{}, make([]int, 1000), []*int{nil}, map[string][]int{"a": {1}}, []byte("bytes"),
		strings.Repeat("x", 70000), [3]string{"a", "b", "c"}, time.Now(), map[int64]bool{1: true},
		[]map[string]any{{"a": []any{1.0, "b"}}}, struct{ A, B *int }{}, []float32{1.5, -2},
		map[uint8]int8{255: -128}, [][]string{{"a"}, nil, {}},
	}
}

func TestGuardAcceptsWhatJSONWrites(t *testing.T) {
	for _, v := range honest() {
		data, err := Codec{}.Marshal(v)
		if err != nil {
			t.Fatalf("Marshal(%T): %v", v, err)
		}
		typ := reflect.TypeOf(&v).Elem()
		if v != nil {
			typ = reflect.TypeOf(v)
		}
		got, want := reflect.New(typ), reflect.New(typ)
		if err := (Codec{}).UnmarshalLimited(data, got.Interface(), unlimited); err != nil {
			t.Errorf("UnmarshalLimited(Marshal(%T)) = %v; want nil", v, err)
			continue
		}
		if err := json.Unmarshal(data, want.Interface()); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Interface(), want.Interface()) {
			t.Errorf("UnmarshalLimited(Marshal(%T)) = %+v; want %+v as json.Unmarshal decodes it", v, got.Elem(), want.Elem())
		}
	}
}

// TestGuardAcceptsOtherJSON reads JSON written by hand, with white space,
// escapes, exponents and case-folded field names, as encoding/json does.
func TestGuardAcceptsOtherJSON(t *testing.T) {
	cases := []struct {
		data   string
		target func() any
	}{
		{" \t\n{ \"ID\" : 1 , \"NAME\":\"\\u0041\\ud83d\\ude00\\n\" ,\"tags\":[ ] , \"unknown\": {\"x\":[1,{}]}}\r\n", func() any { return new(record) }},
		{`{"count":"12","ratio":"1e-3","Blob":"AAEC","Grid":[[1,2],[3,4],[5,6]],"Raw":  [1, 2 ]}`, func() any { return new(record) }},
		{`[1e3, -0.5E-2, 0, -0, 123456789012345678901234567890]`, func() any { return new([]float64) }},
		{`[1, 2, 3]`, func() any { return new([]byte) }},
		{`{"\u0069\u0064": 5, "Ínner": "folded"}`, func() any { return new(record) }},
		{`"2024-01-02T03:04:05Z"`, func() any { return new(time.Time) }},
		{`{"1":"a","-2":"b"}`, func() any { return new(map[int8]string) }},
		{`null`, func() any { return new([]bigElem) }},
		{`[null, {"A":[1]}]`, func() any { return new([]*bigElem) }},
		{`"\ud800 lone surrogate, and \u00e9"`, func() any { return new(any) }},
	}
	for _, c := range cases {
		got, want := c.target(), c.target()
		werr := json.Unmarshal([]byte(c.data), want)
		if werr != nil {
			t.Fatalf("json.Unmarshal(%s) = %v; the case must be valid", c.data, werr)
		}
		if err := (Codec{}).UnmarshalLimited([]byte(c.data), got, unlimited); err != nil {
			t.Errorf("UnmarshalLimited(%s, %T) = %v; want nil", c.data, got, err)
		} else if !reflect.DeepEqual(got, want) {
			t.Errorf("UnmarshalLimited(%s, %T) = %+v; want %+v", c.data, got, got, want)
		}
	}
}

// Values that do not fit their target are refused before decoding: the
// decoder would report them only after decoding the rest, allocating an
// error for each.
func TestGuardRefusesWhatDoesNotFit(t *testing.T) {
	cases := []struct {
		data   string
		target any
	}{
		{`[1.5]`, new([]int)}, {`[-1]`, new([]uint)}, {`[300]`, new([]int8)}, {`["1"]`, new([]int)},
		{`[true]`, new([]string)}, {`{}`, new([]int)}, {`[]`, new(map[string]int)}, {`[1e999]`, new([]float64)},
		{`{"x":1}`, new(map[int]int)}, {`{"256":1}`, new(map[uint8]int)}, {`[1]`, new([]time.Time)}, {`{"count":5}`, new(record)},
		{`[1,]`, new([]int)}, {`[1 2]`, new([]int)}, {`{"a" 1}`, new(map[string]int)}, {`[1]x`, new([]int)},
		{`"unterminated`, new(string)}, {``, new(any)}, {`[`, new([]any)}, {`{"a":}`, new(any)}, {`nul`, new(*int)},
		{`{"a":1}`, new(error)}, {`[1e999]`, new(any)}, {`[1]`, new(chan int)},
	}
	for _, c := range cases {
		if err := (Codec{}).UnmarshalLimited([]byte(c.data), c.target, unlimited); err == nil {
			t.Errorf("UnmarshalLimited(%s, %T) = nil; want an error", c.data, c.target)
		}
	}
}

// repeat returns open, n copies of elem joined by commas, and close.
func repeat(open string, n int, elem, close string) []byte {
	var b bytes.Buffer
	b.WriteString(open)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strings.ReplaceAll(elem, "#", strconv.Itoa(i)))
	}
	b.WriteString(close)
	return b.Bytes()
}

// nested returns n arrays or objects, each the only element of the one
// before.
func nested(n int, object bool) []byte {
	open, close := "[", "]"
	if object {
		open, close = `{"a":`, "}"
	}
	return []byte(strings.Repeat(open, n) + "null" + strings.Repeat(close, n))
}

type withItems struct {
	Skipped int `json:"-"`
	Items   []bigElem
}

// bombs are entries of a few tens of kilobytes that, unguarded, make
// encoding/json allocate hundreds of times their size.
var bombs = []struct {
	name   string
	data   []byte
	target func() any
}{
	{"nulls into []big", repeat("[", 8000, "null", "]"), func() any { return new([]bigElem) }},
	{"empty objects into []*big", repeat("[", 8000, "{}", "]"), func() any { return new([]*bigElem) }},
	{"empty objects into []map[string]int", repeat("[", 8000, "{}", "]"), func() any { return new([]map[string]int) }},
	{"empty objects into any", repeat("[", 8000, "{}", "]"), func() any { return new(any) }},
	{"empty arrays into any", repeat("[", 8000, "[]", "]"), func() any { return new(any) }},
	{"arrays of nulls into [][]big", repeat("[", 1000, "[null,null,null,null,null,null,null,null]", "]"), func() any { return new([][]bigElem) }},
	{"map of nulls into map[string]big", repeat("{", 3000, `"#":null`, "}"), func() any { return new(map[string]bigElem) }},
	{"escaped field name into struct", append(append([]byte(`{"\u0049tems":`), repeat("[", 8000, "null", "]")...), '}'), func() any { return new(withItems) }},
	{"case-folded field name", append(append([]byte(`{"iTEMS":`), repeat("[", 8000, "null", "]")...), '}'), func() any { return new(withItems) }},
	{"nested objects into any", nested(9000, true), func() any { return new(any) }},
	{"nested arrays into any", nested(9000, false), func() any { return new(any) }},
}

// Unguarded, each bomb allocates far more than its size; the guard charges
// at least what decoding allocates, and refuses it first.
func TestGuardChargesWhatDecodingAllocates(t *testing.T) {
	for _, b := range bombs {
		target := b.target()
		charged, err := guard(b.data, topShape(reflect.TypeOf(target)), unlimited.MaxAlloc)
		if err != nil {
			t.Errorf("%s: guard = %v; want the bomb accepted without a budget", b.name, err)
			continue
		}
		_ = json.Unmarshal(b.data, b.target()) // warm encoding/json's caches
		got := allocated(func() {
			if err := json.Unmarshal(b.data, target); err != nil {
				t.Errorf("%s: json.Unmarshal = %v; want nil", b.name, err)
			}
		})
		t.Logf("%s: %d bytes decode to %d bytes allocated (%.0f×); the guard charged %d", b.name, len(b.data), got, float64(got)/float64(len(b.data)), charged)
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
		if !errors.Is(err, store.ErrTooLarge) {
			t.Errorf("%s: UnmarshalLimited = %v; want store.ErrTooLarge", b.name, err)
		}
		if got > 16<<10 {
			t.Errorf("%s: refusing the bomb allocated %d bytes; want it refused before decoding", b.name, got)
		}
	}
}

// The honest values cost what the guard charges them, or less.
func TestGuardChargesHonestValues(t *testing.T) {
	for _, v := range honest() {
		data, err := Codec{}.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		typ := reflect.TypeOf(&v).Elem()
		if v != nil {
			typ = reflect.TypeOf(v)
		}
		charged, err := guard(data, topShape(reflect.PointerTo(typ)), unlimited.MaxAlloc)
		if err != nil {
			t.Fatalf("guard(Marshal(%T)) = %v", v, err)
		}
		_ = json.Unmarshal(data, reflect.New(typ).Interface())
		target := reflect.New(typ).Interface()
		got := allocated(func() { _ = json.Unmarshal(data, target) })
		if got > uint64(charged) {
			t.Errorf("decoding %T (%d bytes) allocated %d bytes; the guard charged %d", v, len(data), got, charged)
		}
	}
}

func TestGuardDepth(t *testing.T) {
	var v any
	if err := (Codec{}).UnmarshalLimited(nested(maxDepth+1, false), &v, unlimited); !errors.Is(err, errTooDeep) {
		t.Errorf("UnmarshalLimited of %d nested arrays = %v; want errTooDeep", maxDepth+1, err)
	}
	if err := (Codec{}).UnmarshalLimited(nested(maxDepth, false), &v, unlimited); err != nil {
		t.Errorf("UnmarshalLimited of %d nested arrays = %v; want nil", maxDepth, err)
	}
}

// Every name the guard gives a field is one encoding/json decodes into
// that field, and the names it does not know the decoder ignores.
func TestFieldsMatchTheDecoder(t *testing.T) {
	s := shapeOf(reflect.TypeFor[record]())
	for name, f := range s.fields {
		zero := reflect.New(reflect.TypeFor[record]()).Elem()
		probe := []byte(`{"` + name + `":null}`)
		switch f.shape.kind {
		case kindString, kindNumber:
			probe = []byte(`{"` + name + `":"7"}`)
		case kindInt, kindFloat:
			probe = []byte(`{"` + name + `":7}`)
		case kindSlice, kindBytes:
			probe = []byte(`{"` + name + `":[]}`)
		case kindArray:
			probe = []byte(`{"` + name + `":[[1]]}`)
		case kindText:
			probe = []byte(`{"` + name + `":"1.2.3.4"}`)
		case kindMap:
			probe = []byte(`{"` + name + `":{}}`)
		}
		if f.quoted {
			probe = []byte(`{"` + name + `":"7"}`)
		}
		got := reflect.New(reflect.TypeFor[record]())
		if err := json.Unmarshal(probe, got.Interface()); err != nil {
			t.Errorf("the guard knows field %q; json.Unmarshal(%s) = %v", name, probe, err)
			continue
		}
		if f.shape.kind != kindPtr && f.shape.kind != kindAny && f.shape.kind != kindOpaque && reflect.DeepEqual(got.Elem().Interface(), zero.Interface()) {
			t.Errorf("the guard knows field %q; json.Unmarshal(%s) set nothing", name, probe)
		}
	}
	for _, name := range []string{"Skipped", "internal", "embedded", "Promoted", "Count", "Name"} {
		if _, ok := s.fields[name]; ok {
			t.Errorf("the guard knows field %q, which encoding/json does not decode by that name", name)
		}
	}
	for _, name := range []string{"Inner", "Deep", "Up", "count", "Ratio", "id"} {
		if _, ok := s.fields[name]; !ok {
			t.Errorf("the guard does not know field %q", name)
		}
	}
	if f := s.fields["Up"]; f == nil || f.alloc == 0 {
		t.Errorf("field Up behind the nil *Promoted charges nothing to allocate it")
	}
}

// FuzzJSONGuard checks that the guard never panics nor loops, and that
// whatever it accepts encoding/json decodes within what it was charged.
func FuzzJSONGuard(f *testing.F) {
	for _, v := range honest()[:8] {
		data, _ := Codec{}.Marshal(v)
		f.Add(data)
	}
	for _, b := range bombs {
		f.Add(b.data[:min(len(b.data), 64)])
	}
	targets := []func() any{
		func() any { return new(record) },
		func() any { return new(any) },
		func() any { return new([]bigElem) },
		func() any { return new(map[string][]*bigElem) },
		func() any { return new([][]string) },
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, target := range targets {
			v := target()
			charged, err := guard(data, topShape(reflect.TypeOf(v)), 1<<30)
			if err != nil {
				continue
			}
			got := allocated(func() { _ = json.Unmarshal(data, v) })
			// The slack covers what the fuzzing engine allocates meanwhile.
			if got > uint64(charged)+16<<10 {
				t.Fatalf("decoding %q into %T allocated %d bytes; the guard charged %d", data, v, got, charged)
			}
		}
	})
}
