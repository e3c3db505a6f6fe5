package bench

import (
	"slices"
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

// searcher is a memo of Search: the generated wrapper or a hand-written one.
type searcher struct {
	name   string
	search func(index string, q Query, page int) Result
}

// benchHits warms every memo with the benchmark's arguments, then runs a
// warm hit of each on one goroutine and on all (run it with -cpu 1,2,4 to
// see how hits scale). parallelOnly memos run only in parallel.
func benchHits(b *testing.B, serial, parallelOnly []searcher) {
	for _, s := range slices.Concat(serial, parallelOnly) {
		s.search(benchIndex, benchQuery, benchPage)
	}
	for _, s := range serial {
		b.Run(s.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkResult = s.search(benchIndex, benchQuery, benchPage)
			}
		})
	}
	for _, s := range slices.Concat(serial, parallelOnly) {
		b.Run(s.name+"-parallel", func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					_ = s.search(benchIndex, benchQuery, benchPage)
				}
			})
		})
	}
}

// BenchmarkHit compares a warm hit through the generated wrapper on the
// in-memory backend with the hand-written memos, on one goroutine and on
// all (run it with -cpu 1,2,4 to see how hits scale).
func BenchmarkHit(b *testing.B) {
	hand := &handMemo{m: make(map[string]Result)}
	syncMap := &syncMapMemo{}
	benchHits(b,
		[]searcher{{"memogen", SearchCached}, {"hand-written", hand.Search}},
		[]searcher{{"sync.Map", syncMap.Search}})
}
