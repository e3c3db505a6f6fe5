package memory_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/memogen/memogen/backends/memory"
	"github.com/memogen/memogen/runtime/store"
)

// TestStressHitsMissesEvictions runs hits and misses on several goroutines
// and tables at once, under a per-function bound and both store bounds so
// that most misses evict, then checks the invariants once all is quiet: no
// value under a wrong key, the bounds kept, the totals equal to the
// entries held, and every entry stored either held or counted, once, as
// evicted by its own table's callback. (TestConcurrentUse mixes in
// deletes and overwrites, whose effect on the counts cannot be told
// apart.)
func TestStressHitsMissesEvictions(t *testing.T) {
	t.Parallel()
	const (
		workers  = 8
		ops      = 5000
		tables   = 4
		hotKeys  = 16
		maxStore = 300
		maxTable = 120
		maxBytes = 250 * (memory.EntryOverhead + 10 + 8)
	)
	s := memory.New(memory.Options{MaxEntries: maxStore, MaxBytes: maxBytes})
	tbs := make([]store.Table, tables)
	var evicted, inserted [tables]atomic.Int64
	for i := range tbs {
		bound := 0
		if i%2 == 0 {
			bound = maxTable
		}
		fn := store.FuncID{Package: "example.com/p", Name: fmt.Sprint("F", i)}
		tbs[i] = s.Table(store.TableConfig{Func: fn, MaxEntries: bound, OnEvict: func(n int) { evicted[i].Add(int64(n)) }})
	}
	size := func(k string) int64 { return int64(len(k) % 9) } // up to 8 bytes, a function of the key
	value := func(k string) string { return "value of " + k }
	hot := func(h int) string { return fmt.Sprintf("hot-%02d", h) }
	for _, tb := range tbs {
		for h := range hotKeys {
			tb.Set(hot(h), value(hot(h)), 0, size(hot(h)))
		}
	}
	for i := range tables {
		inserted[i].Add(hotKeys)
	}

	stored := make([][]string, tables*workers) // [table*workers+worker]: keys stored once
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range ops {
				ti := (w + i) % tables
				tb := tbs[ti]
				mine := &stored[ti*workers+w]
				var k string
				switch i % 8 {
				case 0, 1, 2: // a miss: a key never stored before
					k = fmt.Sprintf("w%d-%06d", w, i)
					tb.Set(k, value(k), 0, size(k))
					inserted[ti].Add(1)
					*mine = append(*mine, k)
					continue
				case 3, 4, 5, 6: // hot keys, hits while they last
					k = hot(i % hotKeys)
				case 7: // an earlier key of this worker, maybe evicted
					if len(*mine) == 0 {
						continue
					}
					k = (*mine)[(i*7)%len(*mine)]
				}
				get := tb.Get
				if i%16 == 7 {
					get = tb.Peek
				}
				if v, _, ok := get([]byte(k)); ok && v != value(k) {
					t.Errorf("table %d: Get(%q) = %v; want %q", ti, k, v, value(k))
				}
			}
		})
	}
	wg.Wait()

	heldAll := 0
	var bytes int64
	for ti, tb := range tbs {
		keys := []string{}
		for h := range hotKeys {
			keys = append(keys, hot(h))
		}
		for w := range workers {
			keys = append(keys, stored[ti*workers+w]...)
		}
		held, tableBytes := 0, int64(0)
		for _, k := range keys {
			v, _, ok := tb.Peek([]byte(k))
			if !ok {
				continue
			}
			if v != value(k) {
				t.Errorf("table %d: Peek(%q) = %v; want %q", ti, k, v, value(k))
			}
			held++
			tableBytes += memory.EntryOverhead + int64(len(k)) + size(k)
		}
		bytes += tableBytes
		if got := tb.(interface{ Bytes() int64 }).Bytes(); got != tableBytes {
			t.Errorf("table %d: Bytes() = %d; the entries Peek finds cost %d", ti, got, tableBytes)
		}
		if tb.Len() != held {
			t.Errorf("table %d: Len() = %d; Peek finds %d entries", ti, tb.Len(), held)
		}
		if ti%2 == 0 && held > maxTable {
			t.Errorf("table %d holds %d entries; want at most %d", ti, held, maxTable)
		}
		if ev, in := evicted[ti].Load(), inserted[ti].Load(); ev+int64(held) != in {
			t.Errorf("table %d: %d entries stored, %d held, %d counted as evicted; want stored = held + evicted", ti, in, held, ev)
		}
		heldAll += held
	}
	if s.Len() != heldAll || heldAll > maxStore {
		t.Errorf("store Len() = %d, entries found %d; want equal and at most %d", s.Len(), heldAll, maxStore)
	}
	if s.Bytes() != bytes || bytes > maxBytes {
		t.Errorf("store Bytes() = %d, entries found cost %d; want equal and at most %d", s.Bytes(), bytes, maxBytes)
	}
}
