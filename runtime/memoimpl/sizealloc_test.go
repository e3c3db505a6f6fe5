//go:build !race

// The race detector makes sync.Pool drop a random share of what is put in
// it, so allocation counts are only meaningful without it.

package memoimpl_test

import (
	"github.com/memogen/memogen/runtime/memoimpl"
	"strconv"
	"testing"

	"github.com/memogen/memogen/backends/memory"
	memo "github.com/memogen/memogen/runtime"
)

// flatRecord is as large as sizeRecord and references nothing.
type flatRecord struct{ A [12]int64 }

var recordData = make([]byte, 1024)

// TestMissSizeEstimateAllocatesNothing checks that estimating a result's
// size costs a miss on a memory store no allocation: a result whose
// estimator generated code supplies takes as many allocations as one the
// runtime need not estimate at all. (An estimator that took a pointer
// would move each result to the heap.)
func TestMissSizeEstimateAllocatesNothing(t *testing.T) {
	// Not parallel: AllocsPerRun counts the allocations of every goroutine.
	name := uniqueName(t)
	memo.Register(name, memory.New(memory.Options{MaxEntries: 64}))
	estimated := newFunc(t, memoimpl.FuncInfo{Backend: name, Size: sizeOfRecord})
	flat := newFunc(t, memoimpl.FuncInfo{Backend: name})
	i := 1000 // strconv.Itoa allocates from 100 on, for both
	missEstimated := func() {
		i++
		get(estimated, strconv.Itoa(i), func() (sizeRecord, error) { return sizeRecord{Data: recordData}, nil })
	}
	missFlat := func() {
		i++
		get(flat, strconv.Itoa(i), func() (flatRecord, error) { return flatRecord{A: [12]int64{1}}, nil })
	}
	for range 100 {
		missEstimated() // fill the store: from now on each miss evicts an entry
	}
	estimatedAllocs := testing.AllocsPerRun(1000, missEstimated)
	flatAllocs := testing.AllocsPerRun(1000, missFlat)
	if estimatedAllocs != flatAllocs {
		t.Errorf("a miss with a generated size estimator: %v allocations; without any estimate: %v; want the same", estimatedAllocs, flatAllocs)
	}
}
