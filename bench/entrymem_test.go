package bench

import (
	"encoding/binary"
	"runtime"
	"testing"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/maypok86/otter/v2"

	"github.com/memogen/memogen/backends/memory"
	"github.com/memogen/memogen/runtime/store"
)

// BenchmarkBytesPerEntry fills each cache with a million small entries
// (an eight-byte key, as memogen encodes an int64 argument, and a value
// shared by all) and reports the heap each entry takes as B/entry: the
// heap in use after a GC, before and after filling, divided by the
// entries. The keys are made beforehand and shared, so they are not
// counted; each cache's capacity is the million entries, so none is
// evicted.
func BenchmarkBytesPerEntry(b *testing.B) {
	const n = 1_000_000
	keys := make([]string, n)
	for i := range keys {
		keys[i] = string(binary.BigEndian.AppendUint64(nil, uint64(i)))
	}
	value := any(new(int))
	caches := []struct {
		name string
		fill func() any
	}{
		{"memogen", func() any {
			s := memory.New(memory.Options{MaxEntries: n})
			t := s.Table(store.TableConfig{Func: store.FuncID{Package: "bench", Name: "F"}})
			for _, k := range keys {
				t.Set(k, value, 0, 0)
			}
			return s
		}},
		{"golang-lru", func() any {
			c, _ := lru.New[string, any](n)
			for _, k := range keys {
				c.Add(k, value)
			}
			return c
		}},
		{"otter", func() any {
			c := otter.Must(&otter.Options[string, any]{MaximumSize: n})
			for _, k := range keys {
				c.Set(k, value)
			}
			return c
		}},
	}
	for _, c := range caches {
		b.Run(c.name, func(b *testing.B) {
			var perEntry float64
			for b.Loop() {
				before := heapInUse()
				cache := c.fill()
				perEntry = float64(heapInUse()-before) / n
				runtime.KeepAlive(cache)
			}
			b.ReportMetric(perEntry, "B/entry")
		})
	}
	runtime.KeepAlive(keys)
}

// heapInUse returns the bytes of live heap objects after a garbage
// collection.
func heapInUse() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
