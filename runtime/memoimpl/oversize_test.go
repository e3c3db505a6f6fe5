package memoimpl_test

import (
	"context"
	"errors"
	"testing"

	"github.com/memogen/memogen/backends/memory"
	_ "github.com/memogen/memogen/codecs/gzip"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
)

// padded encodes to some 700 bytes of JSON, which gzip makes a few.
type padded struct {
	ID  int
	Pad [512]byte
}

// A result that fits MaxEntryBytes compressed but not uncompressed is
// oversize and not stored, whether or not results are verified: reading
// refuses every decompressed form over the limit, so storing it would make
// each later read find a corrupt entry, delete it and run the function
// again. (It was once stored, then read as corrupt; verified, it was
// counted as unstorable and logged as an error.)
func TestBytesOversizeBeforeCompression(t *testing.T) {
	for _, noVerify := range []bool{false, true} {
		name := map[bool]string{false: "verified", true: "not verified"}[noVerify]
		t.Run(name, func(t *testing.T) {
			st := &recording{Backend: byteOnly{memory.New(memory.Options{})}}
			bf := newByteFunc(t, st, memoimpl.FuncInfo{Codec: "json+gzip", NoVerify: noVerify})
			memo.Configure(memo.Config{MaxEntryBytes: 256 << 10, Hook: func(c memo.CallInfo) { bf.hooks = append(bf.hooks, c) }})
			for range 3 {
				c := bf.f.Begin(context.Background())
				c.Key().Int(300)
				if _, ok := memoimpl.Lookup[[]padded](c, false); ok {
					t.Fatal("a hit for a result that cannot be stored")
				}
				got, err := memoimpl.Run(c, func() ([]padded, error) { return make([]padded, 300), nil })
				if err != nil || len(got) != 300 {
					t.Fatalf("Run = %d results, %v; want 300, nil", len(got), err)
				}
			}
			if got, want := bf.f.Stats(), (memo.Stats{Misses: 3, Oversize: 3}); got != want {
				t.Errorf("Stats = %+v; want %+v", got, want)
			}
			if st.sets != 0 {
				t.Errorf("the store got %d entries; want none", st.sets)
			}
			for _, h := range bf.hooks {
				if h.Err != nil {
					t.Errorf("hook saw %v; want no error for an oversize result", h.Err)
				}
			}
		})
	}
}

// An entry over the limit, met on reading, reaches the hook as an error
// that package memo names: a hook needs no other package to tell it.
func TestHookSeesErrTooLargeFromMemo(t *testing.T) {
	st := &recording{Backend: byteOnly{memory.New(memory.Options{})}}
	bf := newByteFunc(t, st, memoimpl.FuncInfo{})
	bf.mustCall(t, "hello", 1)
	// The entry, its metadata line included, is longer than 60 bytes.
	memo.Configure(memo.Config{MaxEntryBytes: 60, Hook: func(c memo.CallInfo) { bf.hooks = append(bf.hooks, c) }})
	bf.mustCall(t, "hello", 2)
	if len(bf.hooks) == 0 {
		t.Fatal("the hook saw no call")
	}
	err := bf.hooks[len(bf.hooks)-1].Err
	if !errors.Is(err, memo.ErrTooLarge) || !errors.Is(err, memo.ErrCorrupt) {
		t.Errorf("hook saw %v; want an error wrapping memo.ErrTooLarge and memo.ErrCorrupt", err)
	}
	if got := bf.f.Stats(); got.Corrupt != 1 {
		t.Errorf("Stats = %+v; want 1 corrupt", got)
	}
}

// dagNode's values share their children: a DAG of n levels has 2^n paths,
// and codecs encode a pointer's value once per path.
type dagNode struct {
	L, R *dagNode
	V    int
}

// dag returns a DAG of depth levels, each node pointing twice to the next.
func dag(depth int) *dagNode {
	n := &dagNode{V: depth}
	for i := range depth {
		n = &dagNode{L: n, R: n, V: i}
	}
	return n
}

// A result whose values share pointers is refused once its encoding passes
// MaxEntryBytes, not encoded whole first: a DAG of 64 levels would take
// 2^64 node encodings (the test would not end), and one of 20 encodes to
// tens of megabytes before the size check.
func TestBytesDAGResultStopsAtTheLimit(t *testing.T) {
	st := &recording{Backend: byteOnly{memory.New(memory.Options{})}}
	bf := newByteFunc(t, st, memoimpl.FuncInfo{Codec: "msgpack", Recursive: true})
	memo.Configure(memo.Config{MaxEntryBytes: 64 << 10})
	result := dag(64)
	for range 2 {
		c := bf.f.Begin(context.Background())
		c.Key().Int(1)
		if _, ok := memoimpl.Lookup[*dagNode](c, false); ok {
			t.Fatal("a hit for a result that cannot be stored")
		}
		got, err := memoimpl.Run(c, func() (*dagNode, error) { return result, nil })
		if err != nil || got != result {
			t.Fatalf("Run = %p, %v; want the function's result %p, nil", got, err, result)
		}
	}
	if got, want := bf.f.Stats(), (memo.Stats{Misses: 2, Oversize: 2}); got != want {
		t.Errorf("Stats = %+v; want %+v", got, want)
	}
	if st.sets != 0 {
		t.Errorf("the store got %d entries; want none", st.sets)
	}
}
