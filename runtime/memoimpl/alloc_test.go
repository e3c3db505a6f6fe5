//go:build !race

// The race detector makes sync.Pool drop a random share of what is put in
// it, so allocation counts are only meaningful without it.

package memoimpl_test

import (
	"testing"
	"time"

	memo "github.com/memogen/memogen/runtime"
)

// lookupRequest is the key function memogen would generate for
// func(name string, r request, n int, verbose bool).
func lookupRequest(f *memo.Func, name string, r *request, n int, verbose bool) (string, bool) {
	c := f.Begin(nil)
	w := c.Key()
	w.Text(name)
	w.Text(r.Path)
	w.Length(len(r.Tags))
	for i := range r.Tags {
		w.Text(r.Tags[i])
	}
	w.Int(int64(n))
	w.Bool(verbose)
	if v, ok := memo.Lookup[string](c, false); ok {
		return v, true
	}
	v, _ := memo.Run(c, func() (string, error) { return "result", nil })
	return v, false
}

func TestWarmHitAllocatesNothing(t *testing.T) {
	// Not parallel: AllocsPerRun counts the allocations of every goroutine.
	f := newFunc(t, memo.FuncInfo{})
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
	g := memo.NewGeneric(memo.FuncInfo{Package: testPackage, Name: uniqueName(t)})
	for _, tc := range []struct {
		name   string
		lookup func() *memo.Func
	}{
		{"Instance[int]", func() *memo.Func { return memo.Instance[int](g) }},
		{"Instance2[string, []byte]", func() *memo.Func { return memo.Instance2[string, []byte](g) }},
		{"Instance3[int, string, bool]", func() *memo.Func { return memo.Instance3[int, string, bool](g) }},
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

// The digest of a zone's rules is computed once per location, and then
// costs a key nothing.
func TestTimeLocalKeyAllocatesNothing(t *testing.T) {
	// Not parallel: it sets time.Local, and AllocsPerRun counts every
	// goroutine's allocations.
	saved := time.Local
	t.Cleanup(func() { time.Local = saved })
	time.Local = hostLocal(t, "Europe/Paris")
	at := time.Unix(1_768_478_400, 0).In(time.Local)
	var w memo.KeyWriter
	w.Time(at)
	allocs := testing.AllocsPerRun(100, func() {
		w.Reset()
		w.Time(at)
	})
	if allocs != 0 {
		t.Errorf("Time(%v) in time.Local: %v allocations; want 0", at, allocs)
	}
}
