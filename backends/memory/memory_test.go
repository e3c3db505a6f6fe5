package memory_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/memogen/memogen/backends/memory"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/store"
)

var (
	funcA = store.FuncID{Package: "example.com/p", Name: "A"}
	funcB = store.FuncID{Package: "example.com/p", Name: "B"}
)

// evictions counts what a table's OnEvict receives.
type evictions struct{ n atomic.Int64 }

func (e *evictions) add(n int) { e.n.Add(int64(n)) }

// table returns fn's table in s with the given per-function bound.
func table(s *memory.Store, fn store.FuncID, max int, ev *evictions) store.Table {
	cfg := store.TableConfig{Func: fn, MaxEntries: max}
	if ev != nil {
		cfg.OnEvict = ev.add
	}
	return s.Table(cfg)
}

// has reports which of keys t holds, without touching recency.
func has(t store.Table, keys ...string) string {
	var held []string
	for _, k := range keys {
		if _, _, ok := t.Peek([]byte(k)); ok {
			held = append(held, k)
		}
	}
	return strings.Join(held, ",")
}

func set(t store.Table, keys ...string) {
	for _, k := range keys {
		t.Set(k, "value of "+k, 0, 0)
	}
}

func TestTableGetSetPeek(t *testing.T) {
	t.Parallel()
	tb := table(memory.New(memory.Options{}), funcA, 0, nil)
	if v, exp, ok := tb.Get([]byte("k")); ok {
		t.Errorf("Get(k) on an empty table = %v, %d, true; want ok false", v, exp)
	}
	tb.Set("k", 42, 1234, 0)
	for _, op := range []struct {
		name string
		get  func([]byte) (any, int64, bool)
	}{{"Get", tb.Get}, {"Peek", tb.Peek}} {
		if v, exp, ok := op.get([]byte("k")); v != 42 || exp != 1234 || !ok {
			t.Errorf("%s(k) = %v, %d, %v; want 42, 1234, true", op.name, v, exp, ok)
		}
	}
	tb.Set("k", "replaced", 0, 0)
	if v, exp, _ := tb.Get([]byte("k")); v != "replaced" || exp != 0 {
		t.Errorf("Get(k) after a second Set = %v, %d; want replaced, 0", v, exp)
	}
	if n := tb.Len(); n != 1 {
		t.Errorf("Len() = %d; want 1", n)
	}
}

func TestTableKeepsValuesAsTheyAre(t *testing.T) {
	t.Parallel()
	tb := table(memory.New(memory.Options{}), funcA, 0, nil)
	p := &struct{ N int }{7}
	tb.Set("p", p, 0, 0)
	if v, _, _ := tb.Get([]byte("p")); v != p {
		t.Errorf("Get(p) = %p; want the very pointer stored, %p", v, p)
	}
}

func TestTablesOfFunctionsAreSeparate(t *testing.T) {
	t.Parallel()
	s := memory.New(memory.Options{})
	a, b := table(s, funcA, 0, nil), table(s, funcB, 0, nil)
	a.Set("k", "a", 0, 0)
	if _, _, ok := b.Get([]byte("k")); ok {
		t.Error("B's table holds A's key; want tables kept apart")
	}
	if again := table(s, funcA, 0, nil); has(again, "k") != "k" {
		t.Error("Table(A) a second time lost A's entry; want the same table")
	}
}

func TestGetRefreshesRecencyPeekDoesNot(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		touch func(tb store.Table, key []byte)
		want  string // held after touching a and adding c to a table of 2
	}{
		{"Get", func(tb store.Table, k []byte) { tb.Get(k) }, "a,c"},
		{"Peek", func(tb store.Table, k []byte) { tb.Peek(k) }, "b,c"},
		{"Set", func(tb store.Table, k []byte) { tb.Set(string(k), "new", 0, 0) }, "a,c"},
		{"nothing", func(store.Table, []byte) {}, "b,c"},
	}
	for _, tc := range cases {
		for _, bound := range []string{"store", "table"} {
			opts, max := memory.Options{MaxEntries: 2}, 0
			if bound == "table" {
				opts, max = memory.Options{}, 2
			}
			tb := table(memory.New(opts), funcA, max, nil)
			set(tb, "a", "b")
			tc.touch(tb, []byte("a"))
			set(tb, "c")
			if got := has(tb, "a", "b", "c"); got != tc.want {
				t.Errorf("%s bound: %s(a), then Set(c): table holds %s; want %s", bound, tc.name, got, tc.want)
			}
		}
	}
}

func TestStoreMaxEntriesBoundsAllTables(t *testing.T) {
	t.Parallel()
	s := memory.New(memory.Options{MaxEntries: 3})
	var evA, evB evictions
	a, b := table(s, funcA, 0, &evA), table(s, funcB, 0, &evB)
	set(a, "a1")
	set(b, "b1")
	set(a, "a2")
	set(b, "b2") // evicts a1, the least recently used of all
	if got, want := has(a, "a1", "a2")+"|"+has(b, "b1", "b2"), "a2|b1,b2"; got != want {
		t.Errorf("tables hold %s; want %s", got, want)
	}
	if s.Len() != 3 {
		t.Errorf("Len() = %d; want 3", s.Len())
	}
	if evA.n.Load() != 1 || evB.n.Load() != 0 {
		t.Errorf("OnEvict counted %d for A, %d for B; want 1, 0 (the evicted entry's table is told)", evA.n.Load(), evB.n.Load())
	}
}

func TestTableMaxEntriesEvictsOnlyItsOwn(t *testing.T) {
	t.Parallel()
	s := memory.New(memory.Options{})
	var evA, evB evictions
	a, b := table(s, funcA, 2, &evA), table(s, funcB, 0, &evB)
	set(b, "b1") // the oldest entry of the store
	set(a, "a1", "a2", "a3")
	if got, want := has(a, "a1", "a2", "a3")+"|"+has(b, "b1"), "a2,a3|b1"; got != want {
		t.Errorf("tables hold %s; want %s", got, want)
	}
	if a.Len() != 2 || s.Len() != 3 {
		t.Errorf("A.Len() = %d, store Len() = %d; want 2, 3", a.Len(), s.Len())
	}
	if evA.n.Load() != 1 || evB.n.Load() != 0 {
		t.Errorf("OnEvict counted %d for A, %d for B; want 1, 0", evA.n.Load(), evB.n.Load())
	}
}

func TestTableConfigUpdatedByLaterTableCall(t *testing.T) {
	t.Parallel()
	s := memory.New(memory.Options{})
	set(table(s, funcA, 0, nil), "a1", "a2", "a3")
	var ev evictions
	a := table(s, funcA, 2, &ev) // the function's bound changed, e.g. on rebinding
	set(a, "a4")
	if got := has(a, "a1", "a2", "a3", "a4"); got != "a3,a4" {
		t.Errorf("after lowering the bound to 2 and adding a4: table holds %s; want a3,a4", got)
	}
	if ev.n.Load() != 2 {
		t.Errorf("the new OnEvict counted %d; want 2", ev.n.Load())
	}
}

// cost is what an entry under key holding a value of size counts against
// Options.MaxBytes.
func cost(key string, size int64) int64 { return memory.EntryOverhead + int64(len(key)) + size }

func TestStoreMaxBytes(t *testing.T) {
	t.Parallel()
	c := cost("a", 0) // an entry of a one-byte key and a value of no size
	s := memory.New(memory.Options{MaxBytes: 3*c + 10})
	var ev evictions
	tb := table(s, funcA, 0, &ev)
	steps := []struct {
		key       string
		size      int64
		wantHeld  string
		wantBytes int64
	}{
		{"a", 4, "a", c + 4},
		{"b", 4, "a,b", 2*c + 8},
		{"c", 4, "b,c", 2*c + 8},       // 3c+12 > 3c+10: a goes
		{"b", 1, "b,c", 2*c + 5},       // overwriting adjusts the total
		{"d", 0, "b,c,d", 3*c + 5},     // a value of no size still costs its entry
		{"e", 6, "b,d,e", 3*c + 7},     // 4c+11 > 3c+10: c goes (b was refreshed by its Set)
		{"f", 2*c + 10, "f", 3*c + 10}, // the oldest go until the rest fits: b, d, e
	}
	for _, st := range steps {
		tb.Set(st.key, st.key, 0, st.size)
		if got := has(tb, "a", "b", "c", "d", "e", "f"); got != st.wantHeld || s.Bytes() != st.wantBytes {
			t.Errorf("Set(%s, size %d): holds %s, Bytes() = %d; want %s, %d", st.key, st.size, got, s.Bytes(), st.wantHeld, st.wantBytes)
		}
	}
	if ev.n.Load() != 5 {
		t.Errorf("OnEvict counted %d; want 5", ev.n.Load())
	}
}

func TestOnEvictRunsOutsideTheLock(t *testing.T) {
	t.Parallel()
	s := memory.New(memory.Options{MaxEntries: 1})
	var tb store.Table
	var seen []int
	tb = s.Table(store.TableConfig{Func: funcA, OnEvict: func(n int) {
		// Each of these takes the store's lock.
		seen = append(seen, n, tb.Len(), s.Len())
		tb.Get([]byte("b"))
		s.Bytes()
	}})
	done := make(chan struct{})
	go func() {
		defer close(done)
		set(tb, "a", "b")
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Set did not return: OnEvict calling into the store deadlocked")
	}
	if want := []int{1, 1, 1}; fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Errorf("OnEvict saw (n, table Len, store Len) = %v; want %v", seen, want)
	}
}

func TestDeleteClearLenBytes(t *testing.T) {
	t.Parallel()
	s := memory.New(memory.Options{})
	a, b := table(s, funcA, 0, nil), table(s, funcB, 0, nil)
	a.Set("a1", "x", 0, 3)
	a.Set("a2", "x", 0, 4)
	b.Set("b1", "x", 0, 5)
	check := func(when string, lenA, lenB, lenS int, bytes int64) {
		t.Helper()
		if a.Len() != lenA || b.Len() != lenB || s.Len() != lenS || s.Bytes() != bytes {
			t.Errorf("%s: A.Len %d, B.Len %d, Len %d, Bytes %d; want %d, %d, %d, %d",
				when, a.Len(), b.Len(), s.Len(), s.Bytes(), lenA, lenB, lenS, bytes)
		}
	}
	a1, a2, b1 := cost("a1", 3), cost("a2", 4), cost("b1", 5)
	check("after 3 Sets", 2, 1, 3, a1+a2+b1)
	a.Delete([]byte("a1"))
	check("after Delete(a1)", 1, 1, 2, a2+b1)
	a.Delete([]byte("absent"))
	check("after deleting an absent key", 1, 1, 2, a2+b1)
	a.Clear()
	check("after A.Clear()", 0, 1, 1, b1)
	if has(b, "b1") != "b1" {
		t.Error("A.Clear() removed B's entry; want only A's removed")
	}
	a.Set("a1", "x", 0, 1)
	check("after Set on a cleared table", 1, 1, 2, cost("a1", 1)+b1)
}

func TestDeleteAndClearDoNotCountAsEvictions(t *testing.T) {
	t.Parallel()
	var ev evictions
	tb := table(memory.New(memory.Options{}), funcA, 0, &ev)
	set(tb, "a", "b")
	tb.Delete([]byte("a"))
	tb.Clear()
	if ev.n.Load() != 0 {
		t.Errorf("OnEvict counted %d after Delete and Clear; want 0", ev.n.Load())
	}
}

func TestDefaultAndUnboundedEntryLimits(t *testing.T) {
	t.Parallel()
	cases := []struct {
		opts memory.Options
		want int
	}{
		{memory.Options{}, memory.DefaultMaxEntries},
		{memory.Options{MaxEntries: -1}, memory.DefaultMaxEntries + 1},
	}
	for _, tc := range cases {
		s := memory.New(tc.opts)
		tb := table(s, funcA, 0, nil)
		for i := range memory.DefaultMaxEntries + 1 {
			tb.Set(fmt.Sprint(i), i, 0, 0)
		}
		if s.Len() != tc.want {
			t.Errorf("New(%+v) after %d Sets: Len() = %d; want %d", tc.opts, memory.DefaultMaxEntries+1, s.Len(), tc.want)
		}
	}
}

func key(fn store.FuncID, digest string) store.Key { return store.Key{Func: fn, Digest: digest} }

func TestBytesGetSetDelete(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := memory.New(memory.Options{})
	k := key(funcA, "00112233445566778899aabbccddeeff")

	if _, err := s.Get(ctx, k); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get of an absent key = %v; want ErrNotFound", err)
	}
	value := []byte("payload")
	if err := s.Set(ctx, k, value, time.Time{}); err != nil {
		t.Fatalf("Set = %v", err)
	}
	value[0] = 'X' // the store copied it in
	got, err := s.Get(ctx, k)
	if string(got) != "payload" || err != nil {
		t.Fatalf("Get = %q, %v; want payload, nil", got, err)
	}
	got[0] = 'Y' // and copies it out
	if again, _ := s.Get(ctx, k); string(again) != "payload" {
		t.Errorf("Get after changing an earlier result = %q; want payload", again)
	}
	if want := cost(k.Digest, int64(len("payload"))); s.Bytes() != want {
		t.Errorf("Bytes() = %d; want %d, the value's length with the digest and the entry", s.Bytes(), want)
	}

	if err := s.Delete(ctx, k); err != nil {
		t.Fatalf("Delete = %v", err)
	}
	if _, err := s.Get(ctx, k); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get after Delete = %v; want ErrNotFound", err)
	}
	if err := s.Delete(ctx, k); err != nil {
		t.Errorf("Delete of an absent key = %v; want nil", err)
	}
}

func TestBytesExpiry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := memory.New(memory.Options{})
	cases := []struct {
		name    string
		expires time.Time
		found   bool
	}{
		{"never", time.Time{}, true},
		{"in an hour", time.Now().Add(time.Hour), true},
		{"an hour ago", time.Now().Add(-time.Hour), false},
	}
	for i, tc := range cases {
		k := key(funcA, fmt.Sprintf("%032x", i))
		s.Set(ctx, k, []byte("v"), tc.expires)
		_, err := s.Get(ctx, k)
		if found := err == nil; found != tc.found || (err != nil && !errors.Is(err, store.ErrNotFound)) {
			t.Errorf("Get of an entry expiring %s = %v; want found = %v", tc.name, err, tc.found)
		}
	}
}

func TestBytesClearRemovesOneFunction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := memory.New(memory.Options{})
	ka, kb := key(funcA, "aa"), key(funcB, "bb")
	s.Set(ctx, ka, []byte("a"), time.Time{})
	s.Set(ctx, kb, []byte("b"), time.Time{})
	if err := s.Clear(ctx, funcA); err != nil {
		t.Fatalf("Clear(A) = %v", err)
	}
	if _, err := s.Get(ctx, ka); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get(A's key) after Clear(A) = %v; want ErrNotFound", err)
	}
	if v, err := s.Get(ctx, kb); string(v) != "b" || err != nil {
		t.Errorf("Get(B's key) after Clear(A) = %q, %v; want b, nil", v, err)
	}
}

func TestParseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url  string
		want memory.Options
	}{
		{"mem://", memory.Options{}},
		{"mem:", memory.Options{}},
		{"mem://?max_entries=3", memory.Options{MaxEntries: 3}},
		{"mem://?max_entries=0", memory.Options{MaxEntries: -1}},
		{"mem://?max_bytes=5", memory.Options{MaxBytes: 5}},
		{"mem://?max_bytes=0", memory.Options{}},
		{"mem://?max_bytes=64MiB", memory.Options{MaxBytes: 64 << 20}},
		{"mem://?max_entries=10&max_bytes=4", memory.Options{MaxEntries: 10, MaxBytes: 4}},
	}
	for _, tt := range tests {
		if got, err := memory.ParseURL(tt.url); err != nil || got != tt.want {
			t.Errorf("ParseURL(%q) = %+v, %v; want %+v, nil", tt.url, got, err, tt.want)
		}
	}
}

func TestParseURLErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url  string
		want string
	}{
		{"mem://?max_entrie=3", `memory: unknown URL parameter "max_entrie"; did you mean "max_entries"?`},
		{"mem://?size=3", `memory: unknown URL parameter "size" (want max_bytes or max_entries)`},
		{"mem://?max_entries=1&max_entries=2", `memory: URL parameter max_entries is given 2 times; give it once`},
		{"mem://?max_entries=-1", `memory: invalid URL parameter max_entries="-1": want a non-negative integer`},
		{"mem://?max_entries=x", `memory: invalid URL parameter max_entries="x": want a non-negative integer`},
		{"mem://?max_entries=1.5", `memory: invalid URL parameter max_entries="1.5": want a non-negative integer`},
		{"mem://?max_bytes=1k", `memory: invalid URL parameter max_bytes="1k": want a size in bytes such as 1048576 or 64MiB`},
		{"mem://?max_bytes=", `memory: invalid URL parameter max_bytes="": want a size in bytes such as 1048576 or 64MiB`},
		{"mem://?max_bytes=%zz", `memory: URL query: invalid URL escape "%zz"`},
		{"mem://cache?max_entries=3", `memory: URL has "cache" before the query; want mem://?max_entries=N&max_bytes=N`},
		{"redis://localhost", `memory: URL scheme "redis", want mem`},
		{"mem://?max_entries=x&ttl=1m", `memory: invalid URL parameter max_entries="x": want a non-negative integer` + "\n" +
			`memory: unknown URL parameter "ttl" (want max_bytes or max_entries)`},
	}
	for _, tt := range tests {
		got, err := memory.ParseURL(tt.url)
		if err == nil || err.Error() != tt.want {
			t.Errorf("ParseURL(%q) = %+v, %v; want the error\n%s", tt.url, got, err, tt.want)
		}
		if _, err := memo.Open(tt.url); tt.url[:4] == "mem:" && (err == nil || err.Error() != tt.want) {
			t.Errorf("memo.Open(%q) = %v; want the error\n%s", tt.url, err, tt.want)
		}
	}
}

// TestOpenBounds checks that the mem scheme's opener applies the bounds
// the URL sets.
func TestOpenBounds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url  string
		want int // entries after 200 Sets of size 1 under three-digit keys
	}{
		{"mem://", 200},
		{"mem://?max_entries=3", 3},
		{fmt.Sprintf("mem://?max_bytes=%d", 5*cost("000", 1)), 5},
		{fmt.Sprintf("mem://?max_entries=10&max_bytes=%d", 4*cost("000", 1)), 4},
		{"mem://?max_entries=0", 200},
	}
	for _, tt := range tests {
		b, err := memo.Open(tt.url)
		s, ok := b.(*memory.Store)
		if err != nil || !ok {
			t.Errorf("memo.Open(%q) = %T, %v; want a *memory.Store", tt.url, b, err)
			continue
		}
		tb := table(s, funcA, 0, nil)
		for i := range 200 {
			tb.Set(fmt.Sprintf("%03d", i), i, 0, 1)
		}
		if s.Len() != tt.want {
			t.Errorf("memo.Open(%q): %d entries after 200 Sets of size 1; want %d", tt.url, s.Len(), tt.want)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	const (
		maxStore = 50
		maxTable = 20
		workers  = 16
		ops      = 2000
	)
	s := memory.New(memory.Options{MaxEntries: maxStore})
	var ev evictions
	fns := []store.FuncID{funcA, funcB, {Package: "example.com/p", Name: "C"}, {Package: "example.com/p", Name: "D"}}
	tables := make([]store.Table, len(fns))
	for i, fn := range fns {
		tables[i] = table(s, fn, maxTable, &ev)
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range ops {
				tb := tables[(w+i)%len(tables)]
				k := fmt.Sprint((w * i) % 64)
				switch i % 8 {
				case 0, 1, 2:
					tb.Set(k, k, 0, 1)
				case 3, 4:
					if v, _, ok := tb.Get([]byte(k)); ok && v != k {
						t.Errorf("Get(%q) = %v; want %q", k, v, k)
					}
				case 5:
					tb.Peek([]byte(k))
					tb.Len()
				case 6:
					tb.Delete([]byte(k))
				case 7:
					bk := key(fns[w%len(fns)], fmt.Sprintf("%032x", i%16))
					s.Set(ctx, bk, []byte("v"), time.Time{})
					s.Get(ctx, bk)
					if i%64 == 7 {
						s.Delete(ctx, bk)
					}
				}
			}
		})
	}
	wg.Wait()

	total := 0
	for i, tb := range tables {
		if n := tb.Len(); n > maxTable {
			t.Errorf("table %d holds %d entries; want at most %d", i, n, maxTable)
		}
		total += tb.Len()
	}
	if s.Len() != total || s.Len() > maxStore {
		t.Errorf("store Len() = %d, tables hold %d; want equal and at most %d", s.Len(), total, maxStore)
	}
	// Values are one byte; table keys one or two, byte-level digests 32.
	n := int64(s.Len())
	if low, high := n*cost("k", 1), n*cost(strings.Repeat("k", 32), 1); s.Bytes() < low || s.Bytes() > high {
		t.Errorf("Bytes() = %d for %d entries; want between %d and %d", s.Bytes(), n, low, high)
	}
}
