package memoimpl_test

import (
	"context"
	"errors"
	"fmt"
	"github.com/memogen/memogen/runtime/memoimpl"
	"github.com/memogen/memogen/runtime/store"
	"sync"
	"testing"
	"time"

	"github.com/memogen/memogen/backends/memory"
	memo "github.com/memogen/memogen/runtime"
)

// keyedStore is a byte-level store that remembers under which key each
// call's entry was stored, so that a test can move entries between keys.
type keyedStore struct {
	store.Backend
	mu   sync.Mutex
	keys map[string]store.Key // by function name and the summary of arguments the entry carries
}

func (s *keyedStore) Set(ctx context.Context, k store.Key, v []byte, e time.Time) error {
	if h, err := store.DecodeEntryHeader(v); err == nil {
		s.mu.Lock()
		s.keys[k.Func.Name+" "+h.Summary] = k
		s.mu.Unlock()
	}
	return s.Backend.Set(ctx, k, v, e)
}

// key returns the key of the last entry stored for function name with
// arguments summary.
func (s *keyedStore) key(name, summary string) (store.Key, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.keys[name+" "+summary]
	return k, ok
}

// entryKeyFuncs are two memoized functions of one argument, each of whose
// results differs from every other result of both, so that an entry served
// for the wrong key shows as a wrong value.
var entryKeyFuncs = sync.OnceValue(func() [2]*memoimpl.Func {
	var fs [2]*memoimpl.Func
	for i := range fs {
		fs[i] = memoimpl.NewFunc(memoimpl.FuncInfo{Package: "example.com/entrykey", Name: fmt.Sprintf("F%d", i), Backend: "entrykey", Codec: "json", Summary: "true"})
	}
	return fs
})

const entryKeyArgs = 4

// entryKeyResult is the result of function fn for argument arg.
func entryKeyResult(fn, arg int) int { return 100*fn + arg + 1 }

// FuzzEntryKey stores the entries of two functions, lets the fuzzer swap
// them between keys, copy them to other keys, damage them and replace them
// with bytes of its own, and checks that every call returns its own result:
// a tampered entry is a miss, an intact one a hit, never a wrong value.
//
// Each op is three bytes: an action, then the source and the target key,
// each a function (bit 2) and an argument (bits 0 and 1); both keys are
// called after the action.
func FuzzEntryKey(f *testing.F) {
	f.Add([]byte{1, 0, 1, 0, 0, 0, 0, 1, 0}, []byte("junk"))              // swap two arguments' entries, call both
	f.Add([]byte{2, 0, 4, 0, 4, 0}, []byte(""))                           // copy F0's entry over F1's
	f.Add([]byte{3, 2, 0, 0, 2, 0}, []byte("memo2 json 0 0 x y \"\"\n1")) // junk under a key
	f.Add([]byte{4, 1, 7, 0, 1, 0}, []byte{})                             // flip a bit of an entry
	f.Fuzz(func(t *testing.T, ops, junk []byte) {
		if len(ops) > 30 {
			return // ten ops reach any mix of moves; longer inputs only slow minimizing
		}
		st := &keyedStore{Backend: byteOnly{memory.New(memory.Options{})}, keys: make(map[string]store.Key)}
		memo.Register("entrykey", st)
		defer memo.Unregister("entrykey")
		var outcomes []memo.CallInfo
		memo.Configure(memo.Config{Hook: func(c memo.CallInfo) { outcomes = append(outcomes, c) }})
		defer memo.Configure(memo.Config{})
		funcs := entryKeyFuncs()

		ctx := context.Background()
		call := func(fn, arg int) {
			c := funcs[fn].Begin(ctx)
			c.Key().Int(int64(arg))
			got, ok := memoimpl.Lookup[int](c, false)
			if !ok {
				c.Summarize(func() string { return memoimpl.Describe("arg", arg) })
				got, _ = memoimpl.Run(c, func() (int, error) { return entryKeyResult(fn, arg), nil })
			}
			if want := entryKeyResult(fn, arg); got != want {
				t.Fatalf("F%d(%d) = %d; want %d", fn, arg, got, want)
			}
		}
		// keyOf returns the stored key of the function and argument b names.
		keyOf := func(b byte) (store.Key, bool) {
			fn, arg := int(b>>2)&1, int(b)%entryKeyArgs
			return st.key(funcs[fn].ID().Name, memoimpl.Describe("arg", arg))
		}
		for fn := range funcs {
			for arg := range entryKeyArgs {
				call(fn, arg)
			}
		}
		for i := 0; i+2 < len(ops); i += 3 {
			from, okFrom := keyOf(ops[i+1])
			to, okTo := keyOf(ops[i+2])
			get := func(k store.Key) []byte {
				v, err := st.Get(ctx, k)
				if err != nil {
					return nil
				}
				return v
			}
			switch ops[i] % 6 {
			case 0: // call both
			case 1: // swap
				if okFrom && okTo {
					vf, vt := get(from), get(to)
					_ = st.Backend.Set(ctx, from, vt, time.Time{})
					_ = st.Backend.Set(ctx, to, vf, time.Time{})
				}
			case 2: // copy
				if okFrom && okTo {
					_ = st.Backend.Set(ctx, to, get(from), time.Time{})
				}
			case 3: // the fuzzer's own bytes
				if okTo {
					_ = st.Backend.Set(ctx, to, junk, time.Time{})
				}
			case 4: // flip a bit
				if v := get(to); okTo && len(v) > 0 {
					v[int(ops[i+1])%len(v)] ^= 1 << (ops[i+2] % 8)
					_ = st.Backend.Set(ctx, to, v, time.Time{})
				}
			case 5: // a prefix of an entry, then the fuzzer's bytes
				if v := get(from); okFrom && okTo {
					v = append(v[:int(ops[i+2])%(len(v)+1)], junk...)
					_ = st.Backend.Set(ctx, to, v, time.Time{})
				}
			}
			call(int(ops[i+1]>>2)&1, int(ops[i+1])%entryKeyArgs)
			call(int(ops[i+2]>>2)&1, int(ops[i+2])%entryKeyArgs)
		}
		for _, o := range outcomes {
			switch {
			case o.Outcome == memo.Hit && o.Err == nil:
			case o.Outcome == memo.Miss && (o.Err == nil || errors.Is(o.Err, store.ErrCorrupt)):
			default:
				t.Fatalf("a call of %v was a %v (%v); want only hits, and misses that found nothing or a corrupt entry", o.Func, o.Outcome, o.Err)
			}
		}
	})
}
