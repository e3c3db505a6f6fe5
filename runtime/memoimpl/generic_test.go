package memoimpl_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/memogen/memogen/backends/memory"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
	"github.com/memogen/memogen/runtime/store"
)

// newGeneric returns a Generic of its own for t, as generated code declares
// one per memoized generic function.
func newGeneric(t *testing.T, info memoimpl.FuncInfo) *memoimpl.Generic {
	if info.Package == "" {
		info.Package = testPackage
	}
	if info.Name == "" {
		info.Name = uniqueName(t)
	}
	return memoimpl.NewGeneric(info)
}

func TestInstanceIsOnePerInstantiation(t *testing.T) {
	t.Parallel()
	g := newGeneric(t, memoimpl.FuncInfo{})
	distinct := map[*memoimpl.Func]string{}
	for name, f := range map[string]*memoimpl.Func{
		"Instance[int]":                  memoimpl.Instance[int](g),
		"Instance[string]":               memoimpl.Instance[string](g),
		"Instance[[]int]":                memoimpl.Instance[[]int](g),
		"Instance2[int, string]":         memoimpl.Instance2[int, string](g),
		"Instance2[string, int]":         memoimpl.Instance2[string, int](g),
		"Instance3[int, int, int]":       memoimpl.Instance3[int, int, int](g),
		"InstanceOf(int, int, int, int)": g.InstanceOf(reflect.TypeFor[int](), reflect.TypeFor[int](), reflect.TypeFor[int](), reflect.TypeFor[int]()),
	} {
		if other, ok := distinct[f]; ok {
			t.Errorf("%s and %s returned the same Func; want one per instantiation", name, other)
		}
		distinct[f] = name
	}

	for _, tc := range []struct {
		name        string
		first, then func() *memoimpl.Func
	}{
		{"Instance[int]", func() *memoimpl.Func { return memoimpl.Instance[int](g) }, func() *memoimpl.Func { return memoimpl.Instance[int](g) }},
		{"Instance2[int, string]", func() *memoimpl.Func { return memoimpl.Instance2[int, string](g) }, func() *memoimpl.Func { return memoimpl.Instance2[int, string](g) }},
		{"Instance3[int, int, int]", func() *memoimpl.Func { return memoimpl.Instance3[int, int, int](g) }, func() *memoimpl.Func { return memoimpl.Instance3[int, int, int](g) }},
		{"InstanceOf(int) and Instance[int]", func() *memoimpl.Func { return g.InstanceOf(reflect.TypeFor[int]()) }, func() *memoimpl.Func { return memoimpl.Instance[int](g) }},
		{"InstanceOf(int, string) and Instance2[int, string]", func() *memoimpl.Func { return g.InstanceOf(reflect.TypeFor[int](), reflect.TypeFor[string]()) }, func() *memoimpl.Func { return memoimpl.Instance2[int, string](g) }},
	} {
		if tc.first() != tc.then() {
			t.Errorf("%s: two lookups returned two Funcs; want the same", tc.name)
		}
	}
}

func TestInstanceFirstUseIsSharedByConcurrentCallers(t *testing.T) {
	t.Parallel()
	g := newGeneric(t, memoimpl.FuncInfo{})
	const n = 16
	got := make([]*memoimpl.Func, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { got[i] = memoimpl.Instance2[int, bool](g) })
	}
	wg.Wait()
	for i, f := range got {
		if f != got[0] {
			t.Fatalf("goroutine %d got another Func than goroutine 0; want one Func per instantiation", i)
		}
	}
}

// localType is a named type: its identity spells its import path, so an
// instance's name spells it by a hash.
type localType struct{ A int }

func TestInstanceIDSpellsTypeArguments(t *testing.T) {
	t.Parallel()
	const pkg = "example.com/generic"
	fn := memoimpl.NewGeneric(memoimpl.FuncInfo{Package: pkg, Name: "F"})
	method := memoimpl.NewGeneric(memoimpl.FuncInfo{Package: pkg, Receiver: "List", Name: "Join"})
	hashed := func(prefix, suffix string) *regexp.Regexp {
		return regexp.MustCompile(`^` + regexp.QuoteMeta(prefix) + `\[[0-9a-f]{16}\]` + regexp.QuoteMeta(suffix) + `$`)
	}
	for _, tc := range []struct {
		what string
		f    *memoimpl.Func
		want string         // the exact name, or
		like *regexp.Regexp // its shape, for a hashed spelling
	}{
		{what: "F[int]", f: memoimpl.Instance[int](fn), want: "F[int]"},
		{what: "F[string, []byte]", f: memoimpl.Instance2[string, []byte](fn), want: "F[string,[]uint8]"},
		{what: "F[map[string]any]", f: memoimpl.Instance[map[string]any](fn), want: "F[map[string]any]"},
		{what: "F[[4]int, error, any]", f: memoimpl.Instance3[[4]int, error, any](fn), want: "F[[4]int,error,any]"},
		{what: "List[int].Join", f: memoimpl.Instance[int](method), want: "List[int].Join"},
		{what: "F[localType]", f: memoimpl.Instance[localType](fn), like: hashed("F", "")},
		{what: "F[time.Duration]", f: memoimpl.Instance[time.Duration](fn), like: hashed("F", "")},
		{what: "F[*int]", f: memoimpl.Instance[*int](fn), like: hashed("F", "")},
		{what: "F[struct{A int}]", f: memoimpl.Instance[struct{ A int }](fn), like: hashed("F", "")},
		{what: "F[chan int]", f: memoimpl.Instance[chan int](fn), like: hashed("F", "")},
		{what: "List[localType].Join", f: memoimpl.Instance[localType](method), like: hashed("List", ".Join")},
		{what: "F[long]", f: memoimpl.Instance3[map[string]map[string][]int, map[string]map[string][]int, map[string]map[string][]int](fn), like: hashed("F", "")},
	} {
		id := tc.f.ID()
		if id.Package != pkg {
			t.Errorf("%s: ID().Package = %q; want %q", tc.what, id.Package, pkg)
		}
		if tc.like != nil && !tc.like.MatchString(id.Name) || tc.like == nil && id.Name != tc.want {
			want := tc.want
			if tc.like != nil {
				want = tc.like.String()
			}
			t.Errorf("%s: ID().Name = %q; want %s", tc.what, id.Name, want)
		}
		if strings.ContainsAny(id.Name, "/\\: \x00") || strings.HasPrefix(id.Name, ".") {
			t.Errorf("%s: ID().Name = %q; want no slash, backslash, colon, space, NUL or leading dot", tc.what, id.Name)
		}
	}
	if fn.ID() != (store.FuncID{Package: pkg, Name: "F"}) {
		t.Errorf("Generic ID() = %+v; want %s.F", fn.ID(), pkg)
	}
}

func TestInstanceHasItsOwnStatsClearAndBound(t *testing.T) {
	t.Parallel()
	g := newGeneric(t, memoimpl.FuncInfo{MaxEntries: 1})
	ints, strs := memoimpl.Instance[int](g), memoimpl.Instance[string](g)
	var c counter
	get(ints, "a", c.fn("int a"))
	get(strs, "a", c.fn("string a"))
	get(strs, "a", c.fn("string a"))
	if c.runs() != 2 {
		t.Fatalf("calls of two instantiations ran the function %d times; want 2", c.runs())
	}
	if want := (memo.Stats{Misses: 1}); ints.Stats() != want {
		t.Errorf("Instance[int] Stats() = %+v; want %+v", ints.Stats(), want)
	}
	if want := (memo.Stats{Hits: 1, Misses: 1}); strs.Stats() != want {
		t.Errorf("Instance[string] Stats() = %+v; want %+v", strs.Stats(), want)
	}
	if !contains(ints, "a") || !contains(strs, "a") {
		t.Errorf("Contains(a) = %v, %v; want true, true: size=1 bounds each instantiation alone", contains(ints, "a"), contains(strs, "a"))
	}

	if err := ints.Clear(context.Background()); err != nil {
		t.Fatalf("Instance[int] Clear = %v; want nil", err)
	}
	if contains(ints, "a") {
		t.Error("Instance[int] Contains(a) after its Clear = true; want false")
	}
	if !contains(strs, "a") {
		t.Error("Instance[string] Contains(a) after Instance[int] Clear = false; want true")
	}
}

// keyRecorder is a byte-level backend that remembers the keys it stores.
type keyRecorder struct {
	store.Backend
	mu   sync.Mutex
	keys []store.Key
}

func (r *keyRecorder) Set(ctx context.Context, key store.Key, value []byte, expires time.Time) error {
	r.mu.Lock()
	r.keys = append(r.keys, key)
	r.mu.Unlock()
	return r.Backend.Set(ctx, key, value, expires)
}

func TestInstancesNeverShareByteEntries(t *testing.T) {
	name := uniqueName(t)
	rec := &keyRecorder{Backend: memory.New(memory.Options{})}
	register(t, name, rec)
	g := newGeneric(t, memoimpl.FuncInfo{Backend: name, Codec: "json"})
	var c counter
	instances := []*memoimpl.Func{memoimpl.Instance[int](g), memoimpl.Instance[int64](g), memoimpl.Instance[localType](g), memoimpl.Instance[struct{ A int }](g)}
	for _, f := range instances {
		if _, err := get(f, "same key", c.fn("v")); err != nil {
			t.Fatalf("%s: %v", f.ID(), err)
		}
	}
	if c.runs() != int64(len(instances)) {
		t.Errorf("%d instantiations called with one key ran the function %d times; want %d", len(instances), c.runs(), len(instances))
	}
	funcs, digests := map[store.FuncID]bool{}, map[string]bool{}
	for _, k := range rec.keys {
		funcs[k.Func], digests[k.Digest] = true, true
	}
	if len(rec.keys) != len(instances) || len(funcs) != len(instances) || len(digests) != len(instances) {
		t.Errorf("stored keys %v; want %d, each of its own function and digest", rec.keys, len(instances))
	}
}

func TestCheckBackendsListsGenericBeforeAnyInstance(t *testing.T) {
	quiet(t)
	unbound := uniqueName(t)
	g := newGeneric(t, memoimpl.FuncInfo{Backend: unbound})
	err := memo.CheckBackends()
	if !errors.Is(err, memo.ErrUnbound) || !strings.Contains(err.Error(), "(used by "+g.ID().String()+")") {
		t.Fatalf("CheckBackends() = %v; want ErrUnbound used by %s", err, g.ID())
	}

	f := memoimpl.Instance[int](g)
	var c counter
	get(f, "k", c.fn("v"))
	get(f, "k", c.fn("v"))
	if c.runs() != 2 || f.Stats().Failures != 2 {
		t.Errorf("an instance bound to nothing ran %d times with %d failures; want 2 uncached runs, 2 failures", c.runs(), f.Stats().Failures)
	}
	err = memo.CheckBackends()
	if err == nil || !strings.Contains(err.Error(), "(used by "+g.ID().String()+")") {
		t.Errorf("CheckBackends() with an instance = %v; want the Generic listed once, for all its instances", err)
	}

	register(t, unbound, memory.New(memory.Options{}))
	if err := memo.CheckBackends(); err != nil && strings.Contains(err.Error(), g.ID().String()) {
		t.Errorf("CheckBackends() after Register = %q; want no mention of %s", err, g.ID())
	}
}

// sameNamedTypes returns two types of one name and structure, declared
// inside two functions: two types, which reflection spells alike. Each
// test that calls it gets types of its own, through its own pair of
// functions.
func sameNamedTypes() (a, b reflect.Type, va, vb any) {
	return localInFirst(), localInSecond(), localValueFirst(), localValueSecond()
}

func localInFirst() reflect.Type {
	type Loc struct{ X int }
	return reflect.TypeFor[Loc]()
}

func localInSecond() reflect.Type {
	type Loc struct{ X int }
	return reflect.TypeFor[Loc]()
}

func localValueFirst() any  { type Pin struct{ X int }; return Pin{1} }
func localValueSecond() any { type Pin struct{ X int }; return Pin{1} }

func TestLocalTypesOfOneNameAreTwoInstances(t *testing.T) {
	t.Parallel()
	a, b, _, _ := sameNamedTypes()
	if a == b || a.String() != b.String() {
		t.Fatalf("the test needs two types that reflection spells alike; got %v and %v", a, b)
	}
	g := newGeneric(t, memoimpl.FuncInfo{})
	fa, fb := g.InstanceOf(a), g.InstanceOf(b)
	if fa == fb {
		t.Fatalf("InstanceOf(%v) and InstanceOf(%v) of two local types returned one Func; want one each", a, b)
	}
	if fa.ID() == fb.ID() {
		t.Errorf("both instances are named %v; want two names, since memory stores find tables by name", fa.ID())
	}
	if g.InstanceOf(a) != fa || g.InstanceOf(b) != fb {
		t.Errorf("a second lookup returned another Func; want the same")
	}
	var c counter
	get(fa, "k", c.fn("first"))
	if got, _ := get(fb, "k", c.fn("second")); got != "second" || c.runs() != 2 {
		t.Errorf("the second type's call = %q after %d runs; want second after 2: the types share no entry", got, c.runs())
	}
}

// Byte-level backends, which other processes share, cannot tell the types
// apart: calls of both instances run uncached there, and the hook is told.
func TestLocalTypesOfOneNameRunUncachedInByteStores(t *testing.T) {
	name := uniqueName(t)
	register(t, name, byteOnly{memory.New(memory.Options{})})
	g := newGeneric(t, memoimpl.FuncInfo{Backend: name, Codec: "json"})
	a := localByteFirst()
	fa := g.InstanceOf(a)
	var c counter
	get(fa, "k", c.fn("v"))
	get(fa, "k", c.fn("v"))
	if c.runs() != 1 {
		t.Fatalf("before the second type is met, the first's calls ran %d times; want 1 (cached)", c.runs())
	}
	var rec recorder
	configure(t, memo.Config{Hook: rec.Hook, Logger: slog.New(slog.DiscardHandler)})
	fb := g.InstanceOf(localByteSecond())
	get(fb, "k", c.fn("v"))
	get(fa, "k", c.fn("v"))
	if c.runs() != 3 {
		t.Errorf("after the second type is met, calls of both ran %d times in all; want 3 (uncached)", c.runs())
	}
	calls := rec.Calls()
	if len(calls) != 2 || !errors.Is(calls[0].Err, memo.ErrAmbiguousType) || !errors.Is(calls[1].Err, memo.ErrAmbiguousType) {
		t.Errorf("hook saw %+v; want each instance reported once with memo.ErrAmbiguousType", calls)
	}
}

func localByteFirst() reflect.Type {
	type Acct struct{ ID int }
	return reflect.TypeFor[Acct]()
}

func localByteSecond() reflect.Type {
	type Acct struct{ ID int }
	return reflect.TypeFor[Acct]()
}

// Keys that name types (an interface's dynamic type, TypeKey) tell two
// local types of one name apart in this process, and byte-level backends
// run their calls uncached.
func TestLocalTypesOfOneNameInKeys(t *testing.T) {
	_, _, va, vb := sameNamedTypes()
	if ka, kb := dynamicKey(va), dynamicKey(vb); bytes.Equal(ka, kb) {
		t.Errorf("Dynamic[any] of two local types keyed both %x; want two keys", ka)
	}
	name := uniqueName(t)
	register(t, name, byteOnly{memory.New(memory.Options{})})
	f := newFunc(t, memoimpl.FuncInfo{Backend: name, Codec: "json"})
	var rec recorder
	configure(t, memo.Config{Hook: rec.Hook})
	runs := 0
	for range 2 {
		c := f.Begin(context.Background())
		memo.Dynamic[any](c.Key(), va)
		if _, ok := memoimpl.Lookup[int](c, false); ok {
			t.Fatal("Lookup hit; want the call uncached")
		}
		memoimpl.Run(c, func() (int, error) { runs++; return 1, nil })
	}
	if calls := rec.Calls(); runs != 2 || len(calls) != 2 || calls[0].Outcome != memo.Uncached || !errors.Is(calls[0].Err, memo.ErrAmbiguousType) {
		t.Errorf("two calls keyed by an ambiguous type ran %d times, hook saw %+v; want 2 uncached runs with memo.ErrAmbiguousType", runs, calls)
	}
}
