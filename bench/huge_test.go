package bench

import (
	"encoding/binary"
	"testing"

	memo "github.com/memogen/memogen/runtime"
)

var sinkSum [32]byte

// BenchmarkHugeArgMiss measures a miss of a function of a 32 MiB []byte,
// which keys it by a digest and describes only its first bytes, against
// the plain call. Every iteration changes the argument's first bytes.
func BenchmarkHugeArgMiss(b *testing.B) {
	bindMissStores(b)
	data := make([]byte, 32<<20)
	for i := range data {
		data[i] = byte(i * 7)
	}
	var n uint64
	run := func(name string, call func([]byte) [32]byte, stats func() memo.Stats) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				n++
				binary.LittleEndian.PutUint64(data, n)
				sinkSum = call(data)
			}
			if stats == nil {
				return
			}
			if st := stats(); st.Hits != 0 || st.Failures != 0 || st.Unstorable != 0 {
				b.Fatalf("Stats = %+v; want misses only, every result stored", st)
			}
		})
	}
	run("plain", Checksum, nil)
	run("memory", HugeMemoryCached, HugeMemoryMemo().Stats)
	run("bytes", HugeBytesCached, HugeBytesMemo().Stats)
}
