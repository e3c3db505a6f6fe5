//go:build !race

// The race detector makes sync.Pool drop a random share of what is put in
// it, so allocation counts are only meaningful without it.

package memoimpl_test

import (
	"context"
	"testing"

	"github.com/memogen/memogen/runtime/memoimpl"
)

// request is a struct argument with a slice, as in a composite key.
type request struct {
	Path string
	Tags []string
}

// lookupRequest is the key function memogen would generate for
// func(name string, r request, n int, verbose bool).
func lookupRequest(f *memoimpl.Func, name string, r *request, n int, verbose bool) (string, bool) {
	c := f.Begin(context.Background())
	w := c.Key()
	w.Text(name)
	w.Text(r.Path)
	w.Length(len(r.Tags))
	for i := range r.Tags {
		w.Text(r.Tags[i])
	}
	w.Int(int64(n))
	w.Bool(verbose)
	if v, ok := memoimpl.Lookup[string](c, false); ok {
		return v, true
	}
	v, _ := memoimpl.Run(c, func() (string, error) { return "result", nil })
	return v, false
}

func TestWarmHitAllocatesNothing(t *testing.T) {
	// Not parallel: AllocsPerRun counts the allocations of every goroutine.
	f := newFunc(t, memoimpl.FuncInfo{})
	r := &request{Path: "/users", Tags: []string{"a", "bb"}}
	if _, hit := lookupRequest(f, "lookup", r, 42, true); hit {
		t.Fatal("first call hit; want a miss")
	}
	allocs := testing.AllocsPerRun(1000, func() {
		if _, hit := lookupRequest(f, "lookup", r, 42, true); !hit {
			t.Fatal("warm call missed; want a hit")
		}
	})
	if allocs != 0 {
		t.Errorf("a warm hit on the default memory backend: %v allocations; want 0", allocs)
	}
}

func TestInstanceLookupAllocatesNothing(t *testing.T) {
	// Not parallel: AllocsPerRun counts the allocations of every goroutine.
	g := memoimpl.NewGeneric(memoimpl.FuncInfo{Package: testPackage, Name: uniqueName(t)})
	for _, tc := range []struct {
		name   string
		lookup func() *memoimpl.Func
	}{
		{"Instance[int]", func() *memoimpl.Func { return memoimpl.Instance[int](g) }},
		{"Instance2[string, []byte]", func() *memoimpl.Func { return memoimpl.Instance2[string, []byte](g) }},
		{"Instance3[int, string, bool]", func() *memoimpl.Func { return memoimpl.Instance3[int, string, bool](g) }},
	} {
		first := tc.lookup()
		allocs := testing.AllocsPerRun(1000, func() {
			if tc.lookup() != first {
				t.Fatalf("%s returned another Func; want the first", tc.name)
			}
		})
		if allocs != 0 {
			t.Errorf("%s after the first: %v allocations; want 0", tc.name, allocs)
		}
	}
}

func TestWarmHitThroughKeyAllocatesNothing(t *testing.T) {
	// Not parallel: AllocsPerRun counts the allocations of every goroutine.
	f := newFunc(t, memoimpl.FuncInfo{})
	tags := []string{"a", "bb"}
	if _, hit := lookupTags(f, false, "lookup", tags, 42); hit {
		t.Fatal("first call hit; want a miss")
	}
	allocs := testing.AllocsPerRun(1000, func() {
		if _, hit := lookupTags(f, false, "lookup", tags, 42); !hit {
			t.Fatal("warm call missed; want a hit")
		}
	})
	if allocs != 0 {
		t.Errorf("a warm hit keyed through a memo.Key: %v allocations; want 0", allocs)
	}
}
