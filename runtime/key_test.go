package runtime_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	memo "github.com/memogen/memogen/runtime"
)

// keyOp is one write, spelled through a *KeyWriter and through a Key: the
// two must write the same bytes.
type keyOp struct {
	name   string
	writer func(w *memo.KeyWriter)
	key    func(k memo.Key) memo.Key
}

// keyScalarOps returns writes that need no pairing (maps and Enter are
// paired by the callers), covering every method of Key over values that
// take its fast and its slow paths.
func keyScalarOps() []keyOp {
	var ops []keyOp
	add := func(name string, writer func(w *memo.KeyWriter), key func(k memo.Key) memo.Key) {
		ops = append(ops, keyOp{name, writer, key})
	}
	for _, b := range []bool{false, true} {
		add(fmt.Sprintf("Bool(%v)", b), func(w *memo.KeyWriter) { w.Bool(b) }, func(k memo.Key) memo.Key { return k.Bool(b) })
		add(fmt.Sprintf("Present(%v)", b), func(w *memo.KeyWriter) { w.Present(b) }, func(k memo.Key) memo.Key { return k.Present(b) })
	}
	for _, v := range []int64{0, 1, -1, 0x0102030405060708, math.MinInt64, math.MaxInt64} {
		add(fmt.Sprintf("Int(%d)", v), func(w *memo.KeyWriter) { w.Int(v) }, func(k memo.Key) memo.Key { return k.Int(v) })
		add(fmt.Sprintf("Uint(%d)", uint64(v)), func(w *memo.KeyWriter) { w.Uint(uint64(v)) }, func(k memo.Key) memo.Key { return k.Uint(uint64(v)) })
	}
	for _, v := range []float64{0, math.Copysign(0, -1), 1.5, math.Inf(1), math.Inf(-1), math.NaN(), math.Float64frombits(0xfff8000000000000)} {
		add(fmt.Sprintf("Float(%v)", v), func(w *memo.KeyWriter) { w.Float(v) }, func(k memo.Key) memo.Key { return k.Float(v) })
		c := complex(v, -v)
		add(fmt.Sprintf("Complex(%v)", c), func(w *memo.KeyWriter) { w.Complex(c) }, func(k memo.Key) memo.Key { return k.Complex(c) })
	}
	for _, n := range []int{0, 1, 0x7f, 0x80, 300, 1 << 20, -1} {
		add(fmt.Sprintf("Length(%d)", n), func(w *memo.KeyWriter) { w.Length(n) }, func(k memo.Key) memo.Key { return k.Length(n) })
	}
	for _, n := range []int{0, 2, 0x7f, 0x80, 0xff, memo.MaxKeyBytes - 1, memo.MaxKeyBytes, 1000} {
		s := strings.Repeat("é", n/2) + strings.Repeat("x", n%2)
		b := []byte(s)
		add(fmt.Sprintf("Text(%d bytes)", n), func(w *memo.KeyWriter) { w.Text(s) }, func(k memo.Key) memo.Key { return k.Text(s) })
		add(fmt.Sprintf("Blob(%d bytes)", n), func(w *memo.KeyWriter) { w.Blob(b) }, func(k memo.Key) memo.Key { return k.Blob(b) })
	}
	add("Blob(nil)", func(w *memo.KeyWriter) { w.Blob(nil) }, func(k memo.Key) memo.Key { return k.Blob(nil) })
	instant := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	for _, t := range []time.Time{
		instant,
		time.Unix(-1, 999_999_999).UTC(),
		instant.In(time.Local),
		instant.In(time.FixedZone("CET", 3600)),
		instant.In(time.FixedZone("", -5*3600)),
		time.Now(), // Local, with a monotonic reading
		{},         // the zero time, in UTC
	} {
		add(fmt.Sprintf("Time(%v)", t), func(w *memo.KeyWriter) { w.Time(t) }, func(k memo.Key) memo.Key { return k.Time(t) })
	}
	for _, m := range []marshaler{{data: []byte("bin")}, {data: bytes.Repeat([]byte{7}, 300)}, {err: errors.New("no")}} {
		add(fmt.Sprintf("BinaryMarshaler(%d bytes, %v)", len(m.data), m.err),
			func(w *memo.KeyWriter) { w.BinaryMarshaler(m) }, func(k memo.Key) memo.Key { return k.BinaryMarshaler(m) })
	}
	for _, v := range []memo.Keyer{nil, valueKeyer{3}, (*valueKeyer)(nil), &ptrKeyer{4}, (*ptrKeyer)(nil)} {
		add(fmt.Sprintf("Keyer(%#v)", v), func(w *memo.KeyWriter) { w.Keyer(v) }, func(k memo.Key) memo.Key { return k.Keyer(v) })
	}
	add("Dynamic through Flush and Reload",
		func(w *memo.KeyWriter) { memo.Dynamic(w, map[string][]int{"b": {2}, "a": {1, 1}}) },
		func(k memo.Key) memo.Key {
			memo.Dynamic(k.Flush(), map[string][]int{"b": {2}, "a": {1, 1}})
			return k.Reload()
		})
	add("Flush and Reload alone", func(*memo.KeyWriter) {}, func(k memo.Key) memo.Key {
		k.Flush()
		return k.Reload()
	})
	return ops
}

// keyMapOp wraps body in a map of n entries, each written by body.
func keyMapOp(name string, n int, body keyOp) keyOp {
	return keyOp{
		name: fmt.Sprintf("map of %d × %s", n, name),
		writer: func(w *memo.KeyWriter) {
			w.BeginMap(n)
			for i := n - 1; i >= 0; i-- { // entries out of order, to be sorted
				w.MapEntry()
				w.Int(int64(i))
				body.writer(w)
			}
			w.EndMap()
		},
		key: func(k memo.Key) memo.Key {
			k = k.BeginMap(n)
			for i := n - 1; i >= 0; i-- {
				k = k.MapEntry()
				k = k.Int(int64(i))
				k = body.key(k)
			}
			return k.EndMap()
		},
	}
}

// keyEnterOp wraps body in Enter and Leave, as a recursive type's helper
// does.
func keyEnterOp(body keyOp) keyOp {
	return keyOp{
		name: "Enter " + body.name,
		writer: func(w *memo.KeyWriter) {
			if w.Enter() {
				body.writer(w)
				w.Leave()
			}
		},
		key: func(k memo.Key) memo.Key {
			if k.Enter() {
				k = body.key(k)
				k.Leave()
			}
			return k
		},
	}
}

// keyOps returns every op of keyScalarOps, then maps and nested values
// of them.
func keyOps() []keyOp {
	ops := keyScalarOps()
	for _, op := range keyScalarOps() {
		ops = append(ops, keyMapOp(op.name, 3, op), keyEnterOp(op))
	}
	inner := keyMapOp("Text", 2, keyOp{"Text", func(w *memo.KeyWriter) { w.Text("v") }, func(k memo.Key) memo.Key { return k.Text("v") }})
	ops = append(ops, keyMapOp(inner.name, 2, inner), keyMapOp("nothing", 0, keyOp{"nothing", func(*memo.KeyWriter) {}, func(k memo.Key) memo.Key { return k }}))
	return ops
}

// writeBoth writes ops into a fresh KeyWriter, directly and through a Key,
// after growing each to room bytes, and returns the two keys and errors.
func writeBoth(room int, ops []keyOp) (direct, viaKey []byte, directErr, viaKeyErr error) {
	var w1, w2 memo.KeyWriter
	w1.Grow(room)
	w2.Grow(room)
	for _, op := range ops {
		op.writer(&w1)
	}
	k := w2.Key()
	for _, op := range ops {
		k = op.key(k)
	}
	k.Flush()
	return bytes.Clone(w1.Bytes()), bytes.Clone(w2.Bytes()), w1.Err(), w2.Err()
}

func TestKeyWritesWhatKeyWriterWrites(t *testing.T) {
	t.Parallel()
	ops := keyOps()
	prefixes := []keyOp{
		{"no prefix", func(*memo.KeyWriter) {}, func(k memo.Key) memo.Key { return k }},
		{"a 5-byte prefix", func(w *memo.KeyWriter) { w.Text("abcd") }, func(k memo.Key) memo.Key { return k.Text("abcd") }},
		{"a 120-byte prefix", func(w *memo.KeyWriter) { w.Text(strings.Repeat("p", 119)) }, func(k memo.Key) memo.Key { return k.Text(strings.Repeat("p", 119)) }},
		{"a digesting prefix", func(w *memo.KeyWriter) { w.Text(strings.Repeat("d", 300)) }, func(k memo.Key) memo.Key { return k.Text(strings.Repeat("d", 300)) }},
	}
	after := keyOp{"then Int and a UTC Time", func(w *memo.KeyWriter) {
		w.Int(9)
		w.Time(time.Unix(5, 6).UTC())
	}, func(k memo.Key) memo.Key { return k.Int(9).Time(time.Unix(5, 6).UTC()) }}
	// Room 0 makes every append grow the buffer; 5 and 18 leave a UTC
	// time without room after the 5-byte prefix and with room, exactly.
	for _, room := range []int{0, 5, 17, 18, 128} {
		for _, prefix := range prefixes {
			for _, op := range ops {
				direct, viaKey, directErr, viaKeyErr := writeBoth(room, []keyOp{prefix, op, after})
				if !bytes.Equal(direct, viaKey) || !sameErr(directErr, viaKeyErr) {
					t.Errorf("room %d, %s, %s: through Key %x (err %v); through KeyWriter %x (err %v)",
						room, prefix.name, op.name, viaKey, viaKeyErr, direct, directErr)
				}
			}
		}
	}
}

func sameErr(a, b error) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Error() == b.Error()
}

func TestKeyPairsWriteWhatKeyWriterWrites(t *testing.T) {
	t.Parallel()
	ops := keyScalarOps()
	for _, a := range ops {
		for _, b := range ops {
			direct, viaKey, directErr, viaKeyErr := writeBoth(16, []keyOp{a, b})
			if !bytes.Equal(direct, viaKey) || !sameErr(directErr, viaKeyErr) {
				t.Errorf("%s then %s: through Key %x (err %v); through KeyWriter %x (err %v)",
					a.name, b.name, viaKey, viaKeyErr, direct, directErr)
			}
		}
	}
}

func TestKeyEnterStopsAtMaxKeyDepth(t *testing.T) {
	t.Parallel()
	var w memo.KeyWriter
	k := w.Key()
	depth := 0
	for k.Enter() {
		depth++
		k = k.Int(1)
	}
	k.Flush()
	if depth != memo.MaxKeyDepth || !errors.Is(w.Err(), memo.ErrKeyTooDeep) {
		t.Errorf("Enter until false: depth %d, Err() = %v; want %d, %v", depth, w.Err(), memo.MaxKeyDepth, memo.ErrKeyTooDeep)
	}
	if k.Enter() {
		t.Error("Enter after the key failed = true; want false")
	}
}

func TestKeyFlushReachesBytes(t *testing.T) {
	t.Parallel()
	var w memo.KeyWriter
	k := w.Key().Text("go").Bool(true)
	if got := w.Bytes(); len(got) != 0 {
		t.Errorf("Bytes() before Flush = %x; want nothing: the Key holds the bytes", got)
	}
	if got := k.Flush(); got != &w {
		t.Errorf("Flush() = %p; want the writer %p", got, &w)
	}
	if got, want := fmt.Sprintf("%x", w.Bytes()), "02676f01"; got != want {
		t.Errorf("Bytes() after Flush = %s; want %s", got, want)
	}
}

// writeRequestKeyWithKey is writeRequestKey through a Key.
func writeRequestKeyWithKey(k memo.Key, name string, r *request, n int, at time.Time, verbose bool) memo.Key {
	k = k.Text(name).Text(r.Path).Length(len(r.Tags))
	for i := range r.Tags {
		k = k.Text(r.Tags[i])
	}
	return k.Int(int64(n)).Time(at).Bool(verbose)
}

func TestKeyReusedAllocatesNothing(t *testing.T) {
	// Not parallel: AllocsPerRun counts the allocations of every goroutine.
	r := &request{Path: "/users", Tags: []string{"a", "bb", "ccc"}}
	for _, at := range []time.Time{
		time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC),
		time.Date(2026, 1, 2, 3, 4, 5, 6, time.FixedZone("CET", 3600)),
	} {
		var w memo.KeyWriter
		writeRequestKeyWithKey(w.Key(), "lookup", r, 42, at, true).Flush() // grow the buffer once
		m := map[string]int{"a": 1, "b": 2, "c": 3}
		allocs := testing.AllocsPerRun(1000, func() {
			w.Reset()
			k := writeRequestKeyWithKey(w.Key(), "lookup", r, 42, at, true)
			k = k.BeginMap(len(m))
			for key, v := range m {
				k = k.MapEntry().Text(key).Int(int64(v))
			}
			k.EndMap().Flush()
		})
		if allocs != 0 {
			t.Errorf("writing a composite key at %v through a Key of a reused KeyWriter: %v allocations; want 0", at, allocs)
		}
	}
}

// FuzzKeyMatchesKeyWriter writes a sequence of operations, which data
// spells one byte each, through a KeyWriter and through a Key, and checks
// that both write the same key.
func FuzzKeyMatchesKeyWriter(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3}, uint8(0))
	f.Add([]byte{200, 3, 201, 5, 9, 202, 203, 17}, uint8(13))
	f.Add([]byte{40, 41, 42, 43, 200, 44, 201, 45, 202}, uint8(128))
	scalars := keyScalarOps()
	f.Fuzz(func(t *testing.T, data []byte, room uint8) {
		var w1, w2 memo.KeyWriter
		w1.Grow(int(room))
		w2.Grow(int(room))
		k := w2.Key()
		var stack []byte // 'm' for an open map, 'e' for an Enter that succeeded
		var names []string
		for _, c := range data {
			switch {
			case c == 200: // open a map, whose entries follow
				w1.BeginMap(2)
				k = k.BeginMap(2)
				stack = append(stack, 'm')
				names = append(names, "BeginMap")
			case c == 201: // an entry of the innermost map
				if len(stack) > 0 && stack[len(stack)-1] == 'm' {
					w1.MapEntry()
					k = k.MapEntry()
					names = append(names, "MapEntry")
				}
			case c == 202 || c == 203: // close the innermost map, or leave
				if len(stack) == 0 {
					continue
				}
				if stack[len(stack)-1] == 'm' {
					w1.EndMap()
					k = k.EndMap()
					names = append(names, "EndMap")
				} else {
					w1.Leave()
					k.Leave()
					names = append(names, "Leave")
				}
				stack = stack[:len(stack)-1]
			case c == 204:
				ok1, ok2 := w1.Enter(), k.Enter()
				if ok1 != ok2 {
					t.Fatalf("after %v: KeyWriter.Enter() = %v, Key.Enter() = %v", names, ok1, ok2)
				}
				if ok1 {
					stack = append(stack, 'e')
					names = append(names, "Enter")
				}
			default:
				op := scalars[int(c)%len(scalars)]
				op.writer(&w1)
				k = op.key(k)
				names = append(names, op.name)
			}
		}
		for i := len(stack) - 1; i >= 0; i-- {
			if stack[i] == 'm' {
				w1.EndMap()
				k = k.EndMap()
			} else {
				w1.Leave()
				k.Leave()
			}
		}
		k.Flush()
		if !bytes.Equal(w1.Bytes(), w2.Bytes()) || !sameErr(w1.Err(), w2.Err()) {
			t.Errorf("%v: through Key %x (err %v); through KeyWriter %x (err %v)", names, w2.Bytes(), w2.Err(), w1.Bytes(), w1.Err())
		}
	})
}

// Generated code writes a call's key through a Key, which it ends with
// Flush; the writer then holds what a KeyWriter would have written.
func ExampleKey() {
	var w memo.KeyWriter
	k := w.Key()
	k = k.Text("go").Int(1)
	k.Flush()
	fmt.Printf("%x\n", w.Bytes())

	var direct memo.KeyWriter
	direct.Text("go")
	direct.Int(1)
	fmt.Println(bytes.Equal(w.Bytes(), direct.Bytes()))
	// Output:
	// 02676f0100000000000000
	// true
}
