package backendtest

import (
	"context"
	"testing"
	"time"

	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/store"
)

// EntryKeys checks, through the runtime, that a stored entry answers for
// its own key only. swap exchanges what b holds under two keys of one
// function, and place puts what b holds under one key under another
// function's key, each the way the backend's storage allows (renaming
// files, RENAME in Redis, writing to one tier only); [SwapValues] and
// [CopyValue] do it through b itself. Afterwards every call recomputes its
// own result instead of serving the other key's, and counts the entry it
// found as corrupt.
func EntryKeys(t *testing.T, b store.Backend, swap func(t *testing.T, a, c store.Key), place func(t *testing.T, from, to store.Key)) {
	t.Helper()
	balance := NewNamedLenFunc(t, b, "Balance", 1)
	doubled := NewNamedLenFunc(t, b, "Doubled", 2)
	balance.MustCall(t, "alice", 1)
	balance.MustCall(t, "bob", 2)
	doubled.MustCall(t, "alice", 1)

	swap(t, balance.Key(t, "alice"), balance.Key(t, "bob"))
	balance.MustCall(t, "alice", 3) // not bob's 3
	balance.MustCall(t, "bob", 4)   // not alice's 5
	balance.WantStats(t, memo.Stats{Misses: 4, Corrupt: 2})
	balance.MustCall(t, "alice", 4) // the recomputed entries hit
	balance.MustCall(t, "bob", 4)
	balance.WantStats(t, memo.Stats{Hits: 2, Misses: 4, Corrupt: 2})

	place(t, balance.Key(t, "alice"), doubled.Key(t, "alice"))
	doubled.MustCall(t, "alice", 2) // not Balance's 5
	doubled.WantStats(t, memo.Stats{Misses: 2, Corrupt: 1})
	doubled.MustCall(t, "alice", 2)
	doubled.WantStats(t, memo.Stats{Hits: 1, Misses: 2, Corrupt: 1})
}

// SwapValues exchanges the bytes b holds under a and c through b itself,
// failing t on an error.
func SwapValues(b store.Backend) func(t *testing.T, a, c store.Key) {
	return func(t *testing.T, a, c store.Key) {
		t.Helper()
		va, vc := mustGet(t, b, a), mustGet(t, b, c)
		Set(t, b, a, vc, time.Time{})
		Set(t, b, c, va, time.Time{})
	}
}

// CopyValue stores the bytes b holds under from under to as well, through
// b itself, failing t on an error.
func CopyValue(b store.Backend) func(t *testing.T, from, to store.Key) {
	return func(t *testing.T, from, to store.Key) {
		t.Helper()
		Set(t, b, to, mustGet(t, b, from), time.Time{})
	}
}

// mustGet returns what b holds under k, failing t on an error.
func mustGet(t *testing.T, b store.Backend, k store.Key) []byte {
	t.Helper()
	v, err := b.Get(context.Background(), k)
	if err != nil {
		t.Fatalf("Get(%v) = %v; want a value", k, err)
	}
	return v
}
