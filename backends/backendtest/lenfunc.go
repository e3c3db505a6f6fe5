package backendtest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"sync/atomic"
	"testing"

	_ "github.com/memogen/memogen/codecs/json" // the codec of LenFunc's results
	memo "github.com/memogen/memogen/runtime"
)

// A LenFunc is a memoized "length of s" that calls the runtime as
// memogen's generated wrappers do, so that a test sees what a backend does
// for a program, and counts how many times its body runs.
type LenFunc struct {
	f    *memo.Func
	runs atomic.Int64 // times the function body ran
}

// NewLenFunc binds b to a backend name of t's own until t ends, and returns
// a LenFunc that uses it. Every LenFunc is the same function, so one over a
// backend that another wrote to, as in another process, finds its results.
func NewLenFunc(t *testing.T, b memo.Backend) *LenFunc {
	t.Helper()
	name := "backendtest-" + uniqueName(t)
	memo.Register(name, b)
	t.Cleanup(func() { memo.Unregister(name) })
	return &LenFunc{f: memo.NewFunc(memo.FuncInfo{Package: "example.com/backendtest", Name: "Len", Backend: name, Codec: "json"})}
}

// ID returns the identity under which the function's entries are stored.
func (lf *LenFunc) ID() memo.FuncID { return lf.f.ID() }

func (lf *LenFunc) call(s string) (int, error) {
	c := lf.f.Begin(context.Background())
	c.Key().String(s)
	if r, ok := memo.Lookup[int](c, false); ok {
		return r, nil
	}
	c.Summarize(func() string { return memo.Describe("s", s) })
	return memo.Run(c, func() (int, error) {
		lf.runs.Add(1)
		return len(s), nil
	})
}

// MustCall calls the function with s, and fails t unless it returns len(s)
// and its body has run wantRuns times in all.
func (lf *LenFunc) MustCall(t *testing.T, s string, wantRuns int64) {
	t.Helper()
	if got, err := lf.call(s); err != nil || got != len(s) {
		t.Fatalf("call(%q) = %d, %v; want %d, nil", s, got, err, len(s))
	}
	if got := lf.runs.Load(); got != wantRuns {
		t.Fatalf("after call(%q) the function ran %d times; want %d", s, got, wantRuns)
	}
}

// WantStats reports an error to t unless the function's statistics are
// want.
func (lf *LenFunc) WantStats(t *testing.T, want memo.Stats) {
	t.Helper()
	if got := lf.f.Stats(); got != want {
		t.Errorf("Stats() = %+v; want %+v", got, want)
	}
}

var unsafeInName = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// uniqueName returns a name for t that no other test or run uses.
func uniqueName(t *testing.T) string {
	return fmt.Sprintf("%s-%08x", unsafeInName.ReplaceAllString(t.Name(), "_"), rand.Uint32())
}
