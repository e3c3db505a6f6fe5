package bench

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/mitchellh/hashstructure/v2"

	memo "github.com/memogen/memogen/runtime"
)

// The composite argument list every key benchmark derives a key from.
var (
	benchIndex = "products"
	benchQuery = Query{Tags: []string{"red", "shoes", "sale"}, Limit: 20, Since: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC), Desc: true}
	benchPage  = 3
)

var sinkBytes []byte
var sinkString string
var sinkUint uint64

// searchKey writes the key of a call of Search as the generated
// memoSearchBegin does, with its helper memoKeyQuery.
func searchKey(w *memo.KeyWriter, index string, q Query, page int) {
	k := w.Key()
	k = k.Text(index)
	k = memoKeyQuery(k, &q)
	k = k.Int(int64(page))
	k.Flush()
}

// BenchmarkKey compares ways of deriving a cache key from the same
// arguments: memogen's generated typed encoding (the exact bytes the memory
// backend uses as its key) against fmt.Sprintf, encoding/json with SHA-256,
// and mitchellh/hashstructure.
func BenchmarkKey(b *testing.B) {
	b.Run("memogen", func(b *testing.B) {
		var w memo.KeyWriter
		b.ReportAllocs()
		for b.Loop() {
			w.Reset()
			searchKey(&w, benchIndex, benchQuery, benchPage)
			sinkBytes = w.Bytes()
		}
	})
	b.Run("fmt.Sprintf", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkString = fmt.Sprintf("%s|%v|%d", benchIndex, benchQuery, benchPage)
		}
	})
	b.Run("json+sha256", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			data, err := json.Marshal([]any{benchIndex, benchQuery, benchPage})
			if err != nil {
				b.Fatal(err)
			}
			sum := sha256.Sum256(data)
			sinkBytes = sum[:]
		}
	})
	b.Run("hashstructure", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			h, err := hashstructure.Hash([]any{benchIndex, benchQuery, benchPage}, hashstructure.FormatV2, nil)
			if err != nil {
				b.Fatal(err)
			}
			sinkUint = h
		}
	})
}
