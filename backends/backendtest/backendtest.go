// Package backendtest is the conformance suite every byte-level backend
// passes: the behaviour of store.Backend that the runtime relies on, and of
// store.Lister and store.Pruner when a backend implements them.
//
// A backend that wraps another, such as a tiered or write-behind store,
// implements store.Lister and store.Pruner but can list or prune only if what
// it wraps can; otherwise List and Prune fail with an error wrapping
// errors.ErrUnsupported, and the suite takes the backend for one that does
// not list or prune.
//
// A backend's tests call [Run], or [RunInBubble] for a backend that talks
// to no server, with a function that opens a fresh, empty backend:
//
//	func TestConformance(t *testing.T) {
//		backendtest.Run(t, func(t *testing.T) store.Backend { return newStore(t) })
//	}
//
// The package also holds what the tests of several backends share: a
// [Recorder], to count a wrapped backend's calls and make them fail, and a
// memoized function, [LenFunc], to drive a backend through the runtime.
// Only tests import it.
package backendtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/memogen/memogen/runtime/store"
)

// Run checks the backend that open returns against the contract of
// store.Backend. Each subtest opens its own backend. Run waits on the real
// clock for an entry to expire, about a second, as a backend whose server
// keeps the time needs; a backend that runs wholly in this process should
// use [RunInBubble].
func Run(t *testing.T, open func(t *testing.T) store.Backend) {
	run(t, open, false)
}

// RunInBubble is [Run] with each subtest, open included, inside a
// testing/synctest bubble, whose fake clock makes waiting for an entry to
// expire instant. The backend must run wholly in this process (in memory,
// in files, or wrapping such a backend): a server's clock is real, and the
// goroutines of its client's connections would outlive the bubble.
func RunInBubble(t *testing.T, open func(t *testing.T) store.Backend) {
	run(t, open, true)
}

func run(t *testing.T, open func(t *testing.T) store.Backend, bubble bool) {
	tests := []struct {
		name string
		run  func(t *testing.T, b store.Backend)
	}{
		{"GetMissing", testGetMissing},
		{"SetGet", testSetGet},
		{"Overwrite", testOverwrite},
		{"Delete", testDelete},
		{"Expired", testExpired},
		{"ClearOneFunc", testClearOneFunc},
		{"List", testList},
		{"Prune", testPrune},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !bubble {
				tt.run(t, open(t))
				return
			}
			synctest.Test(t, func(t *testing.T) { tt.run(t, open(t)) })
		})
	}
}

var (
	funcA  = store.FuncID{Package: "example.com/conformance/p", Name: "F"}
	funcA2 = store.FuncID{Package: "example.com/conformance/p", Name: "F2"}
	funcB  = store.FuncID{Package: "example.com/conformance/p", Name: "T.Method"}
)

// Key returns a key of fn whose digest encodes n, with the json codec.
func Key(fn store.FuncID, n int) store.Key {
	return store.Key{Func: fn, Digest: fmt.Sprintf("%032x", n), Codec: "json"}
}

// entryDigest is the key digest the test entries carry. These tests use
// the backend alone, which stores bytes under any key; the runtime, which
// rejects an entry read under another key than its own, is not involved.
const entryDigest = "0123456789abcdef0123456789abcdef"

// entry returns a valid stored entry with a recognisable payload.
func entry(payload string, expires time.Time) []byte {
	return store.EncodeEntry(store.Entry{
		Codec:   "json",
		Created: time.Now(),
		Digest:  entryDigest,
		Expires: expires,
		Summary: "n=" + payload,
		Payload: []byte(payload),
	})
}

// Set stores value under k until expires, failing t on an error.
func Set(t *testing.T, b store.Backend, k store.Key, value []byte, expires time.Time) {
	t.Helper()
	if err := b.Set(context.Background(), k, value, expires); err != nil {
		t.Fatalf("Set(%v) = %v; want nil", k, err)
	}
}

// WantValue fails t unless b holds exactly want under k.
func WantValue(t *testing.T, b store.Backend, k store.Key, want []byte) {
	t.Helper()
	got, err := b.Get(context.Background(), k)
	if err != nil {
		t.Fatalf("Get(%v) = %v; want the value stored", k, err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("Get(%v) = %q; want %q", k, got, want)
	}
}

// WantMissing fails t unless Get of k reports store.ErrNotFound.
func WantMissing(t *testing.T, b store.Backend, k store.Key) {
	t.Helper()
	got, err := b.Get(context.Background(), k)
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get(%v) = %q, %v; want store.ErrNotFound", k, got, err)
	}
}

func testGetMissing(t *testing.T, b store.Backend) {
	WantMissing(t, b, Key(funcA, 1))
}

func testSetGet(t *testing.T, b store.Backend) {
	v := entry(`"one"`, time.Time{})
	Set(t, b, Key(funcA, 1), v, time.Time{})
	WantValue(t, b, Key(funcA, 1), v)
	WantMissing(t, b, Key(funcA, 2))
	WantMissing(t, b, Key(funcB, 1))
}

func testOverwrite(t *testing.T, b store.Backend) {
	Set(t, b, Key(funcA, 1), entry(`"old"`, time.Time{}), time.Time{})
	v := entry(`"new"`, time.Time{})
	Set(t, b, Key(funcA, 1), v, time.Time{})
	WantValue(t, b, Key(funcA, 1), v)
}

func testDelete(t *testing.T, b store.Backend) {
	Set(t, b, Key(funcA, 1), entry(`1`, time.Time{}), time.Time{})
	for range 2 { // deleting an absent key is not an error
		if err := b.Delete(context.Background(), Key(funcA, 1)); err != nil {
			t.Fatalf("Delete = %v; want nil", err)
		}
	}
	WantMissing(t, b, Key(funcA, 1))
}

func testExpired(t *testing.T, b store.Backend) {
	past := time.Now().Add(-time.Minute)
	if err := b.Set(context.Background(), Key(funcA, 1), entry(`1`, past), past); err != nil {
		t.Fatalf("Set with a past expiry = %v; want nil (the entry is simply not served)", err)
	}
	WantMissing(t, b, Key(funcA, 1))
	future := time.Now().Add(time.Hour)
	v := entry(`2`, future)
	Set(t, b, Key(funcA, 2), v, future)
	WantValue(t, b, Key(funcA, 2), v)
}

func testClearOneFunc(t *testing.T, b store.Backend) {
	stored := make(map[store.Key][]byte)
	for i := range 3 {
		for _, fn := range []store.FuncID{funcA, funcA2, funcB} {
			k, v := Key(fn, i), entry(fmt.Sprintf("%q", fn.Name), time.Time{})
			Set(t, b, k, v, time.Time{})
			stored[k] = v
		}
	}
	if err := b.Clear(context.Background(), funcA); err != nil {
		t.Fatalf("Clear(%v) = %v; want nil", funcA, err)
	}
	for i := range 3 {
		WantMissing(t, b, Key(funcA, i))
		WantValue(t, b, Key(funcA2, i), stored[Key(funcA2, i)])
		WantValue(t, b, Key(funcB, i), stored[Key(funcB, i)])
	}
}

func testList(t *testing.T, b store.Backend) {
	l, ok := b.(store.Lister)
	if !ok {
		t.Logf("%T does not list its entries", b)
		return
	}
	empty, err := list(l, store.FuncID{})
	if unsupported(t, b, "list its entries", err) {
		return
	}
	if err != nil || len(empty) != 0 {
		t.Fatalf("List(all) of an empty backend = %v, %v; want no entries, nil", empty, err)
	}
	expires := time.Now().Add(time.Hour).Truncate(time.Millisecond)
	want := map[store.Key]int{}
	for i := range 2 {
		for _, fn := range []store.FuncID{funcA, funcB} {
			v := entry(`"x"`, expires)
			Set(t, b, Key(fn, i), v, expires)
			want[Key(fn, i)] = storedSize(t, b, Key(fn, i), v)
		}
	}
	got := listAll(t, l, store.FuncID{})
	if len(got) != len(want) {
		t.Fatalf("List(all) returned %d entries; want %d: %v", len(got), len(want), got)
	}
	for _, e := range got {
		k := e.Key
		k.Codec = "json"
		size, ok := want[k]
		if !ok {
			t.Errorf("List returned %v, which was never stored", e.Key)
			continue
		}
		if e.Size != int64(size) {
			t.Errorf("List: %v has Size %d; want %d", e.Key, e.Size, size)
		}
		if !e.Expires.IsZero() && !e.Expires.Equal(expires) {
			t.Errorf("List: %v expires %v; want %v", e.Key, e.Expires, expires)
		}
	}
	if got := listAll(t, l, funcB); len(got) != 2 {
		t.Errorf("List(%v) returned %d entries; want 2", funcB, len(got))
	}
}

// list returns the entries l lists for fn.
// storedSize returns the bytes that b stores for v, set under k, which a
// listing reports: len(v), or for a backend that transforms what it stores,
// such as a store.SealedBackend, the size of what the backend it wraps
// holds, which its Unwrap returns.
func storedSize(t *testing.T, b store.Backend, k store.Key, v []byte) int {
	t.Helper()
	w, ok := b.(interface{ Unwrap() store.Backend })
	if !ok {
		return len(v)
	}
	stored, err := w.Unwrap().Get(context.Background(), k)
	if err != nil {
		t.Fatalf("Get(%v) from the backend that %T wraps = %v; want what it stored", k, b, err)
	}
	return len(stored)
}

func list(l store.Lister, fn store.FuncID) ([]store.StoredEntry, error) {
	var out []store.StoredEntry
	err := l.List(context.Background(), fn, func(e store.StoredEntry) bool {
		out = append(out, e)
		return true
	})
	return out, err
}

func listAll(t *testing.T, l store.Lister, fn store.FuncID) []store.StoredEntry {
	t.Helper()
	out, err := list(l, fn)
	if err != nil {
		t.Fatalf("List(%v) = %v; want nil", fn, err)
	}
	return out
}

// unsupported reports whether err wraps errors.ErrUnsupported, as List and
// Prune of a wrapper do when the backend it wraps cannot list or prune; if
// so, it logs that b does not do what.
func unsupported(t *testing.T, b store.Backend, what string, err error) bool {
	t.Helper()
	if !errors.Is(err, errors.ErrUnsupported) {
		return false
	}
	t.Logf("%T does not %s: %v", b, what, err)
	return true
}

func testPrune(t *testing.T, b store.Backend) {
	p, ok := b.(store.Pruner)
	if !ok {
		t.Logf("%T expires entries without pruning", b)
		return
	}
	// Asked first, so that a backend that cannot prune costs no wait.
	stats, err := p.Prune(context.Background())
	if unsupported(t, b, "prune", err) {
		return
	}
	if err != nil || stats != (store.PruneStats{}) {
		t.Fatalf("Prune of an empty backend = %+v, %v; want nothing removed, nil", stats, err)
	}
	soon := time.Now().Add(time.Second)
	Set(t, b, Key(funcA, 1), entry(`1`, soon), soon)
	live := entry(`2`, time.Time{})
	Set(t, b, Key(funcA, 2), live, time.Time{})
	for time.Now().Before(soon.Add(50 * time.Millisecond)) {
		time.Sleep(50 * time.Millisecond)
	}
	stats, err = p.Prune(context.Background())
	if err != nil {
		t.Fatalf("Prune = %v; want nil", err)
	}
	if stats.Entries != 1 || stats.Bytes <= 0 {
		t.Errorf("Prune removed %d entries, %d bytes; want 1 entry and its bytes", stats.Entries, stats.Bytes)
	}
	WantMissing(t, b, Key(funcA, 1))
	WantValue(t, b, Key(funcA, 2), live)
}
