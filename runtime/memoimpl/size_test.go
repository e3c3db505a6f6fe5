package memoimpl_test

import (
	"fmt"
	"runtime"
	"strconv"
	"testing"
	"unsafe"

	"github.com/memogen/memogen/backends/memory"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
)

// sizeLeaf and sizeNode are shapes the reflective estimate walks.
type sizeLeaf struct {
	Name string
	N    [4]int32
}

type sizeNode struct {
	Label string
	Next  *sizeNode
}

type sizeHidden struct {
	name string // unexported: reflection reads it all the same
	tags []string
}

func TestReferencedSize(t *testing.T) {
	t.Parallel()
	const (
		word  = 8
		str   = 16 // a string header
		slice = 24 // a slice header
	)
	shared := &sizeLeaf{Name: "shared"}
	ring := [3]*sizeNode{{Label: "a"}, {Label: "bb"}, {Label: "ccc"}}
	ring[0].Next, ring[1].Next, ring[2].Next = ring[1], ring[2], ring[0]
	many := make([]string, 1000)
	for i := range many {
		many[i] = fmt.Sprintf("%010d", i)
	}
	tests := []struct {
		name string
		got  int64
		want int64
	}{
		{"string", size("hello"), 5},
		{"empty string", size(""), 0},
		{"[]byte of capacity 32", size(make([]byte, 3, 32)), 32},
		{"nil slice", size([]string(nil)), 0},
		{"[]string", size([]string{"a", "bb"}), 2*str + 3},
		{"nil pointer", size((*sizeLeaf)(nil)), 0},
		{"pointer", size(&sizeLeaf{Name: "abc"}), int64(unsafe.Sizeof(sizeLeaf{})) + 3},
		{"a pointer held twice, counted once", size([]*sizeLeaf{shared, shared}), 2*word + int64(unsafe.Sizeof(sizeLeaf{})) + 6},
		{"a cycle, each node once", size(ring[0]), 3*int64(unsafe.Sizeof(sizeNode{})) + 6},
		{"map", size(map[string]int{"k": 1}), memoimpl.MapSize(map[string]int{"k": 1}) + 1},
		{"nil map", size(map[string]int(nil)), 0},
		{"interface holding a string", size([]any{"abcd"}), str + str + 4},
		{"interface holding a pointer, not boxed", size([]any{&sizeLeaf{}}), 2*word + int64(unsafe.Sizeof(sizeLeaf{}))},
		{"unexported fields", size(sizeHidden{name: "abc", tags: []string{"x"}}), 3 + str + 1},
		{"array of strings", size([2]string{"ab", "c"}), 3},
		{"1000 strings, counted by a sample", size(many), 1000*str + 1000*10},
		{"no references", size(struct{ A, B int64 }{1, 2}), 0},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: ReferencedSize = %d; want %d", tt.name, tt.got, tt.want)
		}
	}
}

// size returns what v references, as the runtime estimates it.
func size[T any](v T) int64 { return memoimpl.ReferencedSize(&v) }

func TestDynamicSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		v    any
		want int64
	}{
		{"nil", nil, 0},
		{"string", "abc", 16 + 3},
		{"[]byte", make([]byte, 2, 8), 24 + 8},
		{"int64", int64(7), 8},
		{"pointer", &sizeLeaf{Name: "ab"}, int64(unsafe.Sizeof(sizeLeaf{})) + 2},
		{"nil pointer", (*sizeLeaf)(nil), 0},
		{"struct", sizeLeaf{Name: "ab"}, int64(unsafe.Sizeof(sizeLeaf{})) + 2},
	}
	for _, tt := range tests {
		if got := memoimpl.DynamicSize(tt.v); got != tt.want {
			t.Errorf("DynamicSize(%s) = %d; want %d", tt.name, got, tt.want)
		}
	}
}

// TestReferencedSizeIsBounded checks that a list too long to walk within
// the estimate's bounds is counted to its depth bound and no further.
func TestReferencedSizeIsBounded(t *testing.T) {
	t.Parallel()
	const n = 100_000
	var head *sizeNode
	for range n {
		head = &sizeNode{Next: head}
	}
	node := int64(unsafe.Sizeof(sizeNode{}))
	if got := size(head); got < 4096*node || got >= n*node {
		t.Errorf("ReferencedSize of a %d-node list = %d, %d nodes; want the first 4096 or so", n, got, got/node)
	}
}

func TestSliceMapPointeeSize(t *testing.T) {
	t.Parallel()
	if got := memoimpl.SliceSize(make([]int32, 1, 10)); got != 40 {
		t.Errorf("SliceSize([]int32 of capacity 10) = %d; want 40", got)
	}
	if got := memoimpl.PointeeSize(&[3]int64{}); got != 24 {
		t.Errorf("PointeeSize(*[3]int64) = %d; want 24", got)
	}
	if got := memoimpl.PointeeSize((*[3]int64)(nil)); got != 0 {
		t.Errorf("PointeeSize(nil) = %d; want 0", got)
	}
	if got := memoimpl.MapSize(map[int]int(nil)); got != 0 {
		t.Errorf("MapSize(nil) = %d; want 0", got)
	}
	eight := map[int]int{1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7, 8: 8}
	if one, eight := memoimpl.MapSize(map[int]int{1: 1}), memoimpl.MapSize(eight); one != eight || one != 48+8*17 {
		t.Errorf("MapSize of 1 entry = %d, of 8 = %d; want both a header and one group, %d", one, eight, 48+8*17)
	}
}

// liveHeap returns the bytes of live heap objects, after a collection.
func liveHeap() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestMapSizeTracksTheHeap checks the estimate of a map's table against
// what maps of a thousand entries take on the heap.
func TestMapSizeTracksTheHeap(t *testing.T) {
	// Not parallel: it measures the heap.
	const maps, entries = 200, 1000
	before := liveHeap()
	held := make([]map[int64]int64, maps)
	for i := range held {
		m := make(map[int64]int64)
		for j := range int64(entries) {
			m[j] = j
		}
		held[i] = m
	}
	grown := float64(liveHeap() - before)
	estimate := float64(maps * memoimpl.MapSize(held[0]))
	runtime.KeepAlive(held)
	if ratio := grown / estimate; ratio < 0.6 || ratio > 1.6 {
		t.Errorf("%d maps of %d entries grew the heap by %.0f bytes; estimated %.0f, a ratio of %.2f; want within 0.6 and 1.6",
			maps, entries, grown, estimate, ratio)
	}
}

// sizeRecord is 96 bytes holding a kilobyte.
type sizeRecord struct {
	ID   int64
	Data []byte
	Pad  [64]byte
}

// sizeOfRecord is what memogen generates for sizeRecord
// (memoimpl.FuncInfo.Size).
func sizeOfRecord(r sizeRecord) int64 { return memoimpl.SliceSize(r.Data) }

// TestMaxBytesBoundsTheHeap fills memory stores bounded to 10 MB with
// results and keys whose bytes the store once did not count, and checks
// that the store evicts to stay within its bound, and that what it keeps
// takes of the order of the bound on the heap: between three quarters of
// it and half again. (Before results and keys were counted, the first
// case grew the heap by 258 MB, the last by 287 MB, for a bound of 10 MB.)
func TestMaxBytesBoundsTheHeap(t *testing.T) {
	// Not parallel: it measures the heap.
	const maxBytes = 10 << 20
	record := func() (sizeRecord, error) {
		return sizeRecord{Data: make([]byte, 1000, 1024)}, nil
	}
	cases := []struct {
		name string
		info memoimpl.FuncInfo
		fill func(f *memoimpl.Func, i int)
	}{
		{
			"struct results, generated estimator",
			memoimpl.FuncInfo{Size: sizeOfRecord},
			func(f *memoimpl.Func, i int) { get(f, strconv.Itoa(i), record) },
		},
		{
			"struct results, reflective estimate",
			memoimpl.FuncInfo{},
			func(f *memoimpl.Func, i int) { get(f, strconv.Itoa(i), record) },
		},
		{
			"1 KB string keys",
			memoimpl.FuncInfo{},
			func(f *memoimpl.Func, i int) {
				get(f, fmt.Sprintf("%01024d", i), func() (int64, error) { return int64(i), nil })
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			store := memory.New(memory.Options{MaxEntries: -1, MaxBytes: maxBytes})
			name := uniqueName(t)
			memo.Register(name, store)
			tc.info.Backend = name
			f := newFunc(t, tc.info)
			before := liveHeap()
			const calls = 40_000 // some 45 MB unbounded, 4 to 5 times the bound
			for i := range calls {
				tc.fill(f, i)
			}
			grown := int64(liveHeap() - before)
			st := f.Stats()
			if store.Bytes() > maxBytes {
				t.Errorf("store.Bytes() = %d; want at most %d", store.Bytes(), maxBytes)
			}
			if st.Misses != calls || st.Evictions == 0 || st.Evictions != uint64(calls-store.Len()) {
				t.Errorf("after %d calls holding %d: Stats = %+v; want %d misses, an eviction for each call not held",
					calls, store.Len(), st, calls)
			}
			if grown < maxBytes*3/4 || grown > maxBytes*3/2 {
				t.Errorf("the live heap grew by %d bytes (%.1f MB) for %d entries the store counts as %d; want between %d and %d",
					grown, float64(grown)/(1<<20), store.Len(), store.Bytes(), maxBytes*3/4, maxBytes*3/2)
			}
			runtime.KeepAlive(store)
		})
	}
}
