package memoimpl_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
	"github.com/memogen/memogen/runtime/store"
)

func TestCacheHitReturnsStoredResult(t *testing.T) {
	t.Parallel()
	f := newFunc(t, memoimpl.FuncInfo{})
	var c counter
	for i := range 3 {
		if got, err := get(f, "k", c.fn("v")); got != "v" || err != nil {
			t.Fatalf("call %d = %q, %v; want v, nil", i+1, got, err)
		}
	}
	if n := c.runs(); n != 1 {
		t.Errorf("3 calls ran the function %d times; want 1", n)
	}
	if want := (memo.Stats{Hits: 2, Misses: 1}); f.Stats() != want {
		t.Errorf("Stats() = %+v; want %+v", f.Stats(), want)
	}
}

func TestCacheKeysDistinguishArguments(t *testing.T) {
	t.Parallel()
	f := newFunc(t, memoimpl.FuncInfo{})
	for _, arg := range []string{"a", "b", "", "ab"} {
		got, _ := get(f, arg, func() (string, error) { return "f(" + arg + ")", nil })
		if want := "f(" + arg + ")"; got != want {
			t.Errorf("get(%q) = %q; want %q", arg, got, want)
		}
	}
	for _, arg := range []string{"a", "b", "", "ab"} {
		got, _ := get(f, arg, func() (string, error) { return "recomputed", nil })
		if want := "f(" + arg + ")"; got != want {
			t.Errorf("second get(%q) = %q; want the cached %q", arg, got, want)
		}
	}
}

func TestCacheFunctionsDoNotShareEntries(t *testing.T) {
	t.Parallel()
	f, g := newFunc(t, memoimpl.FuncInfo{}), newFunc(t, memoimpl.FuncInfo{})
	get(f, "k", func() (string, error) { return "f", nil })
	if got, _ := get(g, "k", func() (string, error) { return "g", nil }); got != "g" {
		t.Errorf("g(k) = %q; want g, not f's entry", got)
	}
}

func TestCacheResultOfAnotherTypeIsAMiss(t *testing.T) {
	t.Parallel()
	f := newFunc(t, memoimpl.FuncInfo{})
	get(f, "k", func() (string, error) { return "text", nil })
	got, err := get(f, "k", func() (int, error) { return 7, nil })
	if got != 7 || err != nil {
		t.Errorf("get[int] over a cached string = %d, %v; want 7, nil (a miss)", got, err)
	}
}

// A nil interface result is a result like any other: cached, a hit, and
// reported by Contains.
func TestCacheNilInterfaceResultIsAHit(t *testing.T) {
	t.Parallel()
	f := newFunc(t, memoimpl.FuncInfo{})
	runs := 0
	compute := func() (io.Reader, error) {
		runs++
		return nil, nil
	}
	for i := range 3 {
		if r, err := get(f, "k", compute); r != nil || err != nil {
			t.Fatalf("call %d = %v, %v; want nil, nil", i+1, r, err)
		}
	}
	if runs != 1 {
		t.Errorf("3 calls ran the function %d times; want 1", runs)
	}
	if want := (memo.Stats{Hits: 2, Misses: 1}); f.Stats() != want {
		t.Errorf("Stats() = %+v; want %+v", f.Stats(), want)
	}
	if !contains(f, "k") {
		t.Error("Contains = false; want the nil result cached")
	}
	// A nil interface is no value of a concrete type.
	if got, _ := get(f, "k", func() (int, error) { return 7, nil }); got != 7 {
		t.Errorf("get[int] over a cached nil io.Reader = %d; want 7 (a miss)", got)
	}
}

func TestCacheErrorsAreNotCached(t *testing.T) {
	t.Parallel()
	f := newFunc(t, memoimpl.FuncInfo{Errors: true})
	errFailed := errors.New("failed")
	runs := 0
	fail := func() (string, error) { runs++; return "", errFailed }
	for i := range 2 {
		if _, err := get(f, "k", fail); err != errFailed {
			t.Errorf("call %d error = %v; want %v", i+1, err, errFailed)
		}
	}
	if runs != 2 {
		t.Errorf("2 failing calls ran the function %d times; want 2", runs)
	}
	if contains(f, "k") {
		t.Error("Contains after errors = true; want false")
	}
	if want := (memo.Stats{Misses: 2, Errors: 2}); f.Stats() != want {
		t.Errorf("Stats() = %+v; want %+v", f.Stats(), want)
	}
	var c counter
	if got, err := get(f, "k", c.fn("ok")); got != "ok" || err != nil || c.runs() != 1 {
		t.Errorf("call after the errors = %q, %v (%d runs); want ok, nil, 1 run", got, err, c.runs())
	}
}

func TestCacheRefreshRecomputesAndStores(t *testing.T) {
	t.Parallel()
	f := newFunc(t, memoimpl.FuncInfo{})
	ctx := context.Background()
	cached(ctx, f, "k", false, func() (string, error) { return "old", nil })
	got, _ := cached(ctx, f, "k", true, func() (string, error) { return "new", nil })
	if got != "new" {
		t.Errorf("refresh call = %q; want new (the cache is not read)", got)
	}
	got, _ = cached(ctx, f, "k", false, func() (string, error) { return "unexpected", nil })
	if got != "new" {
		t.Errorf("call after refresh = %q; want new (the refreshed result is stored)", got)
	}
	if want := (memo.Stats{Hits: 1, Misses: 2}); f.Stats() != want {
		t.Errorf("Stats() = %+v; want %+v", f.Stats(), want)
	}
}

func TestCacheForgetContainsClear(t *testing.T) {
	t.Parallel()
	f := newFunc(t, memoimpl.FuncInfo{})
	var c counter
	get(f, "a", c.fn("A"))
	get(f, "b", c.fn("B"))

	for _, tc := range []struct {
		arg  string
		want bool
	}{{"a", true}, {"b", true}, {"c", false}} {
		if got := contains(f, tc.arg); got != tc.want {
			t.Errorf("Contains(%q) = %v; want %v", tc.arg, got, tc.want)
		}
	}
	if st := f.Stats(); st.Hits != 0 || c.runs() != 2 {
		t.Errorf("Contains counted %d hits and ran the function %d times; want 0, 2", st.Hits, c.runs())
	}

	if err := forget(f, "a"); err != nil {
		t.Fatalf("Forget(a) = %v; want nil", err)
	}
	if err := forget(f, "never stored"); err != nil {
		t.Errorf("Forget of an absent key = %v; want nil", err)
	}
	if contains(f, "a") || !contains(f, "b") {
		t.Errorf("after Forget(a): Contains(a), Contains(b) = %v, %v; want false, true", contains(f, "a"), contains(f, "b"))
	}
	get(f, "a", c.fn("A"))
	if c.runs() != 3 {
		t.Errorf("call after Forget ran the function %d times in all; want 3", c.runs())
	}

	if err := f.Clear(context.Background()); err != nil {
		t.Fatalf("Clear = %v; want nil", err)
	}
	if contains(f, "a") || contains(f, "b") {
		t.Error("Contains after Clear = true; want false for every key")
	}
}

func TestCacheMaxEntriesEvictsLeastRecentlyUsed(t *testing.T) {
	t.Parallel()
	f := newFunc(t, memoimpl.FuncInfo{MaxEntries: 2})
	var c counter
	get(f, "a", c.fn("A"))
	get(f, "b", c.fn("B"))
	get(f, "a", c.fn("A")) // a is now more recent than b
	contains(f, "b")       // Contains does not make b recent
	get(f, "c", c.fn("C")) // evicts b

	for _, tc := range []struct {
		arg  string
		want bool
	}{{"a", true}, {"b", false}, {"c", true}} {
		if got := contains(f, tc.arg); got != tc.want {
			t.Errorf("Contains(%q) = %v; want %v", tc.arg, got, tc.want)
		}
	}
	if want := (memo.Stats{Hits: 1, Misses: 3, Evictions: 1}); f.Stats() != want {
		t.Errorf("Stats() = %+v; want %+v", f.Stats(), want)
	}
}

func TestCacheTTLExpiresWithConfigNow(t *testing.T) {
	clock := newFakeClock()
	configure(t, memo.Config{Now: clock.Now})
	f := newFunc(t, memoimpl.FuncInfo{TTL: time.Minute})
	var c counter
	steps := []struct {
		advance  time.Duration
		wantRuns int64
		contains bool // Contains after the call's clock advance, before the call
	}{
		{0, 1, false},
		{59 * time.Second, 1, true},
		{time.Second, 2, false}, // exactly TTL after the store: expired
		{30 * time.Second, 2, true},
		{31 * time.Second, 3, false},
	}
	for i, s := range steps {
		clock.Advance(s.advance)
		if got := contains(f, "k"); got != s.contains {
			t.Errorf("step %d: Contains = %v; want %v", i, got, s.contains)
		}
		get(f, "k", c.fn("v"))
		if c.runs() != s.wantRuns {
			t.Errorf("step %d (+%v): %d runs; want %d", i, s.advance, c.runs(), s.wantRuns)
		}
	}
}

func TestCacheWithoutTTLNeverExpires(t *testing.T) {
	clock := newFakeClock()
	configure(t, memo.Config{Now: clock.Now})
	f := newFunc(t, memoimpl.FuncInfo{})
	var c counter
	get(f, "k", c.fn("v"))
	clock.Advance(100 * 365 * 24 * time.Hour)
	get(f, "k", c.fn("v"))
	if c.runs() != 1 {
		t.Errorf("a century later: %d runs; want 1 (no ttl, no expiry)", c.runs())
	}
}

// unkeyable writes a key that cannot be built, as generated code does for
// a type parameter instantiated with a func.
func unkeyable(f *memoimpl.Func, compute func() (string, error)) (string, error) {
	c := f.Begin(context.Background())
	memo.Dynamic(c.Key(), func() {})
	if r, ok := memoimpl.Lookup[string](c, false); ok {
		return r, nil
	}
	return memoimpl.Run(c, compute)
}

func TestCacheUnkeyableArgumentsRunUncached(t *testing.T) {
	t.Parallel()
	f := newFunc(t, memoimpl.FuncInfo{})
	var c counter
	for i := range 3 {
		if got, err := unkeyable(f, c.fn("v")); got != "v" || err != nil {
			t.Fatalf("call %d = %q, %v; want v, nil", i+1, got, err)
		}
	}
	if c.runs() != 3 {
		t.Errorf("3 calls with an unkeyable argument ran the function %d times; want 3", c.runs())
	}
	if want := (memo.Stats{Failures: 3}); f.Stats() != want {
		t.Errorf("Stats() = %+v; want %+v", f.Stats(), want)
	}
}

func TestCacheStatsEachFunctionCountsItsOwnCalls(t *testing.T) {
	t.Parallel()
	fs := []*memoimpl.Func{newFunc(t, memoimpl.FuncInfo{}), newFunc(t, memoimpl.FuncInfo{})}
	for i, f := range fs {
		for j := range i + 1 {
			get(f, fmt.Sprint(j), func() (int, error) { return j, nil })
		}
	}
	for i, f := range fs {
		if got := f.Stats().Misses; got != uint64(i+1) {
			t.Errorf("function %d: Misses = %d; want %d", i, got, i+1)
		}
	}
}

func TestFuncID(t *testing.T) {
	t.Parallel()
	cases := []struct {
		info memoimpl.FuncInfo
		want store.FuncID
		str  string
	}{
		{memoimpl.FuncInfo{Package: "example.com/p", Name: "F"}, store.FuncID{Package: "example.com/p", Name: "F"}, "example.com/p.F"},
		{memoimpl.FuncInfo{Package: "example.com/p", Receiver: "T", Name: "M"}, store.FuncID{Package: "example.com/p", Name: "T.M"}, "example.com/p.T.M"},
	}
	for _, tc := range cases {
		f := memoimpl.NewFunc(tc.info)
		if f.ID() != tc.want || f.ID().String() != tc.str {
			t.Errorf("NewFunc(%+v).ID() = %+v (%s); want %+v (%s)", tc.info, f.ID(), f.ID(), tc.want, tc.str)
		}
	}
}

func TestOutcomeString(t *testing.T) {
	t.Parallel()
	cases := []struct {
		o    memo.Outcome
		want string
	}{
		{memo.Hit, "hit"},
		{memo.Miss, "miss"},
		{memo.Shared, "shared"},
		{memo.Refresh, "refresh"},
		{memo.Uncached, "uncached"},
		{0, "unknown"},
		{99, "unknown"},
	}
	for _, tc := range cases {
		if got := tc.o.String(); got != tc.want {
			t.Errorf("Outcome(%d).String() = %q; want %q", int(tc.o), got, tc.want)
		}
	}
}
