package memory_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/memogen/memogen/backends/memory"
)

// TestEntryOverheadMatchesTheHeap fills a store and checks that what
// each entry takes on the heap, beyond its key and its value, is within a
// quarter of EntryOverhead.
func TestEntryOverheadMatchesTheHeap(t *testing.T) {
	// Not parallel: it measures the heap.
	const entries = 200_000
	keys := make([]string, entries)
	for i := range keys {
		keys[i] = fmt.Sprintf("%016d", i) // 16 bytes, an allocation of 16
	}
	value := new(int) // shared by every entry, held without a copy
	heap := func() uint64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	s := memory.New(memory.Options{MaxEntries: -1})
	tb := table(s, funcA, 0, nil)
	for _, k := range keys {
		tb.Set(k, value, 0, 0)
	}
	perEntry := float64(heap()-before) / entries
	runtime.KeepAlive(s)
	runtime.KeepAlive(keys) // else the slice is freed, and counted against the entries
	if perEntry < 0.75*memory.EntryOverhead || perEntry > 1.25*memory.EntryOverhead {
		t.Errorf("an entry takes %.1f bytes of heap beyond its key; EntryOverhead = %d; want within a quarter", perEntry, memory.EntryOverhead)
	}
	if s.Bytes() != entries*(memory.EntryOverhead+16) {
		t.Errorf("Bytes() = %d; want %d entries of %d bytes", s.Bytes(), entries, memory.EntryOverhead+16)
	}
}
