package memoimpl

import (
	"sync"
	"testing"
)

// TestHitCounterCountsEveryAdd adds from many goroutines that all start on
// one stripe, so that their adds collide and move stripes, and checks that
// every add is counted exactly once.
func TestHitCounterCountsEveryAdd(t *testing.T) {
	const goroutines, adds = 8, 20000
	var h hitCounter
	var wg sync.WaitGroup
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stripe := uint32(3)
			for range adds {
				h.Add(&stripe)
			}
		}()
	}
	wg.Wait()
	if got := h.Load(); got != goroutines*adds {
		t.Fatalf("Load() = %d, want %d", got, goroutines*adds)
	}
}

// TestHitCounterKeepsAnUncontendedStripe checks that adds without
// contention stay on the stripe they were given.
func TestHitCounterKeepsAnUncontendedStripe(t *testing.T) {
	var h hitCounter
	stripe := uint32(hitStripes + 5)
	for range 100 {
		h.Add(&stripe)
	}
	if stripe != hitStripes+5 {
		t.Fatalf("stripe moved to %d without contention", stripe)
	}
	if got := h.stripes[5].n.Load(); got != 100 {
		t.Fatalf("stripe 5 counted %d, want 100", got)
	}
}
