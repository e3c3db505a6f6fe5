package bench

import (
	"sync"
	"testing"
	"unsafe"

	memo "github.com/memogen/memogen/runtime"
)

// handMemo is the memo a careful developer writes by hand: a map behind a
// RWMutex, keyed by the same typed encoding memogen generates, with pooled
// key buffers so that a hit allocates nothing.
type handMemo struct {
	mu sync.RWMutex
	m  map[string]Result // guarded by mu
}

var writers = sync.Pool{New: func() any { return new(memo.KeyWriter) }}

func (h *handMemo) Search(index string, q Query, page int) Result {
	w := writers.Get().(*memo.KeyWriter)
	defer writers.Put(w)
	w.Reset()
	searchKey(w, index, q, page)
	h.mu.RLock()
	r, ok := h.m[string(w.Bytes())]
	h.mu.RUnlock()
	if ok {
		return r
	}
	r = Search(index, q, page)
	h.mu.Lock()
	h.m[string(w.Bytes())] = r
	h.mu.Unlock()
	return r
}

// syncMapMemo is the hand-written memo built for many cores: a sync.Map
// (whose reads take no lock) keyed by the same typed encoding, with pooled
// key buffers. Like handMemo, it never evicts.
type syncMapMemo struct{ m sync.Map }

func (h *syncMapMemo) Search(index string, q Query, page int) Result {
	w := writers.Get().(*memo.KeyWriter)
	defer writers.Put(w)
	w.Reset()
	searchKey(w, index, q, page)
	b := w.Bytes()
	// Load keeps no reference to its key, so the key need not be copied.
	if r, ok := h.m.Load(unsafe.String(unsafe.SliceData(b), len(b))); ok {
		return r.(Result)
	}
	r := Search(index, q, page)
	h.m.Store(string(w.Bytes()), r)
	return r
}

var sinkResult Result

// BenchmarkHit compares a warm hit through the generated wrapper on the
// in-memory backend with the hand-written memos, on one goroutine and on
// all (run it with -cpu 1,2,4 to see how hits scale).
func BenchmarkHit(b *testing.B) {
	hand := &handMemo{m: make(map[string]Result)}
	hand.Search(benchIndex, benchQuery, benchPage)
	syncMap := &syncMapMemo{}
	syncMap.Search(benchIndex, benchQuery, benchPage)
	SearchCached(benchIndex, benchQuery, benchPage)

	b.Run("memogen", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkResult = SearchCached(benchIndex, benchQuery, benchPage)
		}
	})
	b.Run("hand-written", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkResult = hand.Search(benchIndex, benchQuery, benchPage)
		}
	})
	b.Run("memogen-parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				_ = SearchCached(benchIndex, benchQuery, benchPage)
			}
		})
	})
	b.Run("hand-written-parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				_ = hand.Search(benchIndex, benchQuery, benchPage)
			}
		})
	})
	b.Run("sync.Map-parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				_ = syncMap.Search(benchIndex, benchQuery, benchPage)
			}
		})
	})
}
