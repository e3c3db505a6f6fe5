package memory

import (
	"hash/maphash"
	"testing"
	"time"

	"github.com/memogen/memogen/runtime/store"
)

// TestHitsTakeNoLock holds the store's mutex, as a Set or an eviction on
// another core would, and checks that Get and Peek still return a stored
// value, and that a hit was counted for the eviction policy.
func TestHitsTakeNoLock(t *testing.T) {
	s := New(Options{})
	tb := s.Table(store.TableConfig{Func: store.FuncID{Package: "example.com/p", Name: "A"}}).(*table)
	for _, k := range []string{"a", "b", "c"} {
		tb.Set(k, "value of "+k, 0, 0)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	done := make(chan string)
	go func() {
		v, _, ok := tb.Get([]byte("b"))
		p, _, pok := tb.Peek([]byte("c"))
		if !ok || !pok {
			done <- "a miss"
			return
		}
		done <- v.(string) + ", " + p.(string)
	}()
	select {
	case got := <-done:
		if got != "value of b, value of c" {
			t.Errorf("Get(b), Peek(c) with the store locked = %s; want value of b, value of c", got)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Get or Peek waited for the store's mutex; want hits without a lock")
	}
	if e := tb.idx.findLocked(hashOf(s, "b"), "b"); e == nil || e.freq() != 1 {
		t.Errorf("after one Get, b's access count = %v; want 1", e)
	}
	if e := tb.idx.findLocked(hashOf(s, "c"), "c"); e == nil || e.freq() != 0 {
		t.Errorf("after one Peek, c's access count = %v; want 0", e)
	}
}

func hashOf(s *Store, key string) uint64 { return maphash.String(s.seed, key) }
