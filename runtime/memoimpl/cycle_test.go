package memoimpl_test

import (
	"context"
	"errors"
	"testing"

	"github.com/memogen/memogen/backends/memory"
	_ "github.com/memogen/memogen/codecs/gob"
	_ "github.com/memogen/memogen/codecs/msgpack"
	_ "github.com/memogen/memogen/codecs/zstd"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
)

type ring struct {
	Val        int
	Prev, Next *ring
}

// newRing returns a list of n nodes: doubly linked and closed into a ring
// when closed, else singly linked, with no cycle.
func newRing(n int, closed bool) *ring {
	head := &ring{Val: 1}
	last := head
	for i := 2; i <= n; i++ {
		last.Next = &ring{Val: i}
		if closed {
			last.Next.Prev = last
		}
		last = last.Next
	}
	if closed {
		last.Next, head.Prev = head, last
	}
	return head
}

// A cyclic result would overflow the stack of a recursive codec, a fatal
// error: it is returned uncached, counted and reported instead.
func TestCyclicResultsAreReturnedNotStored(t *testing.T) {
	for _, codec := range []string{"msgpack", "gob", "json", "msgpack+zstd"} {
		t.Run(codec, func(t *testing.T) {
			store := &recording{Backend: memory.New(memory.Options{})}
			bf := newByteFunc(t, store, memoimpl.FuncInfo{Codec: codec, Recursive: true})
			runs := 0
			call := func(closed bool) *ring {
				c := bf.f.Begin(context.Background())
				c.Key().Bool(closed)
				if r, ok := memoimpl.Lookup[*ring](c, false); ok {
					return r
				}
				r, _ := memoimpl.Run(c, func() (*ring, error) { runs++; return newRing(3, closed), nil })
				return r
			}
			for i := 1; i <= 2; i++ {
				if r := call(true); r.Next.Next.Next != r || runs != i {
					t.Fatalf("call %d of a cyclic ring = %+v after %d runs; want the ring, run every time", i, r, runs)
				}
			}
			if st := bf.f.Stats(); st.Unstorable != 2 || st.Failures != 0 || st.Hits != 0 {
				t.Errorf("Stats = %+v; want 2 unstorable, no failures, no hits", st)
			}
			if store.sets != 0 {
				t.Errorf("the store got %d entries; want none", store.sets)
			}
			// The first result not stored is reported, once per function.
			if len(bf.hooks) != 2 || !errors.Is(bf.hooks[0].Err, memo.ErrUnstorable) || bf.hooks[1].Err != nil {
				t.Errorf("hook saw %+v; want two misses, the first with Err memo.ErrUnstorable", bf.hooks)
			}
			// A list without a cycle, of the same type, is stored and served.
			call(false)
			if r := call(false); r.Next.Next.Val != 3 || store.sets != 1 || runs != 3 {
				t.Errorf("open list = %+v after %d runs; want it served from the store", r, runs)
			}
		})
	}
}
