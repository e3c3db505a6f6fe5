package expvar_test

import (
	"context"
	"encoding/json"
	"expvar"
	"testing"

	"github.com/memogen/memogen/backends/memory"
	memoexpvar "github.com/memogen/memogen/metrics/expvar"
	"github.com/memogen/memogen/runtime/memoimpl"
)

// memoTriple and tripleCached are what memogen generates for
//
//	//memo:cache
//	func Triple(n int) int
var memoTriple = memoimpl.NewFunc(memoimpl.FuncInfo{Package: "example.com/calc", Name: "Triple"})

func tripleCached(n int) int {
	c := memoTriple.Begin(context.Background())
	c.Key().Int(int64(n))
	if r, ok := memoimpl.Lookup[int](c, false); ok {
		return r
	}
	r, _ := memoimpl.Run(c, func() (int, error) { return 3 * n, nil })
	return r
}

func TestPublished(t *testing.T) {
	tripleCached(1)
	tripleCached(1)
	tripleCached(1)
	v := expvar.Get(memoexpvar.Name)
	if v == nil {
		t.Fatal("memogen is not published")
	}
	var got map[string]map[string]any
	if err := json.Unmarshal([]byte(v.String()), &got); err != nil {
		t.Fatal(err)
	}
	f := got["example.com/calc.Triple"]
	want := map[string]any{"backend": "default", "hit": 2.0, "miss": 1.0, "shared": 0.0, "stale": 0.0, "entries": 1.0, "bytes": float64(memory.EntryOverhead + 8 + 8), "corrupt_entries": 0.0, "evictions": 0.0}
	for k, w := range want {
		if f[k] != w {
			t.Errorf("%s = %v, want %v (all: %v)", k, f[k], w, f)
		}
	}
}
