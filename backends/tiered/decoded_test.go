package tiered

import (
	"context"
	"reflect"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/memogen/memogen/backends/backendtest"
	"github.com/memogen/memogen/backends/memory"
	_ "github.com/memogen/memogen/codecs/json"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
	"github.com/memogen/memogen/runtime/store"
)

// These tests drive the runtime over a Store, as generated code does: it
// keeps decoded results in the front (store.DecodedFront).

// fakeClock is the runtime's clock in these tests.
type fakeClock struct{ now atomic.Int64 }

func (c *fakeClock) Now() time.Time          { return time.Unix(0, c.now.Load()) }
func (c *fakeClock) Advance(d time.Duration) { c.now.Add(int64(d)) }

// useClock makes the runtime tell time by a fake clock until t ends.
func useClock(t *testing.T) *fakeClock {
	t.Helper()
	c := new(fakeClock)
	c.now.Store(time.Now().UnixNano()) // backends expire entries by the real clock
	memo.Configure(memo.Config{Now: c.Now})
	t.Cleanup(func() { memo.Configure(memo.Config{}) })
	return c
}

// backends numbers the backend names of these tests.
var backends atomic.Int64

// fn is a memoized function of one string argument over a backend, whose
// body returns what result says; every fn is the same function, so two
// over Stores sharing a back see each other's entries, as two processes
// do.
type fn[R any] struct {
	f      *memoimpl.Func
	runs   atomic.Int64
	result func(s string) R
}

func newFn[R any](t *testing.T, b store.Backend, ttl time.Duration, result func(string) R) *fn[R] {
	t.Helper()
	name := "tiered-decoded-" + t.Name() + "-" + strconv.FormatInt(backends.Add(1), 10)
	memo.Register(name, b)
	t.Cleanup(func() { memo.Unregister(name) })
	info := memoimpl.FuncInfo{Package: "example.com/tiered", Name: "F", Backend: name, Codec: "json", TTL: ttl}
	return &fn[R]{f: memoimpl.NewFunc(info), result: result}
}

func (f *fn[R]) call(s string) R {
	c := f.f.Begin(context.Background())
	c.Key().Text(s)
	if r, ok := memoimpl.Lookup[R](c, false); ok {
		return r
	}
	r, _ := memoimpl.Run(c, func() (R, error) {
		f.runs.Add(1)
		return f.result(s), nil
	})
	return r
}

func (f *fn[R]) forget(s string) error {
	c := f.f.Begin(context.Background())
	c.Key().Text(s)
	return c.Forget()
}

func TestDecodedFrontHitsSkipTheBack(t *testing.T) {
	s, _, back := newTiered(t, Options{})
	f := newFn(t, s, 0, func(s string) int { return len(s) })
	for i := range 5 {
		if got := f.call("hello"); got != 5 {
			t.Fatalf("call %d = %d; want 5", i, got)
		}
	}
	// The miss stores; the next call reads the entry back and keeps its
	// decoded result; the rest are front hits.
	wantCalls(t, back, "Set", 1)
	wantCalls(t, back, "Get", 2)
	if runs := f.runs.Load(); runs != 1 {
		t.Errorf("the function ran %d times; want 1", runs)
	}
	if st := f.f.Stats(); st.Hits != 4 || st.Misses != 1 || st.Corrupt != 0 || st.Failures != 0 {
		t.Errorf("Stats() = %+v; want 4 hits, 1 miss", st)
	}
	c := f.f.Begin(context.Background())
	c.Key().Text("hello")
	if !c.Contains() {
		t.Error("Contains() = false for a result the front keeps; want true")
	}
	wantCalls(t, back, "Get", 2)
}

// A write through the Store, such as Forget, is seen by the next call.
func TestDecodedFrontDroppedByWrites(t *testing.T) {
	s, _, back := newTiered(t, Options{})
	f := newFn(t, s, 0, func(s string) int { return len(s) })
	f.call("hello")
	f.call("hello") // kept in the front
	if err := f.forget("hello"); err != nil {
		t.Fatalf("Forget = %v", err)
	}
	f.call("hello")
	if runs := f.runs.Load(); runs != 2 {
		t.Errorf("after Forget the function ran %d times in all; want 2", runs)
	}
	f.call("hello")
	f.call("hello")
	f.call("hello")
	if err := s.Clear(ctx, f.f.ID()); err != nil {
		t.Fatalf("Clear = %v", err)
	}
	f.call("hello")
	if runs := f.runs.Load(); runs != 3 {
		t.Errorf("after Clear the function ran %d times in all; want 3", runs)
	}
	wantCalls(t, back, "Delete", 1)
}

// A change that reaches the back by another way, here another Store over
// the same back as in another process, is served stale for at most the
// front TTL, counted by the runtime's clock from when the entry was read.
func TestDecodedFrontStaleAtMostFrontTTL(t *testing.T) {
	clock := useClock(t)
	const ttl = time.Minute
	back := new(backendtest.Recorder)
	here := New(memory.New(memory.Options{}), back, Options{FrontTTL: ttl})
	there := New(memory.New(memory.Options{}), back, Options{FrontTTL: ttl})
	version := 1
	f := newFn(t, here, 0, func(string) int { return 1 })
	other := newFn(t, there, 0, func(string) int { return version })

	f.call("k")
	if got := f.call("k"); got != 1 { // read from the back and kept at the clock's time
		t.Fatalf("call = %d; want 1", got)
	}
	version = 2
	if err := other.forget("k"); err != nil {
		t.Fatal(err)
	}
	if got := other.call("k"); got != 2 {
		t.Fatalf("the other process's call = %d; want 2", got)
	}

	clock.Advance(ttl - time.Nanosecond)
	if got := f.call("k"); got != 1 {
		t.Errorf("call within the front TTL = %d; want 1, the front's", got)
	}
	clock.Advance(time.Nanosecond)
	if got := f.call("k"); got != 2 {
		t.Errorf("call at the front TTL = %d; want 2, the back's", got)
	}
	if got := f.call("k"); got != 2 {
		t.Errorf("call after the front TTL = %d; want 2", got)
	}
	if runs := f.runs.Load(); runs != 1 {
		t.Errorf("the function ran %d times here; want 1", runs)
	}
}

// An entry's own expiry bounds the front too.
func TestDecodedFrontKeepsNoExpiredEntry(t *testing.T) {
	clock := useClock(t)
	s, _, _ := newTiered(t, Options{FrontTTL: time.Hour})
	f := newFn(t, s, time.Minute, func(s string) int { return len(s) })
	f.call("k")
	f.call("k") // kept until the entry expires, a minute after it was stored
	clock.Advance(time.Minute)
	f.call("k")
	if runs := f.runs.Load(); runs != 2 {
		t.Errorf("the function ran %d times; want 2: once more when its entry expired", runs)
	}
}

// A front hit returns the value that decoding the back's entry gives, not
// the result as the function returned it: a time's monotonic clock
// reading, which no codec keeps, is gone from the first hit on.
func TestDecodedFrontServesWhatTheBackDecodes(t *testing.T) {
	s, _, back := newTiered(t, Options{})
	computed := time.Now() // with a monotonic reading
	f := newFn(t, s, 0, func(string) time.Time { return computed })
	if got := f.call("k"); !reflect.DeepEqual(got, computed) {
		t.Fatalf("miss = %v; want the computed %v", got, computed)
	}
	fromBack := f.call("k")
	fromFront := f.call("k")
	wantCalls(t, back, "Get", 2) // the third call was a front hit
	if runs := f.runs.Load(); runs != 1 {
		t.Fatalf("the function ran %d times; want 1", runs)
	}
	data, err := back.Get(ctx, keyOf(t, back, f.f.ID()))
	if err != nil {
		t.Fatal(err)
	}
	e, err := store.DecodeEntry(data)
	if err != nil {
		t.Fatal(err)
	}
	codec, err := store.LookupCodec("json")
	if err != nil {
		t.Fatal(err)
	}
	var decoded time.Time
	if err := codec.Unmarshal(e.Payload, &decoded); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromFront, decoded) || !reflect.DeepEqual(fromBack, decoded) {
		t.Errorf("front hit %#v, back hit %#v; want both %#v, what the back's entry decodes to", fromFront, fromBack, decoded)
	}
	if reflect.DeepEqual(fromFront, computed) {
		t.Errorf("front hit %#v is the computed result, monotonic reading and all; want the decoded one", fromFront)
	}
}

// keyOf returns the key of the one entry of fn that back holds.
func keyOf(t *testing.T, back *backendtest.Recorder, fn store.FuncID) store.Key {
	t.Helper()
	var keys []store.Key
	err := back.List(ctx, fn, func(e store.StoredEntry) bool { keys = append(keys, e.Key); return true })
	if err != nil || len(keys) != 1 {
		t.Fatalf("back lists %v, %v; want one entry", keys, err)
	}
	return keys[0]
}
