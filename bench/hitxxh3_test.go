package bench

import (
	"encoding/binary"
	"sync"
	"testing"

	"github.com/zeebo/xxh3"
)

// xxh3Memo is the fastest memo of Search a careful developer writes by
// hand: the arguments encoded field by field into a buffer on the stack,
// hashed to a 128-bit XXH3 key, and a map behind a RWMutex. It trusts the
// hash: two argument lists with one digest would share a result.
type xxh3Memo struct {
	mu sync.RWMutex
	m  map[xxh3.Uint128]Result // guarded by mu
}

// appendText appends s, length-prefixed.
func appendText(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// searchXXH3 returns the typed XXH3 key of a call of Search.
func searchXXH3(index string, q Query, page int) xxh3.Uint128 {
	var buf [128]byte
	b := appendText(buf[:0], index)
	b = binary.AppendUvarint(b, uint64(len(q.Tags)))
	for _, t := range q.Tags {
		b = appendText(b, t)
	}
	b = binary.LittleEndian.AppendUint64(b, uint64(q.Limit))
	b = binary.LittleEndian.AppendUint64(b, uint64(q.Since.UnixNano()))
	if q.Desc {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	b = binary.LittleEndian.AppendUint64(b, uint64(page))
	return xxh3.Hash128(b)
}

func (h *xxh3Memo) Search(index string, q Query, page int) Result {
	k := searchXXH3(index, q, page)
	h.mu.RLock()
	r, ok := h.m[k]
	h.mu.RUnlock()
	if ok {
		return r
	}
	r = Search(index, q, page)
	h.mu.Lock()
	h.m[k] = r
	h.mu.Unlock()
	return r
}

// BenchmarkHitXXH3 compares a warm hit of SearchCached, whose key is
// composite (a string, a struct of a slice of strings, an int, a time and a
// bool, and an int), through the generated wrapper on the in-memory backend
// with xxh3Memo, on one goroutine and on all; "interleaved" runs the two
// in alternate slices and reports the median ratio of their times, which
// a machine whose speed drifts does not skew.
func BenchmarkHitXXH3(b *testing.B) {
	hand := &xxh3Memo{m: make(map[xxh3.Uint128]Result)}
	benchHits(b, []searcher{{"memogen", SearchCached}, {"hand-written-xxh3", hand.Search}}, nil)
	b.Run("interleaved", func(b *testing.B) {
		benchInterleaved(b,
			func() { sinkResult = SearchCached(benchIndex, benchQuery, benchPage) },
			func() { sinkResult = hand.Search(benchIndex, benchQuery, benchPage) })
	})
}
