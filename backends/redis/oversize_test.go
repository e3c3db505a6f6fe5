package redis_test

import (
	"bytes"
	"context"
	"runtime"
	"testing"

	memo "github.com/memogen/memogen/runtime"
)

// A value over Config.MaxEntryBytes under an entry's key, which another
// client of the server put there, is read no further than one byte past
// the limit: the runtime takes it for a corrupt entry, deletes it and
// recomputes, without allocating anything near the value's size.
func TestOversizedEntry(t *testing.T) {
	const limit = 4096
	configure(t, memo.Config{MaxEntryBytes: limit})
	s, prefix := openStore(t)
	raw := rawClient(t)
	ctx := context.Background()
	w := newWrapper(t, s)

	w.mustCall(t, 8)
	keys, err := raw.Keys(ctx, prefix+":*").Result()
	if err != nil || len(keys) != 1 {
		t.Fatalf("keys under %s = %q, %v; want the one entry stored", prefix, keys, err)
	}
	name := keys[0]
	for _, size := range []int{limit + 1, 8 << 20} {
		if err := raw.Set(ctx, name, bytes.Repeat([]byte{'x'}, size), 0).Err(); err != nil {
			t.Fatal(err)
		}
		corrupt := w.f.Stats().Corrupt
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		w.mustCall(t, 8)
		runtime.ReadMemStats(&after)
		if alloc := after.TotalAlloc - before.TotalAlloc; size > 1<<20 && alloc > uint64(size)/8 {
			t.Errorf("reading a %d-byte value allocated %d bytes; want well below its size", size, alloc)
		}
		if st := w.f.Stats(); st.Corrupt != corrupt+1 || st.Failures != 0 {
			t.Errorf("after a %d-byte value: Stats = %+v; want one more corrupt entry (%d), no failure", size, st, corrupt+1)
		}
		if n, err := raw.StrLen(ctx, name).Result(); err != nil || n == 0 || n > limit {
			t.Errorf("STRLEN %s after the recomputation = %d, %v; want a fresh entry within the limit", name, n, err)
		}
	}
	w.wantExecs(t, 3)
	w.mustCall(t, 8)
	w.wantExecs(t, 3) // served from the fresh entry
}

// A key of another type where an entry belongs (a list, say) is a corrupt
// entry, deleted and recomputed: not an outage, which would cool the
// backend down for every function.
func TestWrongTypeIsCorrupt(t *testing.T) {
	s, prefix := openStore(t)
	raw := rawClient(t)
	ctx := context.Background()
	w := newWrapper(t, s)

	w.mustCall(t, 8)
	keys, err := raw.Keys(ctx, prefix+":*").Result()
	if err != nil || len(keys) != 1 {
		t.Fatalf("keys under %s = %q, %v; want the one entry stored", prefix, keys, err)
	}
	if err := raw.Del(ctx, keys[0]).Err(); err != nil {
		t.Fatal(err)
	}
	if err := raw.RPush(ctx, keys[0], "x").Err(); err != nil {
		t.Fatal(err)
	}
	w.mustCall(t, 8)
	if st := w.f.Stats(); st.Corrupt != 1 || st.Failures != 0 {
		t.Errorf("after a list at the entry's key: Stats = %+v; want one corrupt entry, no failure", st)
	}
	w.mustCall(t, 8)
	w.wantExecs(t, 2) // the fresh entry serves the third call
}
