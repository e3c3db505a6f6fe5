package runtime_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	memo "github.com/memogen/memogen/runtime"
)

// keyOf returns a copy of what write puts into a fresh KeyWriter.
func keyOf(write func(w *memo.KeyWriter)) []byte {
	var w memo.KeyWriter
	write(&w)
	return bytes.Clone(w.Bytes())
}

// hexKey is keyOf in hex, for tables that spell out exact bytes.
func hexKey(write func(w *memo.KeyWriter)) string { return hex.EncodeToString(keyOf(write)) }

// marshaler is an encoding.BinaryMarshaler with a fixed outcome.
type marshaler struct {
	data []byte
	err  error
}

func (m marshaler) MarshalBinary() ([]byte, error) { return m.data, m.err }

func TestKeyWriterEncodings(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		write func(w *memo.KeyWriter)
		want  string // hex
	}{
		{"Bool(false)", func(w *memo.KeyWriter) { w.Bool(false) }, "00"},
		{"Bool(true)", func(w *memo.KeyWriter) { w.Bool(true) }, "01"},
		{"Int(0)", func(w *memo.KeyWriter) { w.Int(0) }, "0000000000000000"},
		{"Int(1) is 8 bytes little endian", func(w *memo.KeyWriter) { w.Int(1) }, "0100000000000000"},
		{"Int(0x0102030405060708)", func(w *memo.KeyWriter) { w.Int(0x0102030405060708) }, "0807060504030201"},
		{"Int(-1)", func(w *memo.KeyWriter) { w.Int(-1) }, "ffffffffffffffff"},
		{"Int(MinInt64)", func(w *memo.KeyWriter) { w.Int(math.MinInt64) }, "0000000000000080"},
		{"Int of an int8 is 8 bytes too", func(w *memo.KeyWriter) { w.Int(int64(int8(-2))) }, "feffffffffffffff"},
		{"Uint(1)", func(w *memo.KeyWriter) { w.Uint(1) }, "0100000000000000"},
		{"Uint(MaxUint64)", func(w *memo.KeyWriter) { w.Uint(math.MaxUint64) }, "ffffffffffffffff"},
		{"Float(0)", func(w *memo.KeyWriter) { w.Float(0) }, "0000000000000000"},
		{"Float(-0)", func(w *memo.KeyWriter) { w.Float(math.Copysign(0, -1)) }, "0000000000000080"},
		{"Float(1)", func(w *memo.KeyWriter) { w.Float(1) }, "000000000000f03f"},
		{"Float(+Inf)", func(w *memo.KeyWriter) { w.Float(math.Inf(1)) }, "000000000000f07f"},
		{"Float(NaN) is the canonical NaN", func(w *memo.KeyWriter) { w.Float(math.NaN()) }, "010000000000f87f"},
		{"Float(-NaN) is the canonical NaN", func(w *memo.KeyWriter) { w.Float(math.Float64frombits(0xfff8000000000000)) }, "010000000000f87f"},
		{"Float(float32 NaN) is the canonical NaN", func(w *memo.KeyWriter) { w.Float(float64(float32(math.NaN()))) }, "010000000000f87f"},
		{"Float(float32(1.5))", func(w *memo.KeyWriter) { w.Float(float64(float32(1.5))) }, "000000000000f83f"},
		{"Complex(1-0i) is real then imaginary part", func(w *memo.KeyWriter) { w.Complex(complex(1, math.Copysign(0, -1))) }, "000000000000f03f" + "0000000000000080"},
		{"Length(0)", func(w *memo.KeyWriter) { w.Length(0) }, "00"},
		{"Length(127) is one varint byte", func(w *memo.KeyWriter) { w.Length(127) }, "7f"},
		{"Length(128) is two varint bytes", func(w *memo.KeyWriter) { w.Length(128) }, "8001"},
		{"Length(300)", func(w *memo.KeyWriter) { w.Length(300) }, "ac02"},
		{`Text("")`, func(w *memo.KeyWriter) { w.Text("") }, "00"},
		{`Text("go") is length-prefixed`, func(w *memo.KeyWriter) { w.Text("go") }, "02676f"},
		{`Text("é") counts bytes`, func(w *memo.KeyWriter) { w.Text("é") }, "02c3a9"},
		{"Blob(nil)", func(w *memo.KeyWriter) { w.Blob(nil) }, "00"},
		{"Blob([]byte{})", func(w *memo.KeyWriter) { w.Blob([]byte{}) }, "00"},
		{"Blob([]byte{1, 2})", func(w *memo.KeyWriter) { w.Blob([]byte{1, 2}) }, "020102"},
		{"Present(false)", func(w *memo.KeyWriter) { w.Present(false) }, "00"},
		{"Present(true) then the pointee", func(w *memo.KeyWriter) { w.Present(true); w.Int(7) }, "01" + "0700000000000000"},
		{
			"Time in UTC is Unix seconds, 4 bytes of nanoseconds, 0",
			func(w *memo.KeyWriter) { w.Time(time.Unix(1, 2).UTC()) },
			"0100000000000000" + "02000000" + "00",
		},
		{
			"the zero Time is in UTC",
			func(w *memo.KeyWriter) { w.Time(time.Time{}) },
			"00096e88f1ffffff" + "00000000" + "00", // -62135596800,
		},
		{
			"Time elsewhere is Unix seconds, nanoseconds, 1, location name, zone offset",
			func(w *memo.KeyWriter) { w.Time(time.Unix(1, 0).In(time.FixedZone("X", -3600))) },
			"0100000000000000" + "00000000" + "01" + "0158" + "f0f1ffffffffffff",
		},
		{"BinaryMarshaler writes its bytes as a blob", func(w *memo.KeyWriter) { w.BinaryMarshaler(marshaler{data: []byte("ab")}) }, "026162"},
		{"BeginMap(0) EndMap", func(w *memo.KeyWriter) { w.BeginMap(0); w.EndMap() }, "00"},
		{
			"BeginMap writes the count, then entries sorted by encoding",
			func(w *memo.KeyWriter) {
				w.BeginMap(2)
				w.MapEntry()
				w.Text("b")
				w.Bool(true)
				w.MapEntry()
				w.Text("a")
				w.Bool(false)
				w.EndMap()
			},
			"02" + "016100" + "016201",
		},
		{"values follow each other without separators", func(w *memo.KeyWriter) { w.Bool(true); w.Text("x"); w.Length(1) }, "01" + "0178" + "01"},
	}
	for _, tc := range cases {
		if got := hexKey(tc.write); got != tc.want {
			t.Errorf("%s: key = %s; want %s", tc.name, got, tc.want)
		}
	}
}

// writeMap writes m's entries in the given order, as generated code writes
// a map[string]int in whatever order range yields.
func writeMap(w *memo.KeyWriter, m map[string]int, order []string) {
	w.BeginMap(len(m))
	for _, k := range order {
		w.MapEntry()
		w.Text(k)
		w.Int(int64(m[k]))
	}
	w.EndMap()
}

// writeNested writes a map[string]map[string]int, visiting the outer keys
// in outer order and every inner map's keys reversed when reverseInner.
func writeNested(w *memo.KeyWriter, m map[string]map[string]int, outer []string, reverseInner bool) {
	w.BeginMap(len(m))
	for _, k := range outer {
		w.MapEntry()
		w.Text(k)
		inner := slices.Sorted(maps.Keys(m[k]))
		if reverseInner {
			slices.Reverse(inner)
		}
		writeMap(w, m[k], inner)
	}
	w.EndMap()
}

func TestKeyWriterEquivalences(t *testing.T) {
	t.Parallel()
	now := time.Now()
	utc := time.Date(2026, 3, 1, 12, 0, 0, 5, time.UTC)
	est := time.FixedZone("EST", -5*3600)
	m := map[string]int{"a": 1, "b": 2, "c": 3, "dd": 4}
	nested := map[string]map[string]int{"x": {"a": 1, "b": 2}, "y": {"c": 3, "d": 4, "e": 5}, "z": {}}
	var nilSlice []string
	cases := []struct {
		name string
		a, b func(w *memo.KeyWriter)
		same bool
	}{
		{
			"every NaN is the same key",
			func(w *memo.KeyWriter) { w.Float(math.NaN()) },
			func(w *memo.KeyWriter) { w.Float(math.Float64frombits(0x7ff0000000000abc)) },
			true,
		},
		{
			"-0 and +0 differ, as 1/x tells them apart",
			func(w *memo.KeyWriter) { w.Float(0) },
			func(w *memo.KeyWriter) { w.Float(math.Copysign(0, -1)) },
			false,
		},
		{
			"nil and empty byte slices are the same key",
			func(w *memo.KeyWriter) { w.Blob(nil) },
			func(w *memo.KeyWriter) { w.Blob([]byte{}) },
			true,
		},
		{
			"nil and empty slices are the same key",
			func(w *memo.KeyWriter) { w.Length(len(nilSlice)) },
			func(w *memo.KeyWriter) { w.Length(len([]string{})) },
			true,
		},
		{
			"a nil pointer differs from a pointer to zero",
			func(w *memo.KeyWriter) { w.Present(false) },
			func(w *memo.KeyWriter) { w.Present(true); w.Int(0) },
			false,
		},
		{
			"a nil pointer differs from a pointer to false",
			func(w *memo.KeyWriter) { w.Present(false); w.Bool(true) },
			func(w *memo.KeyWriter) { w.Present(true); w.Bool(false); w.Bool(true) },
			false,
		},
		{
			"string boundaries are part of the key",
			func(w *memo.KeyWriter) { w.Text("ab"); w.Text("c") },
			func(w *memo.KeyWriter) { w.Text("a"); w.Text("bc") },
			false,
		},
		{
			"blob boundaries are part of the key",
			func(w *memo.KeyWriter) { w.Blob([]byte("ab")); w.Blob(nil) },
			func(w *memo.KeyWriter) { w.Blob(nil); w.Blob([]byte("ab")) },
			false,
		},
		{
			"Time drops the monotonic clock reading",
			func(w *memo.KeyWriter) { w.Time(now) },
			func(w *memo.KeyWriter) { w.Time(now.Round(0)) },
			true,
		},
		{
			"Time keys the same instant in two locations differently",
			func(w *memo.KeyWriter) { w.Time(utc) },
			func(w *memo.KeyWriter) { w.Time(utc.In(est)) },
			false,
		},
		{
			"Time keys an instant however it was built",
			func(w *memo.KeyWriter) { w.Time(utc.In(est)) },
			func(w *memo.KeyWriter) { w.Time(time.Date(2026, 3, 1, 7, 0, 0, 5, est)) },
			true,
		},
		{
			"Time keys the nanoseconds",
			func(w *memo.KeyWriter) { w.Time(utc) },
			func(w *memo.KeyWriter) { w.Time(utc.Add(1)) },
			false,
		},
		{
			"a map's key does not depend on the order of its entries",
			func(w *memo.KeyWriter) { writeMap(w, m, []string{"a", "b", "c", "dd"}) },
			func(w *memo.KeyWriter) { writeMap(w, m, []string{"dd", "c", "b", "a"}) },
			true,
		},
		{
			"nor on the order of a nested map's entries",
			func(w *memo.KeyWriter) { writeNested(w, nested, []string{"x", "y", "z"}, false) },
			func(w *memo.KeyWriter) { writeNested(w, nested, []string{"z", "y", "x"}, true) },
			true,
		},
		{
			"maps with swapped values differ",
			func(w *memo.KeyWriter) { writeMap(w, map[string]int{"a": 1, "b": 2}, []string{"a", "b"}) },
			func(w *memo.KeyWriter) { writeMap(w, map[string]int{"a": 2, "b": 1}, []string{"a", "b"}) },
			false,
		},
		{
			"an entry moved between nested maps differs",
			func(w *memo.KeyWriter) {
				writeNested(w, map[string]map[string]int{"x": {"a": 1}, "y": {}}, []string{"x", "y"}, false)
			},
			func(w *memo.KeyWriter) {
				writeNested(w, map[string]map[string]int{"x": {}, "y": {"a": 1}}, []string{"x", "y"}, false)
			},
			false,
		},
		{
			"what follows a map is not sorted into it",
			func(w *memo.KeyWriter) { writeMap(w, map[string]int{"b": 1}, []string{"b"}); w.Text("a") },
			func(w *memo.KeyWriter) { writeMap(w, map[string]int{"b": 1}, []string{"b"}); w.Text("a") },
			true,
		},
	}
	for _, tc := range cases {
		a, b := keyOf(tc.a), keyOf(tc.b)
		if got := bytes.Equal(a, b); got != tc.same {
			t.Errorf("%s: keys %x and %x equal = %v; want %v", tc.name, a, b, got, tc.same)
		}
	}
}

func TestKeyWriterMapThenTrailingValue(t *testing.T) {
	t.Parallel()
	got := hexKey(func(w *memo.KeyWriter) {
		writeMap(w, map[string]int{"b": 1, "a": 2}, []string{"b", "a"})
		w.Text("z")
	})
	want := "02" + "0161" + "0200000000000000" + "0162" + "0100000000000000" + "017a"
	if got != want {
		t.Errorf("map then string = %s; want %s", got, want)
	}
}

func TestKeyWriterEndMapWithoutBeginMapPanics(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("EndMap without BeginMap did not panic")
		}
	}()
	var w memo.KeyWriter
	w.EndMap()
}

func TestKeyWriterEnterLimitsDepth(t *testing.T) {
	t.Parallel()
	var w memo.KeyWriter
	for i := range memo.MaxKeyDepth {
		if !w.Enter() {
			t.Fatalf("Enter #%d = false; want true up to MaxKeyDepth (%d)", i+1, memo.MaxKeyDepth)
		}
	}
	if w.Err() != nil {
		t.Fatalf("Err() after MaxKeyDepth Enters = %v; want nil", w.Err())
	}
	if w.Enter() {
		t.Fatalf("Enter #%d = true; want false past MaxKeyDepth", memo.MaxKeyDepth+1)
	}
	if !errors.Is(w.Err(), memo.ErrKeyTooDeep) {
		t.Errorf("Err() = %v; want ErrKeyTooDeep", w.Err())
	}
}

func TestKeyWriterBalancedEnterLeaveNeverFails(t *testing.T) {
	t.Parallel()
	var w memo.KeyWriter
	for range 3 * memo.MaxKeyDepth {
		if !w.Enter() {
			t.Fatal("Enter = false after balanced Enter/Leave pairs; want true")
		}
		w.Leave()
	}
	if w.Err() != nil {
		t.Errorf("Err() = %v; want nil", w.Err())
	}
}

func TestKeyWriterBinaryMarshalerError(t *testing.T) {
	t.Parallel()
	errBad := errors.New("bad state")
	var w memo.KeyWriter
	w.BinaryMarshaler(marshaler{err: errBad})
	if !errors.Is(w.Err(), errBad) {
		t.Errorf("Err() = %v; want it to wrap %v", w.Err(), errBad)
	}
	if len(w.Bytes()) != 0 {
		t.Errorf("Bytes() = %x after a failed MarshalBinary; want nothing written", w.Bytes())
	}
}

func TestKeyWriterFailKeepsFirstError(t *testing.T) {
	t.Parallel()
	first, second := errors.New("first"), errors.New("second")
	var w memo.KeyWriter
	w.Fail(first)
	w.Fail(second)
	if w.Err() != first {
		t.Errorf("Err() = %v; want %v", w.Err(), first)
	}
}

func TestKeyWriterReset(t *testing.T) {
	t.Parallel()
	fresh := keyOf(func(w *memo.KeyWriter) { writeMap(w, map[string]int{"a": 1, "b": 2}, []string{"b", "a"}) })

	var w memo.KeyWriter
	w.Text("left over")
	w.BeginMap(3) // abandoned mid-map
	w.MapEntry()
	w.Fail(errors.New("boom"))
	for range memo.MaxKeyDepth {
		w.Enter()
	}
	w.Reset()

	if len(w.Bytes()) != 0 || w.Err() != nil {
		t.Fatalf("after Reset: Bytes() = %x, Err() = %v; want empty, nil", w.Bytes(), w.Err())
	}
	if !w.Enter() {
		t.Error("Enter after Reset = false; want the depth reset")
	}
	w.Leave()
	writeMap(&w, map[string]int{"a": 1, "b": 2}, []string{"b", "a"})
	if !bytes.Equal(w.Bytes(), fresh) {
		t.Errorf("reused writer wrote %x; want %x, as a fresh one", w.Bytes(), fresh)
	}
}

// keyTuple is the argument list FuzzKeyWriter keys.
type keyTuple struct {
	S string
	L []string
	I int64
	B bool
	M map[string]int
	P *int
}

// writeTuple writes t as generated code would.
func writeTuple(w *memo.KeyWriter, t keyTuple) {
	w.Text(t.S)
	w.Length(len(t.L))
	for _, s := range t.L {
		w.Text(s)
	}
	w.Int(t.I)
	w.Bool(t.B)
	w.BeginMap(len(t.M))
	for k, v := range t.M {
		w.MapEntry()
		w.Text(k)
		w.Int(int64(v))
	}
	w.EndMap()
	if t.P == nil {
		w.Present(false)
	} else {
		w.Present(true)
		w.Int(int64(*t.P))
	}
}

// normalize applies the documented equivalences: nil and empty slices and
// maps are the same argument.
func (t keyTuple) normalize() keyTuple {
	if t.L == nil {
		t.L = []string{}
	}
	if t.M == nil {
		t.M = map[string]int{}
	}
	return t
}

// tupleInput is what the fuzzer provides for one tuple.
type tupleInput struct {
	s, list   string
	nilList   bool
	i         int64
	b         bool
	mapKeys   string
	mapSeed   int64
	nilMap    bool
	hasP      bool
	p         int64
	reverseIn bool // build the map in reverse insertion order
}

func (in tupleInput) tuple() keyTuple {
	t := keyTuple{S: in.s, I: in.i, B: in.b}
	if !in.nilList {
		t.L = strings.Split(in.list, ",")
		if in.list == "" {
			t.L = []string{}
		}
	}
	if !in.nilMap {
		t.M = map[string]int{}
		keys := strings.Split(in.mapKeys, ",")
		if in.mapKeys == "" {
			keys = nil
		}
		if in.reverseIn {
			slices.Reverse(keys)
		}
		for _, k := range keys {
			t.M[k] = int(in.mapSeed) ^ len(k) // depends on the key only
		}
	}
	if in.hasP {
		p := int(in.p)
		t.P = &p
	}
	return t
}

// FuzzKeyWriter checks that two argument tuples have equal keys exactly
// when they are equal arguments. The second tuple copies fields of the first
// where copyMask says so, so that equal tuples (built differently) are
// common.
func FuzzKeyWriter(f *testing.F) {
	f.Add("a", "x,y", false, int64(1), true, "k1,k2", int64(3), false, true, int64(0),
		"a", "x,y", false, int64(1), true, "k2,k1", int64(3), false, true, int64(0), uint8(0))
	f.Add("", "", true, int64(0), false, "", int64(0), true, false, int64(0),
		"", "", false, int64(0), false, "", int64(0), false, false, int64(0), uint8(0))
	f.Add("ab", "c", false, int64(-1), false, "a,b", int64(1), false, false, int64(0),
		"a", "bc", false, int64(-1), false, "a,b", int64(2), false, true, int64(0), uint8(0))
	f.Add("s", ",", false, int64(9), true, ",", int64(7), false, true, int64(5),
		"", "", false, int64(0), false, "", int64(0), false, false, int64(0), uint8(0xff))
	f.Fuzz(func(t *testing.T,
		s1, l1 string, nl1 bool, i1 int64, b1 bool, mk1 string, ms1 int64, nm1, hp1 bool, p1 int64,
		s2, l2 string, nl2 bool, i2 int64, b2 bool, mk2 string, ms2 int64, nm2, hp2 bool, p2 int64,
		copyMask uint8,
	) {
		in1 := tupleInput{s1, l1, nl1, i1, b1, mk1, ms1, nm1, hp1, p1, false}
		in2 := tupleInput{s2, l2, nl2, i2, b2, mk2, ms2, nm2, hp2, p2, true}
		if copyMask&1 != 0 {
			in2.s = in1.s
		}
		if copyMask&2 != 0 {
			in2.list = in1.list // nilness stays in2's own
		}
		if copyMask&4 != 0 {
			in2.i = in1.i
		}
		if copyMask&8 != 0 {
			in2.b = in1.b
		}
		if copyMask&16 != 0 {
			in2.mapKeys, in2.mapSeed = in1.mapKeys, in1.mapSeed
		}
		if copyMask&32 != 0 {
			in2.hasP, in2.p = in1.hasP, in1.p
		}
		t1, t2 := in1.tuple(), in2.tuple()
		k1 := keyOf(func(w *memo.KeyWriter) { writeTuple(w, t1) })
		k2 := keyOf(func(w *memo.KeyWriter) { writeTuple(w, t2) })
		equal := reflect.DeepEqual(t1.normalize(), t2.normalize())
		if got := bytes.Equal(k1, k2); got != equal {
			t.Errorf("tuples %s and %s: keys equal = %v; want %v\nkey 1: %x\nkey 2: %x",
				fmtTuple(t1), fmtTuple(t2), got, equal, k1, k2)
		}
	})
}

func fmtTuple(t keyTuple) string {
	p := "nil"
	if t.P != nil {
		p = fmt.Sprintf("&%d", *t.P)
	}
	return fmt.Sprintf("(%q, %#v, %d, %v, %v, %s)", t.S, t.L, t.I, t.B, t.M, p)
}

// request is a struct argument with a slice, as in a composite key.
type request struct {
	Path string
	Tags []string
}

func writeRequestKey(w *memo.KeyWriter, name string, r *request, n int, at time.Time, verbose bool) {
	w.Text(name)
	w.Text(r.Path)
	w.Length(len(r.Tags))
	for i := range r.Tags {
		w.Text(r.Tags[i])
	}
	w.Int(int64(n))
	w.Time(at)
	w.Bool(verbose)
}

func TestKeyWriterReusedAllocatesNothing(t *testing.T) {
	// Not parallel: AllocsPerRun counts the allocations of every goroutine.
	r := &request{Path: "/users", Tags: []string{"a", "bb", "ccc"}}
	at := time.Date(2026, 1, 2, 3, 4, 5, 6, time.FixedZone("CET", 3600))
	var w memo.KeyWriter
	writeRequestKey(&w, "lookup", r, 42, at, true) // grow the buffer once
	allocs := testing.AllocsPerRun(1000, func() {
		w.Reset()
		writeRequestKey(&w, "lookup", r, 42, at, true)
	})
	if allocs != 0 {
		t.Errorf("writing a composite key into a reused KeyWriter: %v allocations; want 0", allocs)
	}
}

func TestKeyWriterReusedMapKeyAllocatesNothing(t *testing.T) {
	m := map[string]int{"a": 1, "b": 2, "c": 3}
	var w memo.KeyWriter
	writeMap(&w, m, []string{"c", "b", "a"})
	allocs := testing.AllocsPerRun(1000, func() {
		w.Reset()
		writeMap(&w, m, []string{"c", "b", "a"})
	})
	if allocs != 0 {
		t.Errorf("writing a map key into a reused KeyWriter: %v allocations; want 0", allocs)
	}
}
