package memory_test

import (
	"fmt"
	"testing"

	"github.com/memogen/memogen/backends/memory"
	"github.com/memogen/memogen/runtime/store"
)

// BenchmarkTableGetParallel measures warm hits on a table from every
// goroutine at once (run it with -cpu 1,2,4): each goroutine reads 1024
// keys of 16 bytes in turn.
func BenchmarkTableGetParallel(b *testing.B) {
	s := memory.New(memory.Options{})
	tb := s.Table(store.TableConfig{Func: store.FuncID{Package: "bench", Name: "F"}})
	keys := make([][]byte, 1024)
	for i := range keys {
		keys[i] = fmt.Appendf(nil, "%016d", i)
		tb.Set(string(keys[i]), i, 0, 0)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, _, ok := tb.Get(keys[i%len(keys)]); !ok {
				b.Fatal("miss")
			}
			i++
		}
	})
}
