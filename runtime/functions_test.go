package runtime_test

import (
	"context"
	"testing"

	"github.com/memogen/memogen/backends/memory"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
)

var (
	memoListedB = memoimpl.NewFunc(memoimpl.FuncInfo{Package: "example.com/listed", Name: "B"})
	memoListedA = memoimpl.NewFunc(memoimpl.FuncInfo{Package: "example.com/listed", Name: "A", Backend: "listed-unbound"})
	memoListedG = memoimpl.NewGeneric(memoimpl.FuncInfo{Package: "example.com/listed", Name: "G"})
)

func listedCall(f *memoimpl.Func, n int) {
	c := f.Begin(context.Background())
	c.Key().Int(int64(n))
	if _, ok := memoimpl.Lookup[int](c, false); ok {
		return
	}
	memoimpl.Run(c, func() (int, error) { return n, nil })
}

// Functions lists every function, sorted, with its counters; a generic
// function's instances once called; entries only where the backend counts
// them, and never by binding a backend.
func TestFunctions(t *testing.T) {
	listed := func() map[string]memo.FuncStats {
		m := map[string]memo.FuncStats{}
		var order []string
		for _, f := range memo.Functions() {
			if f.Func.Package == "example.com/listed" {
				m[f.Func.Name] = f
				order = append(order, f.Func.Name)
			}
		}
		for i := 1; i < len(order); i++ {
			if order[i-1] > order[i] {
				t.Errorf("not sorted: %v", order)
			}
		}
		return m
	}
	before := listed()
	if len(before) != 2 || before["A"].Entries != -1 || before["B"].Entries != -1 || before["B"].Bytes != -1 || before["A"].Backend != "listed-unbound" {
		t.Fatalf("before any call: %+v", before)
	}

	listedCall(memoListedB, 1)
	listedCall(memoListedB, 1)
	listedCall(memoListedB, 2)
	listedCall(memoListedA, 1) // its backend is not bound: uncached
	listedCall(memoimpl.Instance[string](memoListedG), 1)

	after := listed()
	b := after["B"]
	if b.Hits != 1 || b.Misses != 2 || b.Entries != 2 || b.Bytes != 2*(memory.EntryOverhead+8+8) || b.Backend != memo.DefaultBackend {
		t.Errorf("B = %+v", b)
	}
	if a := after["A"]; a.Failures != 1 || a.Entries != -1 {
		t.Errorf("A = %+v", a)
	}
	if len(after) != 3 {
		t.Errorf("listed %v, want A, B and G's instance", after)
	}
	for name, f := range after {
		if name != "A" && name != "B" && (f.Misses != 1 || f.Func.Name == "G") {
			t.Errorf("instance %s = %+v", name, f)
		}
	}
}
