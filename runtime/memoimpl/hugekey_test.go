package memoimpl_test

import (
	"context"
	"runtime"
	"strings"
	"testing"

	"github.com/memogen/memogen/backends/memory"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
	"github.com/memogen/memogen/runtime/store"
)

// sumOf is memoized sum of data's bytes, plus salt, keyed by data as
// generated code keys a []byte argument.
func sumOf(f *memoimpl.Func, data []byte, runs *int) int {
	c := f.Begin(context.Background())
	c.Key().Blob(data)
	if r, ok := memoimpl.Lookup[int](c, false); ok {
		return r
	}
	c.Summarize(func() string { return memoimpl.Describe("data", data) })
	r, _ := memoimpl.Run(c, func() (int, error) {
		*runs++
		n := 0
		for _, b := range data {
			n += int(b)
		}
		return n, nil
	})
	return r
}

// heapInUse returns the bytes live on the heap after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestHugeArgumentsHoldBoundedMemory caches results of calls with 32 MiB
// arguments in the memory backend and checks that the entries hold a
// bounded key each, not a copy of their argument, and still answer the
// arguments they were computed for.
func TestHugeArgumentsHoldBoundedMemory(t *testing.T) {
	name := uniqueName(t)
	memo.Register(name, memory.New(memory.Options{}))
	t.Cleanup(func() { memo.Unregister(name) })
	f := newFunc(t, memoimpl.FuncInfo{Backend: name})

	const n = 8
	data := make([]byte, 32<<20)
	runs := 0
	before := heapInUse()
	for i := range n {
		data[len(data)-1] = byte(i) // a different argument in its last byte
		if got := sumOf(f, data, &runs); got != i {
			t.Fatalf("call %d = %d; want %d", i, got, i)
		}
	}
	held := int64(heapInUse()) - int64(before)
	if held > 1<<20 {
		t.Errorf("%d cached results of 32 MiB arguments hold %d bytes; want under 1 MiB", n, held)
	}
	for i := range n {
		data[len(data)-1] = byte(i)
		if got := sumOf(f, data, &runs); got != i {
			t.Fatalf("second call %d = %d; want %d", i, got, i)
		}
	}
	if runs != n {
		t.Errorf("the function ran %d times; want %d, once per argument", runs, n)
	}
	runtime.KeepAlive(data)
}

// TestHugeArgumentOnByteBackend checks that a byte-level entry of a call
// with a huge argument is found again, and carries a bounded summary.
func TestHugeArgumentOnByteBackend(t *testing.T) {
	st := &recording{Backend: memory.New(memory.Options{})}
	bf := newByteFunc(t, st, memoimpl.FuncInfo{Summary: "true"})
	data := make([]byte, 8<<20)
	runs := 0
	for range 2 {
		if got := sumOf(bf.f, data, &runs); got != 0 || runs != 1 {
			t.Fatalf("sumOf = %d after %d runs; want 0 after 1", got, runs)
		}
	}
	raw, err := st.Get(context.Background(), st.lastSet)
	if err != nil {
		t.Fatal(err)
	}
	e, err := store.DecodeEntry(raw)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(e.Summary, "data=[0 0 0") || len(e.Summary) > 260 {
		t.Errorf("entry summary = %d bytes %.40q…; want at most 260 bytes, data=[0 0 0…", len(e.Summary), e.Summary)
	}
}
