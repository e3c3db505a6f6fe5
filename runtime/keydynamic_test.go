package runtime_test

import (
	"bytes"
	"errors"
	"html/template"
	"math"
	"net/url"
	"strings"
	"testing"
	texttemplate "text/template"
	"time"

	memo "github.com/memogen/memogen/runtime"
)

// dynamicKey returns what Dynamic writes for v.
func dynamicKey[T any](v T) []byte {
	return keyOf(func(w *memo.KeyWriter) { memo.Dynamic(w, v) })
}

// dynamicErr returns the error Dynamic records for v.
func dynamicErr[T any](v T) error {
	var w memo.KeyWriter
	memo.Dynamic(&w, v)
	return w.Err()
}

// typeKey returns what TypeKey writes for T.
func typeKey[T any]() []byte {
	return keyOf(func(w *memo.KeyWriter) { memo.TypeKey[T](w) })
}

type (
	ID       int
	Name     string
	Flags    []bool
	Duration int64 // same name as time.Duration, another package

	point struct{ X, Y float64 }
	named struct {
		Name  string
		Tags  []string
		Attrs map[string]int
		Next  *named
	}
	withUnexported struct {
		Public  int
		private int
	}
	withFunc struct{ F func() }

	// account keys itself by its ID only.
	account struct {
		ID      int
		scratch []byte
	}
	node struct {
		V    int
		Next *node
	}
	list []list
)

func (a account) MemoKey(w *memo.KeyWriter) { w.Int(int64(a.ID)) }

func TestDynamicMatchesStaticMethods(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 1, 2, 3, 4, 5, 6, time.FixedZone("CET", 3600))
	cases := []struct {
		name    string
		dynamic []byte
		static  func(w *memo.KeyWriter)
	}{
		{"string", dynamicKey("go"), func(w *memo.KeyWriter) { w.Text("go") }},
		{"int", dynamicKey(-7), func(w *memo.KeyWriter) { w.Int(-7) }},
		{"int8", dynamicKey(int8(-7)), func(w *memo.KeyWriter) { w.Int(-7) }},
		{"int32", dynamicKey(int32(1 << 30)), func(w *memo.KeyWriter) { w.Int(1 << 30) }},
		{"int64", dynamicKey(int64(math.MinInt64)), func(w *memo.KeyWriter) { w.Int(math.MinInt64) }},
		{"uint", dynamicKey(uint(7)), func(w *memo.KeyWriter) { w.Uint(7) }},
		{"uint8", dynamicKey(uint8(255)), func(w *memo.KeyWriter) { w.Uint(255) }},
		{"uint64", dynamicKey(uint64(math.MaxUint64)), func(w *memo.KeyWriter) { w.Uint(math.MaxUint64) }},
		{"uintptr", dynamicKey(uintptr(9)), func(w *memo.KeyWriter) { w.Uint(9) }},
		{"float64", dynamicKey(1.5), func(w *memo.KeyWriter) { w.Float(1.5) }},
		{"float64 NaN", dynamicKey(math.NaN()), func(w *memo.KeyWriter) { w.Float(math.NaN()) }},
		{"float32", dynamicKey(float32(0.1)), func(w *memo.KeyWriter) { w.Float(float64(float32(0.1))) }},
		{"complex128", dynamicKey(complex(1, 2)), func(w *memo.KeyWriter) { w.Complex(complex(1, 2)) }},
		{"complex64", dynamicKey(complex64(complex(1, 2))), func(w *memo.KeyWriter) { w.Complex(complex(1, 2)) }},
		{"bool", dynamicKey(true), func(w *memo.KeyWriter) { w.Bool(true) }},
		{"[]byte", dynamicKey([]byte("ab")), func(w *memo.KeyWriter) { w.Blob([]byte("ab")) }},
		{"nil []byte", dynamicKey([]byte(nil)), func(w *memo.KeyWriter) { w.Blob(nil) }},
		{"time.Time", dynamicKey(at), func(w *memo.KeyWriter) { w.Time(at) }},
		{"named int keys like int", dynamicKey(ID(7)), func(w *memo.KeyWriter) { w.Int(7) }},
		{"named string keys like string", dynamicKey(Name("go")), func(w *memo.KeyWriter) { w.Text("go") }},
		{"named slice keys like its elements", dynamicKey(Flags{true, false}), func(w *memo.KeyWriter) { w.Length(2); w.Bool(true); w.Bool(false) }},
		{"[]string", dynamicKey([]string{"a", "bc"}), func(w *memo.KeyWriter) { w.Length(2); w.Text("a"); w.Text("bc") }},
		{"nil []string is empty", dynamicKey([]string(nil)), func(w *memo.KeyWriter) { w.Length(0) }},
		{"*int nil", dynamicKey((*int)(nil)), func(w *memo.KeyWriter) { w.Present(false) }},
		{"*int", dynamicKey(new(int)), func(w *memo.KeyWriter) { w.Present(true); w.Int(0) }},
		{"struct with exported fields", dynamicKey(point{1, 2}), func(w *memo.KeyWriter) { w.Float(1); w.Float(2) }},
		{
			"map[string]int",
			dynamicKey(map[string]int{"b": 2, "a": 1}),
			func(w *memo.KeyWriter) { writeMap(w, map[string]int{"a": 1, "b": 2}, []string{"a", "b"}) },
		},
		{"nil map is empty", dynamicKey(map[string]int(nil)), func(w *memo.KeyWriter) { w.BeginMap(0); w.EndMap() }},
		{
			"nested struct, slice, map and pointer",
			dynamicKey(named{Name: "n", Tags: []string{"t"}, Attrs: map[string]int{"k": 1}, Next: &named{Name: "m"}}),
			func(w *memo.KeyWriter) {
				w.Text("n")
				w.Length(1)
				w.Text("t")
				writeMap(w, map[string]int{"k": 1}, []string{"k"})
				w.Present(true)
				w.Text("m")
				w.Length(0)
				w.BeginMap(0)
				w.EndMap()
				w.Present(false)
			},
		},
		{"Keyer is honoured", dynamicKey(account{ID: 3, scratch: []byte("x")}), func(w *memo.KeyWriter) { w.Int(3) }},
		{"BinaryMarshaler is honoured", dynamicKey(marshaler{data: []byte("ab")}), func(w *memo.KeyWriter) { w.Blob([]byte("ab")) }},
	}
	for _, tc := range cases {
		if want := keyOf(tc.static); !bytes.Equal(tc.dynamic, want) {
			t.Errorf("Dynamic(%s) = %x; want %x", tc.name, tc.dynamic, want)
		}
	}
}

func TestDynamicMapOrderDoesNotMatter(t *testing.T) {
	t.Parallel()
	m := make(map[int]string)
	for i := range 100 {
		m[i] = strings.Repeat("x", i%7)
	}
	first := dynamicKey(m)
	for range 20 { // iteration order varies from one range to the next
		if got := dynamicKey(m); !bytes.Equal(got, first) {
			t.Fatalf("Dynamic of the same map = %x, then %x; want equal", first, got)
		}
	}
}

func TestDynamicKeyerIgnoresOtherState(t *testing.T) {
	t.Parallel()
	a := dynamicKey(account{ID: 1, scratch: []byte("a")})
	b := dynamicKey(account{ID: 1, scratch: []byte("b")})
	if !bytes.Equal(a, b) {
		t.Errorf("Dynamic(account) = %x and %x for the same ID; want equal (MemoKey decides)", a, b)
	}
}

func TestDynamicUnkeyableValuesFail(t *testing.T) {
	t.Parallel()
	ch := make(chan int)
	cases := []struct {
		name string
		err  error
		want string // in the message
	}{
		{"struct with an unexported field", dynamicErr(withUnexported{Public: 1, private: 2}), "unexported field private"},
		{"func", dynamicErr(func() {}), "cannot key"},
		{"chan", dynamicErr(ch), "cannot key"},
		{"struct with a func field", dynamicErr(withFunc{}), "cannot key"},
		{"slice of funcs", dynamicErr([]func(){nil}), "cannot key"},
		{"map with chan values", dynamicErr(map[string]chan int{"a": ch}), "cannot key"},
		{"pointer to a struct with an unexported field", dynamicErr(&withUnexported{}), "unexported field"},
		{"interface holding a func", dynamicErr[any](func() {}), "cannot key"},
	}
	for _, tc := range cases {
		if tc.err == nil {
			t.Errorf("Dynamic(%s): Err() = nil; want an error", tc.name)
			continue
		}
		if !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("Dynamic(%s): Err() = %q; want it to mention %q", tc.name, tc.err, tc.want)
		}
	}
}

func TestDynamicBinaryMarshalerErrorFails(t *testing.T) {
	t.Parallel()
	errBad := errors.New("bad")
	if err := dynamicErr(marshaler{err: errBad}); !errors.Is(err, errBad) {
		t.Errorf("Dynamic(failing BinaryMarshaler): Err() = %v; want it to wrap %v", err, errBad)
	}
}

func TestDynamicCyclesFailWithoutHanging(t *testing.T) {
	t.Parallel()
	ring := &node{V: 1}
	ring.Next = &node{V: 2, Next: ring}
	selfList := list{nil}
	selfList[0] = selfList
	selfMap := map[string]any{}
	selfMap["me"] = selfMap
	type mapNode map[string]mapNode
	cyclicMap := mapNode{}
	cyclicMap["me"] = cyclicMap

	cases := []struct {
		name string
		err  func() error
	}{
		{"cyclic pointers", func() error { return dynamicErr(ring) }},
		{"cyclic slice", func() error { return dynamicErr(selfList) }},
		{"cyclic map", func() error { return dynamicErr(cyclicMap) }},
	}
	for _, tc := range cases {
		done := make(chan error, 1)
		go func() { done <- tc.err() }()
		select {
		case err := <-done:
			if !errors.Is(err, memo.ErrKeyTooDeep) {
				t.Errorf("Dynamic(%s): Err() = %v; want ErrKeyTooDeep", tc.name, err)
			}
		case <-time.After(time.Minute):
			t.Fatalf("Dynamic(%s) did not return", tc.name)
		}
	}
	// An interface holding the cycle cannot be keyed at all.
	if err := dynamicErr(selfMap); err == nil {
		t.Error("Dynamic(map[string]any holding itself): Err() = nil; want an error")
	}
}

func TestDynamicDeepButAcyclicValue(t *testing.T) {
	t.Parallel()
	var head *node
	for i := range memo.MaxKeyDepth / 2 {
		head = &node{V: i, Next: head}
	}
	if err := dynamicErr(head); err != nil {
		t.Errorf("Dynamic(list of %d nodes): Err() = %v; want nil", memo.MaxKeyDepth/2, err)
	}
}

func TestTypeKey(t *testing.T) {
	t.Parallel()
	keys := map[string][]byte{
		"int":            typeKey[int](),
		"int64":          typeKey[int64](),
		"string":         typeKey[string](),
		"ID":             typeKey[ID](),
		"time.Duration":  typeKey[time.Duration](),
		"local Duration": typeKey[Duration](),
		"[]int":          typeKey[[]int](),
		"[]ID":           typeKey[[]ID](),
		"*int":           typeKey[*int](),
		"[2]int":         typeKey[[2]int](),
		"[3]int":         typeKey[[3]int](),
		"map[string]int": typeKey[map[string]int](),
		"map[int]string": typeKey[map[int]string](),
		"struct{X int}":  typeKey[struct{ X int }](),
		"struct{Y int}":  typeKey[struct{ Y int }](),
		"any":            typeKey[any](),
		"error":          typeKey[error](),
	}
	seen := make(map[string]string)
	for name, k := range keys {
		if other, dup := seen[string(k)]; dup {
			t.Errorf("TypeKey[%s] = TypeKey[%s] = %q; want them distinct", name, other, k)
		}
		seen[string(k)] = name
	}
	if !bytes.Equal(typeKey[int](), typeKey[int]()) {
		t.Error("TypeKey[int] differs between calls; want it stable")
	}
	wantDuration := keyOf(func(w *memo.KeyWriter) { w.Text("time.Duration=int64") })
	if got := typeKey[time.Duration](); !bytes.Equal(got, wantDuration) {
		t.Errorf("TypeKey[time.Duration] = %q; want %q", got, wantDuration)
	}
	local := string(typeKey[Duration]())
	if !strings.Contains(local, "github.com/memogen/memogen/runtime_test.Duration") {
		t.Errorf("TypeKey[Duration] = %q; want the full import path", local)
	}
}

type celsius float64
type kelvin float64

func TestDynamicInterfaceKeysDynamicType(t *testing.T) {
	t.Parallel()
	keys := map[string][]byte{
		"nil":         dynamicKey[any](nil),
		"celsius(1)":  dynamicKey[any](celsius(1)),
		"kelvin(1)":   dynamicKey[any](kelvin(1)),
		"float64(1)":  dynamicKey[any](float64(1)),
		"account{1}":  dynamicKey[any](account{ID: 1}),
		"&account{1}": dynamicKey[any](&account{ID: 1}),
	}
	seen := map[string]string{}
	for name, k := range keys {
		if other, ok := seen[string(k)]; ok {
			t.Errorf("Dynamic[any](%s) and Dynamic[any](%s) share the key %x", name, other, k)
		}
		seen[string(k)] = name
	}
	if a, b := dynamicKey[any](celsius(1)), dynamicKey[any](celsius(1)); !bytes.Equal(a, b) {
		t.Errorf("Dynamic[any](celsius(1)) = %x then %x; want a stable key", a, b)
	}
}

func TestDynamicPointerKeepsPresenceWithKeyMethods(t *testing.T) {
	t.Parallel()
	var nilTime *time.Time
	zero := time.Time{}
	var nilAccount *account
	pairs := []struct {
		name string
		a, b []byte
	}{
		{"nil *time.Time vs &time.Time{}", dynamicKey(nilTime), dynamicKey(&zero)},
		{"nil *account vs &account{}", dynamicKey(nilAccount), dynamicKey(&account{})},
		{"&account{} vs account{}", dynamicKey(&account{ID: 1}), dynamicKey(account{ID: 1})},
	}
	for _, p := range pairs {
		if bytes.Equal(p.a, p.b) {
			t.Errorf("%s: both keyed %x; want distinct keys", p.name, p.a)
		}
	}
	w := new(memo.KeyWriter)
	w.Present(true)
	account{ID: 7}.MemoKey(w)
	if got := dynamicKey(&account{ID: 7}); !bytes.Equal(got, w.Bytes()) {
		t.Errorf("Dynamic(&account{7}) = %x; want presence then MemoKey: %x", got, w.Bytes())
	}
}

func TestDynamicInterfaceTypeArgumentKeysDynamicType(t *testing.T) {
	t.Parallel()
	groups := [][]any{
		{"", false, nil},
		{int(5), int64(5), uint64(5), int32(5)},
		{"x", []byte("x")},
		{1.0, int(4607182418800017408)},
	}
	for _, g := range groups {
		seen := map[string]any{}
		for _, v := range g {
			k := string(dynamicKey[any](v))
			if other, ok := seen[k]; ok {
				t.Errorf("Dynamic[any](%#v) and Dynamic[any](%#v) share the key %x", v, other, k)
			}
			seen[k] = v
		}
	}
}

// stamped embeds time.Time, whose MarshalBinary it has only by promotion.
type stamped struct {
	time.Time
	Name string
}

// Ledger is keyed by its ID alone.
type Ledger struct{ ID int }

// MemoKey writes the ID.
func (l Ledger) MemoKey(w *memo.KeyWriter) { w.Int(int64(l.ID)) }

// row embeds a Ledger, whose MemoKey it has only by promotion.
type row struct {
	Ledger
	Name string
}

func TestDynamicPromotedKeyMethodsDoNotHideFields(t *testing.T) {
	t.Parallel()
	at := time.Unix(1_700_000_000, 0).UTC()
	pairs := []struct {
		name string
		a, b []byte
	}{
		{"stamped", dynamicKey(stamped{at, "a"}), dynamicKey(stamped{at, "b"})},
		{"row", dynamicKey(row{Ledger{ID: 1}, "a"}), dynamicKey(row{Ledger{ID: 1}, "b"})},
		{"*row", dynamicKey(&row{Ledger{ID: 1}, "a"}), dynamicKey(&row{Ledger{ID: 1}, "b"})},
	}
	for _, p := range pairs {
		if len(p.a) == 0 || bytes.Equal(p.a, p.b) {
			t.Errorf("%s: values differing in Name have the keys %x and %x; a promoted key method must not hide the other fields", p.name, p.a, p.b)
		}
	}
}

func TestTypeKeyTellsApartEquallyNamedTypes(t *testing.T) {
	t.Parallel()
	// Two types named T, declared in two functions: reflection names both
	// runtime_test.T.
	a := func() []byte { type T int8; return typeKey[T]() }()
	b := func() []byte { type T int64; return typeKey[T]() }()
	c := func() []byte { type T struct{ X int }; return typeKey[[]T]() }()
	d := func() []byte { type T struct{ Y int }; return typeKey[[]T]() }()
	if bytes.Equal(a, b) || bytes.Equal(c, d) {
		t.Errorf("TypeKey of two local types named T: %q and %q, %q and %q; want them distinct", a, b, c, d)
	}
	// An unnamed struct naming equally named types of two packages: the
	// package path, not its name, tells them apart.
	e := typeKey[struct{ X template.HTML }]()
	f := typeKey[struct{ X texttemplate.Template }]()
	if bytes.Equal(e, f) || !bytes.Contains(e, []byte("html/template.HTML")) {
		t.Errorf("TypeKey of structs naming html/template and text/template types = %q and %q; want full import paths", e, f)
	}
	type list struct {
		V    int
		Next *list
	}
	if k := typeKey[list](); !bytes.Contains(k, []byte("Next *github.com/memogen/memogen/runtime_test.list}")) {
		t.Errorf("TypeKey of a recursive type = %q; want the recursion spelled by name", k)
	}
}

// valueKeyer has a MemoKey method with a value receiver, which a nil
// *valueKeyer cannot call; ptrKeyer's has a pointer receiver.
type valueKeyer struct{ N int }

func (v valueKeyer) MemoKey(w *memo.KeyWriter) { w.Int(int64(v.N)) }

type ptrKeyer struct{ N int }

func (p *ptrKeyer) MemoKey(w *memo.KeyWriter) { w.Int(int64(p.N)) }

func keyerKey(v memo.Keyer) []byte {
	var w memo.KeyWriter
	w.Keyer(v)
	return bytes.Clone(w.Bytes())
}

func TestKeyerKeysNilPointersWithoutCallingMemoKey(t *testing.T) {
	t.Parallel()
	keys := map[string][]byte{
		"nil":                keyerKey(nil),
		"(*valueKeyer)(nil)": keyerKey((*valueKeyer)(nil)), // calling MemoKey would panic
		"&valueKeyer{}":      keyerKey(&valueKeyer{}),
		"valueKeyer{}":       keyerKey(valueKeyer{}),
		"(*ptrKeyer)(nil)":   keyerKey((*ptrKeyer)(nil)), // so would this MemoKey
		"&ptrKeyer{}":        keyerKey(&ptrKeyer{}),
	}
	seen := map[string]string{}
	for name, k := range keys {
		if other, ok := seen[string(k)]; ok {
			t.Errorf("Keyer(%s) and Keyer(%s) share the key %x", name, other, k)
		}
		seen[string(k)] = name
	}
	if a, b := keyerKey((*valueKeyer)(nil)), keyerKey((*valueKeyer)(nil)); !bytes.Equal(a, b) {
		t.Errorf("Keyer((*valueKeyer)(nil)) = %x then %x; want one key", a, b)
	}
	// A value that is not a nil pointer: presence, its type, its MemoKey.
	var want memo.KeyWriter
	want.Present(true)
	memo.TypeKey[valueKeyer](&want)
	want.Int(3)
	if got := keyerKey(valueKeyer{N: 3}); !bytes.Equal(got, want.Bytes()) {
		t.Errorf("Keyer(valueKeyer{3}) = %x; want %x", got, want.Bytes())
	}
}

// TestDynamicMarshalerKeepsFields checks that a struct keyed at run time
// through MarshalBinary also keys its exported fields: url.URL writes
// paths "p" and "/p" alike, and the two must never share an entry.
func TestDynamicMarshalerKeepsFields(t *testing.T) {
	key := func(v any) string {
		var w memo.KeyWriter
		memo.Dynamic(&w, v)
		if err := w.Err(); err != nil {
			t.Fatalf("Dynamic(%v): %v", v, err)
		}
		return string(w.Bytes())
	}
	p := url.URL{Scheme: "http", Host: "h", Path: "p"}
	slash := url.URL{Scheme: "http", Host: "h", Path: "/p"}
	if p.String() != slash.String() {
		t.Fatalf("the two URLs print %q and %q; the test needs them alike", p.String(), slash.String())
	}
	if key(p) == key(slash) {
		t.Errorf("url.URL paths p and /p have one key; want two")
	}
	if key(&p) == key(&slash) {
		t.Errorf("*url.URL paths p and /p have one key; want two")
	}
	again := p
	if key(p) != key(again) {
		t.Errorf("equal URLs have different keys")
	}
}
