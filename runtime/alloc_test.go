//go:build !race

// The race detector makes sync.Pool drop a random share of what is put in
// it, so allocation counts are only meaningful without it.

package runtime_test

import (
	"testing"
	"time"

	memo "github.com/memogen/memogen/runtime"
)

// The digest of a zone's rules is computed once per location, and then
// costs a key nothing.
func TestTimeLocalKeyAllocatesNothing(t *testing.T) {
	// Not parallel: it sets time.Local, and AllocsPerRun counts every
	// goroutine's allocations.
	saved := time.Local
	t.Cleanup(func() { time.Local = saved })
	time.Local = hostLocal(t, "Europe/Paris")
	at := time.Unix(1_768_478_400, 0).In(time.Local)
	var w memo.KeyWriter
	w.Time(at)
	allocs := testing.AllocsPerRun(100, func() {
		w.Reset()
		w.Time(at)
	})
	if allocs != 0 {
		t.Errorf("Time(%v) in time.Local: %v allocations; want 0", at, allocs)
	}
}
