package memoimpl_test

import (
	"encoding/gob"
	"log/slog"
	"reflect"
	"strings"
	"testing"

	"github.com/memogen/memogen/backends/file"
	_ "github.com/memogen/memogen/codecs/gob"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
)

// gobPlain and gobSquare are concrete types of interface results, which
// gob keeps when they are registered.
type gobPlain struct {
	N int
	S string
}

type gobShape interface{ Area() float64 }

type gobSquare struct{ Side float64 }

func (s gobSquare) Area() float64 { return s.Side * s.Side }

// gobUnregistered is a concrete type gob was not told of.
type gobUnregistered struct{ N int }

func init() {
	gob.Register(gobPlain{})
	gob.Register(gobSquare{})
}

// storedAndServed stores value, the result of a function of type R, under
// gob in a file store, and reads it back through another Func of the same
// function on another store of the same directory, as another process
// would. It returns how often each ran the function and what the second
// was served.
func storedAndServed[R any](t *testing.T, value R) (firstRuns, secondRuns int, served R, first memo.Stats) {
	t.Helper()
	dir, name := t.TempDir(), uniqueName(t)
	call := func(backend string) (int, R, memo.Stats) {
		store, err := file.New(file.Options{Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { store.Close() })
		memo.Register(backend, store)
		t.Cleanup(func() { memo.Unregister(backend) })
		f := memoimpl.NewFunc(memoimpl.FuncInfo{Package: testPackage, Name: name, Backend: backend, Codec: "gob"})
		runs := 0
		r, err := get(f, "arg", func() (R, error) { runs++; return value, nil })
		if err != nil {
			t.Fatal(err)
		}
		return runs, r, f.Stats()
	}
	firstRuns, _, first = call(name + "_writer")
	secondRuns, served, _ = call(name + "_reader")
	return firstRuns, secondRuns, served, first
}

// An interface result goes to gob as an interface, so that a second
// process reads back the same dynamic type and value.
func TestGobKeepsInterfaceResults(t *testing.T) {
	t.Parallel()
	check := func(name string, firstRuns, secondRuns int, served, want any, first memo.Stats) {
		t.Helper()
		if firstRuns != 1 || secondRuns != 0 || first.Unstorable != 0 {
			t.Errorf("%s: the function ran %d times, then %d times from another Func, %d results unstorable; want 1, 0 and 0: a hit", name, firstRuns, secondRuns, first.Unstorable)
		}
		if !reflect.DeepEqual(served, want) {
			t.Errorf("%s: served %#v; want %#v", name, served, want)
		}
	}
	t.Run("any", func(t *testing.T) {
		t.Parallel()
		want := any(gobPlain{N: 7, S: "seven"})
		a, b, served, first := storedAndServed(t, want)
		check("any(gobPlain{7, seven})", a, b, served, want, first)
	})
	t.Run("interface", func(t *testing.T) {
		t.Parallel()
		want := gobShape(gobSquare{Side: 3})
		a, b, served, first := storedAndServed(t, want)
		check("gobShape(gobSquare{3})", a, b, served, want, first)
		if served != nil && served.Area() != 9 {
			t.Errorf("served gobShape has Area %v; want 9", served.Area())
		}
	})
	t.Run("nil interface", func(t *testing.T) {
		t.Parallel()
		a, b, served, first := storedAndServed[gobShape](t, nil)
		check("gobShape(nil)", a, b, served, nil, first)
	})
	t.Run("nil any", func(t *testing.T) {
		t.Parallel()
		a, b, served, first := storedAndServed[any](t, nil)
		check("any(nil)", a, b, served, nil, first)
	})
}

// A dynamic type gob was not told of cannot be encoded: the result is
// returned, not stored, counted, and the reason logged.
func TestGobInterfaceResultOfAnUnregisteredType(t *testing.T) {
	// Not parallel: it configures the logger.
	var log safeBuffer
	configure(t, memo.Config{Logger: slog.New(slog.NewTextHandler(&log, nil))})
	want := any(gobUnregistered{N: 1})
	a, b, served, first := storedAndServed(t, want)
	if a != 1 || b != 1 || first.Unstorable != 1 || !reflect.DeepEqual(served, want) {
		t.Errorf("unregistered dynamic type: ran %d then %d times, %d unstorable, second got %#v; want 1, 1, 1 and %#v", a, b, first.Unstorable, served, want)
	}
	if reason := "type not registered for interface: memoimpl_test.gobUnregistered"; !strings.Contains(log.String(), reason) {
		t.Errorf("logged %q; want the reason %q", log.String(), reason)
	}
}
