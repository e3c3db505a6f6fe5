//go:build !race

package memoimpl_test

import (
	"context"
	"testing"
	"time"

	"github.com/memogen/memogen/runtime/memoimpl"
)

// freshLookup is the hit path memogen generates for a function with
// freshness options.
func freshLookup(f *memoimpl.Func, key string) (string, bool) {
	c := f.Begin(context.Background())
	c.Key().Text(key)
	if v, ok, _ := memoimpl.LookupFresh[string](c, false); ok {
		return v, true
	}
	v, _ := memoimpl.RunFresh(c, func(context.Context) (string, error) { return "result", nil })
	return v, false
}

func TestFreshHitAllocatesNothing(t *testing.T) {
	// Not parallel: AllocsPerRun counts the allocations of every goroutine.
	f := newFunc(t, memoimpl.FuncInfo{TTL: time.Hour, Stale: time.Minute, StaleIfError: time.Minute, ErrTTL: time.Minute})
	freshLookup(f, "k")
	allocs := testing.AllocsPerRun(1000, func() {
		if _, hit := freshLookup(f, "k"); !hit {
			t.Fatal("warm call missed; want a hit")
		}
	})
	if allocs != 0 {
		t.Errorf("a warm hit with stale=, stale_if_error= and errttl=: %v allocations; want 0", allocs)
	}
}

// BenchmarkHitFreshness compares a warm hit on the default memory backend
// without freshness options, the path every other function takes, with
// one under stale=, stale_if_error= and errttl=: options not used cost
// nothing on the hit path (0 allocs; TestWarmHitAllocatesNothing holds
// it), and used they add one type assertion and a clock read.
func BenchmarkHitFreshness(b *testing.B) {
	b.Run("none", func(b *testing.B) {
		f := memoimpl.NewFunc(memoimpl.FuncInfo{Package: testPackage, Name: "BenchmarkHitFreshnessNone"})
		r := &request{Path: "/users", Tags: []string{"a", "bb"}}
		lookupRequest(f, "lookup", r, 42, true)
		b.ReportAllocs()
		for b.Loop() {
			lookupRequest(f, "lookup", r, 42, true)
		}
	})
	b.Run("stale+errttl", func(b *testing.B) {
		f := memoimpl.NewFunc(memoimpl.FuncInfo{Package: testPackage, Name: "BenchmarkHitFreshnessStale", TTL: time.Hour, Stale: time.Minute, ErrTTL: time.Minute})
		freshLookup(f, "lookup")
		b.ReportAllocs()
		for b.Loop() {
			freshLookup(f, "lookup")
		}
	})
}
