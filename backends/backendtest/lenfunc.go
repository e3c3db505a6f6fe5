package backendtest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/memogen/memogen/codecs/json" // the codec of LenFunc's results
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
	"github.com/memogen/memogen/runtime/store"
)

// A LenFunc is a memoized "length of s, times a scale" that calls the
// runtime as memogen's generated wrappers do, so that a test sees what a
// backend does for a program, and counts how many times its body runs.
type LenFunc struct {
	f     *memoimpl.Func
	scale int
	runs  atomic.Int64 // times the function body ran
	keys  *keyLog      // the keys its entries were stored under, by argument
}

// NewLenFunc binds b to a backend name of t's own until t ends, and returns
// a LenFunc that uses it, named Len, of scale 1. The runtime sees b as a
// byte-level backend, even if it keeps values in memory. Every LenFunc is the same
// function, so one over a backend that another wrote to, as in another
// process, finds its results.
func NewLenFunc(t *testing.T, b store.Backend) *LenFunc {
	t.Helper()
	return NewNamedLenFunc(t, b, "Len", 1)
}

// NewNamedLenFunc is NewLenFunc for the function name, whose results are
// len(s)*scale: two names are two functions, whose entries must never
// answer for each other.
func NewNamedLenFunc(t *testing.T, b store.Backend, name string, scale int) *LenFunc {
	t.Helper()
	backendName := "backendtest-" + uniqueName(t)
	keys := &keyLog{Backend: b, keys: make(map[string]store.Key)}
	memo.Register(backendName, keys)
	t.Cleanup(func() { memo.Unregister(backendName) })
	// Summary: the tests find an entry by the argument its summary names,
	// in shared backends too.
	info := memoimpl.FuncInfo{Package: "example.com/backendtest", Name: name, Backend: backendName, Codec: "json", Summary: "true"}
	return &LenFunc{f: memoimpl.NewFunc(info), scale: scale, keys: keys}
}

// ID returns the identity under which the function's entries are stored.
func (lf *LenFunc) ID() store.FuncID { return lf.f.ID() }

func (lf *LenFunc) call(s string) (int, error) {
	c := lf.f.Begin(context.Background())
	c.Key().Text(s)
	if r, ok := memoimpl.Lookup[int](c, false); ok {
		return r, nil
	}
	c.Summarize(func() string { return memoimpl.Describe("s", s) })
	return memoimpl.Run(c, func() (int, error) {
		lf.runs.Add(1)
		return len(s) * lf.scale, nil
	})
}

// MustCall calls the function with s, and fails t unless it returns
// len(s)*scale and its body has run wantRuns times in all.
func (lf *LenFunc) MustCall(t *testing.T, s string, wantRuns int64) {
	t.Helper()
	if got, err := lf.call(s); err != nil || got != len(s)*lf.scale {
		t.Fatalf("%s(%q) = %d, %v; want %d, nil", lf.f.ID().Name, s, got, err, len(s)*lf.scale)
	}
	if got := lf.runs.Load(); got != wantRuns {
		t.Fatalf("after %s(%q) the function ran %d times; want %d", lf.f.ID().Name, s, got, wantRuns)
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

// Key returns the key under which the runtime stored the function's result
// for s, failing t if it stored none.
func (lf *LenFunc) Key(t *testing.T, s string) store.Key {
	t.Helper()
	lf.keys.mu.Lock()
	defer lf.keys.mu.Unlock()
	k, ok := lf.keys.keys[memoimpl.Describe("s", s)]
	if !ok {
		t.Fatalf("%s(%q) stored no entry", lf.f.ID().Name, s)
	}
	return k
}

// keyLog passes a backend's calls through, and remembers under which key
// each entry was set, by the summary of arguments the entry carries.
type keyLog struct {
	store.Backend
	mu   sync.Mutex
	keys map[string]store.Key // guarded by mu
}

func (l *keyLog) Set(ctx context.Context, key store.Key, value []byte, expires time.Time) error {
	if h, err := store.DecodeEntryHeader(value); err == nil {
		l.mu.Lock()
		l.keys[h.Summary] = key
		l.mu.Unlock()
	}
	return l.Backend.Set(ctx, key, value, expires)
}

var unsafeInName = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// uniqueName returns a name for t that no other test or run uses.
func uniqueName(t *testing.T) string {
	return fmt.Sprintf("%s-%08x", unsafeInName.ReplaceAllString(t.Name(), "_"), rand.Uint32())
}
