package codecs_test

// These tests plant hostile entries in real backends and read them through
// the runtime, as a process sharing a store with an attacker would, and
// measure what reading them allocates. They change the global
// configuration and measure the whole process's allocation, so none of them
// is parallel.

import (
	"bytes"
	"context"
	"encoding/binary"
	stdgob "encoding/gob"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	_ "github.com/memogen/memogen/backends/file"
	_ "github.com/memogen/memogen/backends/redis"
	"github.com/memogen/memogen/codecs/gob"
	"github.com/memogen/memogen/internal/testservers"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
	"github.com/memogen/memogen/runtime/store"
)

// bombMaxEntry is the Config.MaxEntryBytes of these tests.
const bombMaxEntry = 256 << 10

// readBound is what reading a hostile entry through the runtime may
// allocate, recomputing and storing the right result included: the entry
// as read, a decompressed copy of at most MaxEntryBytes that grows by
// doubling, and a streaming decoder's buffers.
const readBound = 4*bombMaxEntry + 1<<20

// big is an element type that makes a one-byte nil costly to decode.
type big struct{ A [64]int64 }

// zeroWide is an element type whose zero value takes a byte of gob and 512
// bytes of memory.
type zeroWide struct {
	F0, F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12, F13, F14, F15, F16, F17, F18, F19, F20, F21, F22, F23, F24, F25, F26, F27, F28, F29, F30, F31, F32, F33, F34, F35, F36, F37, F38, F39, F40, F41, F42, F43, F44, F45, F46, F47, F48, F49, F50, F51, F52, F53, F54, F55, F56, F57, F58, F59, F60, F61, F62, F63 int64
}

// wideHolder is a result gob finds in an interface; it is registered with
// gob.Register only.
type wideHolder struct{ Items []zeroWide }

func init() { stdgob.Register(wideHolder{}) }

// array32 returns a MessagePack array32 header for n elements, followed by
// n copies of elem.
func array32(n int, elem ...byte) []byte {
	b := binary.BigEndian.AppendUint32([]byte{0xdd}, uint32(n))
	for range n {
		b = append(b, elem...)
	}
	return b
}

// bin32 returns the header of MessagePack binary data of n bytes.
func bin32(n int) []byte { return binary.BigEndian.AppendUint32([]byte{0xc6}, uint32(n)) }

// recorder collects what Config.Hook receives.
type recorder struct {
	mu    sync.Mutex
	calls []memo.CallInfo // guarded by mu
}

func (r *recorder) Hook(c memo.CallInfo) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, c)
}

func (r *recorder) Calls() []memo.CallInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]memo.CallInfo(nil), r.calls...)
}

var serial atomic.Int64

// uniqueName returns a name of t's own for a function, a backend or a
// codec.
func uniqueName(t *testing.T) string {
	return fmt.Sprintf("%s_%d", strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()), serial.Add(1))
}

// planted is a memoized function whose one entry an attacker replaced.
type planted[R any] struct {
	f     *memoimpl.Func
	want  R
	bomb  int          // bytes planted
	runs  atomic.Int64 // runs of the function
	hooks recorder
}

// plant stores the result want of a function of t's own on the backend at
// rawURL, with codec spec, then replaces the entry's payload with bomb,
// keeping its metadata line so that only decoding can tell.
func plant[R any](t *testing.T, rawURL, codec string, want R, bomb []byte) *planted[R] {
	t.Helper()
	p := &planted[R]{want: want, bomb: len(bomb)}
	memo.Configure(memo.Config{MaxEntryBytes: bombMaxEntry, Hook: p.hooks.Hook})
	t.Cleanup(func() { memo.Configure(memo.Config{}) })
	backend := testservers.ClosedAtEnd(t, testservers.Open(t, rawURL))
	name := uniqueName(t)
	memo.Register(name, backend)
	t.Cleanup(func() { memo.Unregister(name) })
	p.f = memoimpl.NewFunc(memoimpl.FuncInfo{Package: "example.com/bombs", Name: name, Backend: name, Codec: codec, Errors: true})
	if err := p.call(); err != nil {
		t.Fatal(err)
	}

	ctx := context.Background()
	var keys []store.Key
	err := backend.(store.Lister).List(ctx, p.f.ID(), func(e store.StoredEntry) bool {
		keys = append(keys, e.Key)
		return true
	})
	if err != nil || len(keys) != 1 {
		t.Fatalf("List = %v, %v; want the one entry stored", keys, err)
	}
	stored, err := backend.Get(ctx, keys[0])
	if err != nil {
		t.Fatal(err)
	}
	e, err := store.DecodeEntry(stored)
	if err != nil {
		t.Fatal(err)
	}
	e.Payload = bomb
	if err := backend.Set(ctx, keys[0], store.EncodeEntry(e), e.Expires); err != nil {
		t.Fatal(err)
	}
	return p
}

// call calls the function as generated code does, and fails unless it
// returns want.
func (p *planted[R]) call() error {
	c := p.f.Begin(context.Background())
	c.Key().Text("key")
	got, ok := memoimpl.Lookup[R](c, false)
	var err error
	if !ok {
		got, err = memoimpl.Run(c, func() (R, error) {
			p.runs.Add(1)
			return p.want, nil
		})
	}
	if err != nil || !reflect.DeepEqual(got, p.want) {
		return fmt.Errorf("call = %v, %v; want the function's own result", got, err)
	}
	return nil
}

// allocatedBy returns the bytes f allocates on the heap, the whole
// process's.
func allocatedBy(f func()) uint64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// detonate reads the planted entry with readers concurrent calls, and
// checks that they allocated at most readers × readBound, returned the
// right result, and found the entry corrupt for exceeding the limits.
func (p *planted[R]) detonate(t *testing.T, readers int) {
	t.Helper()
	errs := make(chan error, readers)
	got := allocatedBy(func() {
		var wg sync.WaitGroup
		for range readers {
			wg.Go(func() { errs <- p.call() })
		}
		wg.Wait()
	})
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if bound := uint64(readers) * readBound; got > bound {
		t.Errorf("%d readers of a %d-byte hostile payload allocated %d bytes; want at most %d (%d × MaxEntryBytes)", readers, p.bomb, got, bound, bound/bombMaxEntry)
	}
	t.Logf("%d readers of a %d-byte hostile payload allocated %d bytes", readers, p.bomb, got)
	// Concurrent readers may each find the entry before any deletes it,
	// and each lead a recomputation if they join the flight late.
	if runs := p.runs.Load(); runs < 2 || runs > 1+int64(readers) {
		t.Errorf("the function ran %d times; want 2 to %d: once to store, then to replace the hostile entry", runs, 1+readers)
	}
	if st := p.f.Stats(); st.Corrupt < 1 || st.Corrupt > uint64(readers) {
		t.Errorf("Stats().Corrupt = %d; want 1 to %d", st.Corrupt, readers)
	}
	var tooLarge bool
	for _, ci := range p.hooks.Calls() {
		tooLarge = tooLarge || errors.Is(ci.Err, store.ErrTooLarge) && errors.Is(ci.Err, store.ErrCorrupt)
	}
	if !tooLarge {
		t.Errorf("no CallInfo.Err wraps store.ErrTooLarge and store.ErrCorrupt; got %v", p.hooks.Calls())
	}
	runs := p.runs.Load()
	if err := p.call(); err != nil {
		t.Error(err)
	}
	if p.runs.Load() != runs {
		t.Errorf("the call after the recomputation ran the function; want a hit on the fresh entry")
	}
}

func TestBombNilArrays(t *testing.T) {
	// 200 KB of nils; unguarded, the decoder makes []big of 200 000
	// elements twice: 204 MB.
	p := plant(t, testservers.FileURL(t), "msgpack", []big{{A: [64]int64{1}}}, array32(200_000, 0xc0))
	p.detonate(t, 1)
}

func TestBombEmptyMaps(t *testing.T) {
	// 200 KB of empty maps; unguarded, each one byte costs a map header
	// and a slice slot: 14 MB.
	p := plant(t, testservers.FileURL(t), "msgpack", []map[string]any{{"k": "v"}}, array32(200_000, 0x80))
	p.detonate(t, 1)
}

func TestBombNestedArrays(t *testing.T) {
	// 12 000 arrays of 15 nils; unguarded, each 16 bytes cost two
	// []big of 15: 184 MB.
	inner := append([]byte{0x9f}, bytes.Repeat([]byte{0xc0}, 15)...)
	p := plant(t, testservers.FileURL(t), "msgpack", [][]big{{{}}}, array32(12_000, inner...))
	p.detonate(t, 1)
}

func TestBombGzip(t *testing.T) {
	// 16 KB that gunzip to 16 MiB of binary data; unguarded, read whole
	// and decoded: 50 MB.
	p := plant(t, testservers.FileURL(t), "msgpack+gzip", []byte("result"), gzipBomb(bin32(16<<20), 64))
	p.detonate(t, 1)
}

func TestBombZstd(t *testing.T) {
	// 600 bytes that declare and decompress to 16 MiB of binary data:
	// 32 MB unguarded.
	p := plant(t, testservers.FileURL(t), "msgpack+zstd", []byte("result"), zstdEncoder.EncodeAll(append(bin32(16<<20), make([]byte, 16<<20)...), nil))
	p.detonate(t, 1)
}

func TestBombConcurrentReaders(t *testing.T) {
	p := plant(t, testservers.FileURL(t), "msgpack+gzip", []byte("result"), gzipBomb(bin32(16<<20), 64))
	p.detonate(t, 4)
}

func TestBombRedis(t *testing.T) {
	p := plant(t, testservers.RedisURL(t), "msgpack", []big{{A: [64]int64{1}}}, array32(200_000, 0xc0))
	p.detonate(t, 1)
}

// jsonArray returns a JSON array of n copies of elem.
func jsonArray(n int, elem string) []byte {
	return []byte("[" + strings.TrimSuffix(strings.Repeat(elem+",", n), ",") + "]")
}

func TestBombJSONNulls(t *testing.T) {
	// 250 KB of nulls; unguarded, encoding/json grows a []big to 50 000
	// elements one at a time: 115 MB.
	p := plant(t, testservers.FileURL(t), "json", []big{{A: [64]int64{1}}}, jsonArray(50_000, "null"))
	p.detonate(t, 1)
}

func TestBombJSONEmptyObjects(t *testing.T) {
	// 240 KB of empty objects into []any: a map and a slot each, 9 MB
	// unguarded.
	p := plant(t, testservers.FileURL(t), "json", []any{map[string]any{"k": "v"}}, jsonArray(80_000, "{}"))
	p.detonate(t, 1)
}

func TestBombJSONNested(t *testing.T) {
	// 9000 nested objects, each a map[string]any.
	bomb := strings.Repeat(`{"a":`, 9000) + "null" + strings.Repeat("}", 9000)
	p := plant(t, testservers.FileURL(t), "json", map[string]any{"k": "v"}, []byte(bomb))
	p.detonate(t, 1)
}

// gobStream returns what the gob codec writes for v.
func gobStream(t *testing.T, v any) []byte {
	t.Helper()
	data, err := gob.Codec{}.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestBombGobZeroStructs(t *testing.T) {
	// 200 KB for 200 000 zero structs of 512 bytes: 102 MB unguarded.
	p := plant(t, testservers.FileURL(t), "gob", []zeroWide{{F0: 1}}, gobStream(t, make([]zeroWide, 200_000)))
	p.detonate(t, 1)
}

func TestBombGobInterface(t *testing.T) {
	// The same, in a type found in an interface.
	var bomb any = wideHolder{Items: make([]zeroWide, 200_000)}
	p := plant(t, testservers.FileURL(t), "gob", any(square{2}), gobStream(t, &bomb))
	p.detonate(t, 1)
}

func TestBombGobMap(t *testing.T) {
	// 40 000 entries of a byte or three and an empty struct: 21 MB
	// unguarded.
	m := make(map[int32]zeroWide, 40_000)
	for i := range int32(40_000) {
		m[i] = zeroWide{}
	}
	p := plant(t, testservers.RedisURL(t), "gob", map[int32]zeroWide{1: {F1: 1}}, gobStream(t, m))
	p.detonate(t, 1)
}
