package memoimpl_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/memogen/memogen/runtime/memoimpl"
	"github.com/memogen/memogen/runtime/store"

	"github.com/memogen/memogen/backends/memory"
	_ "github.com/memogen/memogen/codecs/json"
	memo "github.com/memogen/memogen/runtime"
)

// These tests drive the byte-level path — codec, entry, digest — and its
// faults. A memory store hidden behind the plain Backend interface stands in
// for a real byte store; the real ones (file, Redis, S3) run the same faults
// against real storage in their own packages.

// byteOnly hides the memory store's in-process tables, so that the runtime
// encodes results as it does for files, Redis and S3.
type byteOnly struct{ store.Backend }

// faulty fails every operation, or blocks until the context ends.
type faulty struct {
	block bool
	calls atomic.Int64
}

var errDown = errors.New("backend down")

func (f *faulty) wait(ctx context.Context) error {
	f.calls.Add(1)
	if f.block {
		<-ctx.Done()
		return ctx.Err()
	}
	return errDown
}

func (f *faulty) Get(ctx context.Context, k store.Key) ([]byte, error) { return nil, f.wait(ctx) }
func (f *faulty) Set(ctx context.Context, k store.Key, v []byte, e time.Time) error {
	return f.wait(ctx)
}
func (f *faulty) Delete(ctx context.Context, k store.Key) error    { return f.wait(ctx) }
func (f *faulty) Clear(ctx context.Context, fn store.FuncID) error { return f.wait(ctx) }

// byteFunc is a memoized "length of s" bound to a fresh byte store.
type byteFunc struct {
	f     *memoimpl.Func
	st    store.Backend
	runs  int
	hooks []memo.CallInfo
}

var byteFuncs atomic.Int64

func newByteFunc(t *testing.T, st store.Backend, info memoimpl.FuncInfo) *byteFunc {
	t.Helper()
	bf := &byteFunc{st: st}
	name := "bytes" + strings.ReplaceAll(t.Name(), "/", "_")
	memo.Register(name, st)
	t.Cleanup(func() { memo.Unregister(name) })
	if info.Name == "" {
		info.Name = "Len" + string(rune('A'+byteFuncs.Add(1)%26))
	}
	info.Package, info.Backend = "example.com/bytes", name
	if info.Codec == "" {
		info.Codec = "json"
	}
	bf.f = memoimpl.NewFunc(info)
	memo.Configure(memo.Config{Hook: func(c memo.CallInfo) { bf.hooks = append(bf.hooks, c) }})
	t.Cleanup(func() { memo.Configure(memo.Config{}) })
	return bf
}

func (bf *byteFunc) call(s string) (int, error) {
	c := bf.f.Begin(context.Background())
	c.Key().Text(s)
	if r, ok := memoimpl.Lookup[int](c, false); ok {
		return r, nil
	}
	c.Summarize(func() string { return memoimpl.Describe("s", s) })
	return memoimpl.Run(c, func() (int, error) {
		bf.runs++
		return len(s), nil
	})
}

func (bf *byteFunc) mustCall(t *testing.T, s string, wantRuns int) {
	t.Helper()
	got, err := bf.call(s)
	if err != nil || got != len(s) {
		t.Fatalf("call(%q) = %d, %v; want %d, nil", s, got, err, len(s))
	}
	if bf.runs != wantRuns {
		t.Fatalf("after call(%q) the function ran %d times; want %d", s, bf.runs, wantRuns)
	}
}

func TestBytesHitAndMetadata(t *testing.T) {
	st := memory.New(memory.Options{})
	bf := newByteFunc(t, byteOnly{st}, memoimpl.FuncInfo{TTL: time.Hour})
	bf.mustCall(t, "hello", 1)
	bf.mustCall(t, "hello", 1)
	bf.mustCall(t, "other", 2)
	if st := bf.f.Stats(); st.Hits != 1 || st.Misses != 2 || st.Corrupt != 0 {
		t.Errorf("Stats = %+v; want 1 hit, 2 misses", st)
	}
}

func TestBytesCorruptEntriesAreMisses(t *testing.T) {
	// Each damaged entry is built for the key it is stored under, so that
	// only the named damage makes it corrupt.
	valid := func(key store.Key, payload string) []byte {
		return store.EncodeEntry(store.Entry{Codec: "json", Created: time.Now(), Digest: key.Digest, Payload: []byte(payload)})
	}
	tests := map[string]func(store.Key) []byte{
		"garbage":                func(store.Key) []byte { return []byte("\x00\x01 definitely not an entry") },
		"truncated":              func(k store.Key) []byte { return valid(k, "5")[:20] },
		"unknown format version": func(k store.Key) []byte { return append([]byte("memo7"), valid(k, "5")[5:]...) },
		"checksum mismatch":      func(k store.Key) []byte { v := valid(k, "5"); return append(v[:len(v)-1], '6') },
		"foreign codec": func(k store.Key) []byte {
			return store.EncodeEntry(store.Entry{Codec: "gob", Digest: k.Digest, Payload: []byte("5")})
		},
		"wrong result type": func(k store.Key) []byte { return valid(k, `"five"`) },
		"another key's entry": func(k store.Key) []byte {
			other := store.Key{Digest: strings.Repeat("0", 32)}
			return valid(other, "5")
		},
	}
	for name, bad := range tests {
		t.Run(name, func(t *testing.T) {
			st := &recording{Backend: memory.New(memory.Options{})}
			bf := newByteFunc(t, st, memoimpl.FuncInfo{})
			bf.mustCall(t, "hello", 1)
			key := st.lastSet
			if err := st.Backend.Set(context.Background(), key, bad(key), time.Time{}); err != nil {
				t.Fatal(err)
			}
			bf.hooks = nil
			bf.mustCall(t, "hello", 2) // a miss: recomputed, not a panic or a wrong value
			if st := bf.f.Stats(); st.Corrupt != 1 {
				t.Errorf("Stats().Corrupt = %d; want 1", st.Corrupt)
			}
			if len(bf.hooks) != 1 || bf.hooks[0].Outcome != memo.Miss || !errors.Is(bf.hooks[0].Err, store.ErrCorrupt) {
				t.Errorf("hook saw %+v; want one miss whose Err is store.ErrCorrupt", bf.hooks)
			}
			data, err := st.Backend.Get(context.Background(), key)
			if err != nil {
				t.Fatalf("after recomputing, Get = %v; want the fresh entry", err)
			}
			if e, err := store.DecodeEntry(data); err != nil || string(e.Payload) != "5" || e.Digest != key.Digest {
				t.Errorf("after recomputing, the entry is %q (%v); want a valid entry of 5 for key %s", data, err, key.Digest)
			}
			bf.mustCall(t, "hello", 2) // and now a hit
		})
	}
}

func TestBytesPreviousFormatIsAPlainMiss(t *testing.T) {
	st := &recording{Backend: memory.New(memory.Options{})}
	bf := newByteFunc(t, st, memoimpl.FuncInfo{})
	bf.mustCall(t, "hello", 1)
	key := st.lastSet
	old := []byte("memo1 json 1700000000000000000 0 0a6fb8b6e2b7c3a1 \"s=\\\"hello\\\"\"\n5")
	if err := st.Backend.Set(context.Background(), key, old, time.Time{}); err != nil {
		t.Fatal(err)
	}
	bf.hooks = nil
	bf.mustCall(t, "hello", 2)
	if st := bf.f.Stats(); st.Corrupt != 0 {
		t.Errorf("Stats().Corrupt = %d after reading a memo1 entry; want 0: an old format is not damage", st.Corrupt)
	}
	if len(bf.hooks) != 1 || bf.hooks[0].Outcome != memo.Miss || bf.hooks[0].Err != nil {
		t.Errorf("hook saw %+v; want one plain miss", bf.hooks)
	}
	bf.mustCall(t, "hello", 2) // the fresh entry replaced it
}

// recording remembers the last key set.
type recording struct {
	store.Backend
	lastSet store.Key
	sets    int
}

func (r *recording) Set(ctx context.Context, k store.Key, v []byte, e time.Time) error {
	r.lastSet = k
	r.sets++
	return r.Backend.Set(ctx, k, v, e)
}

func TestBytesEntryCarriesSummaryAndExpiry(t *testing.T) {
	// The memory store checks expiry against the real clock, so the fake one
	// runs ahead of it.
	now := time.Now().Add(time.Hour).Truncate(time.Second)
	st := &recording{Backend: memory.New(memory.Options{})}
	bf := newByteFunc(t, st, memoimpl.FuncInfo{TTL: time.Minute, Summary: "true"})
	memo.Configure(memo.Config{Now: func() time.Time { return now }})
	bf.mustCall(t, "hello", 1)
	data, err := st.Backend.Get(context.Background(), st.lastSet)
	if err != nil {
		t.Fatal(err)
	}
	e, err := store.DecodeEntry(data)
	if err != nil {
		t.Fatal(err)
	}
	if e.Summary != `s="hello"` || !e.Created.Equal(now) || !e.Expires.Equal(now.Add(time.Minute)) || string(e.Payload) != "5" {
		t.Errorf("stored entry = %+v; want summary s=\"hello\", created %v, expiring a minute later, payload 5", e, now)
	}
	if len(st.lastSet.Digest) != 32 || st.lastSet.Codec != "json" {
		t.Errorf("key = %+v; want a 32-hex-digit digest and codec json", st.lastSet)
	}
	now = now.Add(2 * time.Minute)
	bf.mustCall(t, "hello", 2) // expired by the entry's own expiry
}

func TestBytesFingerprintAndVersionOrphanEntries(t *testing.T) {
	st := byteOnly{memory.New(memory.Options{})}
	runs := 0
	call := func(info memoimpl.FuncInfo) {
		f := memoimpl.NewFunc(info)
		c := f.Begin(context.Background())
		c.Key().Int(1)
		if _, ok := memoimpl.Lookup[int](c, false); ok {
			return
		}
		memoimpl.Run(c, func() (int, error) { runs++; return 1, nil })
	}
	memo.Register("orphans", st)
	t.Cleanup(func() { memo.Unregister("orphans") })
	base := memoimpl.FuncInfo{Package: "example.com/p", Name: "F", Backend: "orphans", Codec: "json", Fingerprint: "aaaa"}
	call(base)
	call(base)
	if runs != 1 {
		t.Fatalf("same function twice ran %d times; want 1", runs)
	}
	edited := base
	edited.Fingerprint = "bbbb"
	call(edited)
	if runs != 2 {
		t.Errorf("after a code change the old entry was served (runs = %d; want 2)", runs)
	}
	bumped := base
	bumped.Version = "2"
	call(bumped)
	if runs != 3 {
		t.Errorf("after a version bump the old entry was served (runs = %d; want 3)", runs)
	}
}

func TestBytesOversizeIsReturnedNotStored(t *testing.T) {
	st := &recording{Backend: memory.New(memory.Options{})}
	bf := newByteFunc(t, st, memoimpl.FuncInfo{})
	memo.Configure(memo.Config{MaxEntryBytes: 10})
	bf.mustCall(t, "hello", 1)
	bf.mustCall(t, "hello", 2)
	if st := bf.f.Stats(); st.Oversize != 2 || st.Hits != 0 {
		t.Errorf("Stats = %+v; want 2 oversize results and no hits", st)
	}
	if st.lastSet.Digest != "" {
		t.Errorf("an oversize result was stored under %+v", st.lastSet)
	}
}

func TestBytesFailOpen(t *testing.T) {
	for _, block := range []bool{false, true} {
		name := map[bool]string{false: "failing", true: "hanging"}[block]
		t.Run(name, func(t *testing.T) {
			backend := &faulty{block: block}
			bf := newByteFunc(t, backend, memoimpl.FuncInfo{Errors: true})
			memo.Configure(memo.Config{Timeout: 20 * time.Millisecond, Hook: func(c memo.CallInfo) { bf.hooks = append(bf.hooks, c) }})
			bf.mustCall(t, "hello", 1)
			bf.mustCall(t, "hello", 2)
			st := bf.f.Stats()
			if st.Failures < 2 || st.Hits != 0 {
				t.Errorf("Stats = %+v; want failures counted and no hits", st)
			}
			if len(bf.hooks) == 0 || bf.hooks[len(bf.hooks)-1].Err == nil {
				t.Errorf("hook saw %+v; want the backend's error reported", bf.hooks)
			}
		})
	}
}

func TestBytesCooldownSkipsAFailedBackend(t *testing.T) {
	backend := &faulty{}
	bf := newByteFunc(t, backend, memoimpl.FuncInfo{Errors: true})
	now := time.Unix(1_700_000_000, 0)
	memo.Configure(memo.Config{
		Cooldown: time.Minute,
		Now:      func() time.Time { return now },
		Hook:     func(c memo.CallInfo) { bf.hooks = append(bf.hooks, c) },
	})
	bf.mustCall(t, "hello", 1)
	reached := backend.calls.Load()
	if reached == 0 {
		t.Fatal("the first call never reached the backend")
	}
	now = now.Add(59 * time.Second)
	bf.mustCall(t, "hello", 2)
	if n := backend.calls.Load(); n != reached {
		t.Errorf("a call within the cooldown made %d backend operations; want none", n-reached)
	}
	if last := bf.hooks[len(bf.hooks)-1]; !errors.Is(last.Err, memo.ErrCoolingDown) || last.Outcome != memo.Uncached {
		t.Errorf("hook saw %+v for a call within the cooldown; want Uncached with ErrCoolingDown", last)
	} else if first := bf.hooks[0]; last.Key != first.Key || !hexLabel.MatchString(last.Key) {
		t.Errorf("hook saw Key %q for a call during the cooldown; want the key's label %q, as for the first call", last.Key, first.Key)
	}
	now = now.Add(2 * time.Second)
	bf.mustCall(t, "hello", 3)
	if n := backend.calls.Load(); n == reached {
		t.Error("a call after the cooldown did not reach the backend")
	}
}

func TestBytesStrictReturnsBackendErrors(t *testing.T) {
	backend := &faulty{}
	bf := newByteFunc(t, backend, memoimpl.FuncInfo{Errors: true})
	memo.Configure(memo.Config{Strict: true})
	_, err := bf.call("hello")
	if !errors.Is(err, errDown) {
		t.Errorf("call under Strict = %v; want the backend's error", err)
	}
	if bf.runs != 0 {
		t.Errorf("under Strict the function ran %d times after the read failed; want 0", bf.runs)
	}
	if _, err := bf.call("hello"); !errors.Is(err, memo.ErrCoolingDown) {
		t.Errorf("second call under Strict, within the cooldown = %v; want ErrCoolingDown", err)
	}
	c := bf.f.Begin(context.Background())
	c.Key().Text("hello")
	if _, ok := memoimpl.Lookup[int](c, true); ok {
		t.Fatal("a refresh reported a hit")
	}
	if _, err := memoimpl.Run(c, func() (int, error) { bf.runs++; return 5, nil }); !errors.Is(err, memo.ErrCoolingDown) {
		t.Errorf("a refresh under Strict, within the cooldown = %v; want ErrCoolingDown", err)
	}
	if bf.runs != 0 {
		t.Errorf("under Strict the function ran %d times while the backend rested; want 0", bf.runs)
	}
}

func TestBytesUnknownCodecRunsUncached(t *testing.T) {
	bf := newByteFunc(t, byteOnly{memory.New(memory.Options{})}, memoimpl.FuncInfo{Codec: "nosuchcodec"})
	bf.mustCall(t, "hello", 1)
	bf.mustCall(t, "hello", 2)
	if st := bf.f.Stats(); st.Failures != 2 {
		t.Errorf("Stats().Failures = %d; want 2", st.Failures)
	}
	if len(bf.hooks) != 1 || !strings.Contains(bf.hooks[0].Err.Error(), `codec "nosuchcodec" is not registered`) {
		t.Errorf("hook saw %+v; want the unregistered codec reported once", bf.hooks)
	}
}

func TestBytesUnstorableResultsRunUncached(t *testing.T) {
	st := byteOnly{memory.New(memory.Options{})}
	bf := newByteFunc(t, st, memoimpl.FuncInfo{Unstorable: "result field Res.c is unexported"})
	bf.mustCall(t, "hello", 1)
	bf.mustCall(t, "hello", 2)
	if st := bf.f.Stats(); st.Hits != 0 || st.Failures == 0 {
		t.Errorf("Stats = %+v; want no hits and the failure counted", st)
	}
	if len(bf.hooks) == 0 || !errors.Is(bf.hooks[0].Err, memo.ErrUnstorable) || !strings.Contains(bf.hooks[0].Err.Error(), "Res.c is unexported") {
		t.Errorf("hook saw %+v; want ErrUnstorable with the reason", bf.hooks)
	}
	// The in-memory store keeps values as they are: no round trip, so the
	// same function caches there.
	mem := newByteFunc(t, memory.New(memory.Options{}), memoimpl.FuncInfo{Unstorable: "result field Res.c is unexported"})
	mem.mustCall(t, "hello", 1)
	mem.mustCall(t, "hello", 1)
}

// A payload over Config.MaxEntryBytes is oversize, not a result that failed
// to read back: verification decodes within the same limit, and must not
// count it as unstorable.
func TestBytesOversizePayloadIsNotUnstorable(t *testing.T) {
	st := &recording{Backend: memory.New(memory.Options{})}
	bf := newByteFunc(t, st, memoimpl.FuncInfo{Codec: "msgpack"})
	memo.Configure(memo.Config{MaxEntryBytes: 100})
	for i := range 2 {
		c := bf.f.Begin(context.Background())
		c.Key().Int(int64(i))
		if _, ok := memoimpl.Lookup[[]byte](c, false); ok {
			t.Fatal("a hit in an empty store")
		}
		if got, _ := memoimpl.Run(c, func() ([]byte, error) { return make([]byte, 5000), nil }); len(got) != 5000 {
			t.Fatalf("Run returned %d bytes; want 5000", len(got))
		}
	}
	if st := bf.f.Stats(); st.Oversize != 2 || st.Unstorable != 0 {
		t.Errorf("Stats = %+v; want 2 oversize, none unstorable", st)
	}
	if st.sets != 0 {
		t.Errorf("the store got %d entries; want none", st.sets)
	}
}
