package bench

import (
	"github.com/memogen/memogen/runtime/store"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/memogen/memogen/backends/file"
	"github.com/memogen/memogen/backends/memory"
	memo "github.com/memogen/memogen/runtime"
)

// byteStore hides the memory store's in-process tables, so that results
// are encoded and stored as bytes, as for files, Redis and S3, at the cost
// of a map insert.
type byteStore struct{ store.Backend }

var missOnce sync.Once

// bindMissStores binds the miss benchmarks' backends; they need no server.
func bindMissStores(b *testing.B) {
	missOnce.Do(func() {
		memo.Register("benchmissbytes", byteStore{memory.New(memory.Options{MaxEntries: 1 << 16})})
		memo.Register("benchmissmem", memory.New(memory.Options{MaxEntries: 1 << 14, MaxBytes: 64 << 20}))
		dir, err := os.MkdirTemp("", "memogen-bench-miss-")
		if err != nil {
			b.Fatal(err)
		}
		memo.Register("benchmissfile", file.Must(file.New(file.Options{Dir: filepath.Join(dir, "memo")})))
	})
}

// BenchmarkMiss measures a miss that stores its result (run, encode,
// store) with store-time verification, which decodes the encoding and
// compares it with the result by the generated comparison, and without
// (verify=false), and a miss on a memory store bounded by bytes, which
// keeps the result itself after estimating its size. Every iteration asks
// for a new id.
func BenchmarkMiss(b *testing.B) {
	bindMissStores(b)
	var id int64
	run := func(name string, get func(int64) Profile, stats func() memo.Stats) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				id++
				sinkProfile = get(id)
			}
			if st := stats(); st.Hits != 0 || st.Unstorable != 0 || st.Failures != 0 {
				b.Fatalf("Stats = %+v; want misses only, every result stored", st)
			}
		})
	}
	run("memory", MissMemoryCached, MissMemoryMemo().Stats)
	run("bytes/verified", MissBytesCached, MissBytesMemo().Stats)
	run("bytes/unverified", MissBytesUnverifiedCached, MissBytesUnverifiedMemo().Stats)
	run("file/verified", MissFileCached, MissFileMemo().Stats)
	run("file/unverified", MissFileUnverifiedCached, MissFileUnverifiedMemo().Stats)
}
