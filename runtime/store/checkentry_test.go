package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/memogen/memogen/runtime/store"
)

// CheckEntry serves an entry only under the key it answers, with the codec
// it was written with, and intact.
func TestCheckEntry(t *testing.T) {
	t.Parallel()
	key := store.Key{Func: store.FuncID{Package: "example.com/p", Name: "F"}, Digest: digestA, Codec: "json"}
	good := store.EncodeEntry(store.Entry{Codec: "json", Created: time.Unix(1, 0), Expires: time.Unix(0, 5_000_000_123), Digest: digestA, Payload: []byte("42")})
	payload, expires, err := store.CheckEntry(good, key)
	if err != nil || string(payload) != "42" || expires.UnixNano() != 5_000_000_123 {
		t.Errorf("CheckEntry(good) = %q, %v, %v; want \"42\", 5.000000123s after the epoch, nil", payload, expires, err)
	}
	never := store.EncodeEntry(store.Entry{Codec: "json", Digest: digestA, Payload: []byte("1")})
	if _, expires, err := store.CheckEntry(never, key); err != nil || !expires.IsZero() {
		t.Errorf("CheckEntry(no expiry) = %v, %v; want the zero time, nil", expires, err)
	}
	if _, _, err := store.CheckEntry([]byte("memo1 json 5000000000 0 4c2bd1bd3c7b5e1d \"\"\n1"), key); !errors.Is(err, store.ErrOldEntry) {
		t.Errorf("CheckEntry(memo1 entry) = %v; want store.ErrOldEntry", err)
	}
	otherKey := key
	otherKey.Digest = digestB
	otherCodec := key
	otherCodec.Codec = "gob"
	for _, tc := range []struct {
		name string
		data []byte
		key  store.Key
		want string
	}{
		{"another digest", good, otherKey, "entry answers key " + digestA + ", read under " + digestB},
		{"another codec", good, otherCodec, `codec "json", want "gob"`},
		{"tampered payload", append(good[:len(good)-2:len(good)-2], "43"...), key, "checksum mismatch"},
		{"no metadata line", []byte("42"), key, "no metadata line"},
	} {
		_, _, err := store.CheckEntry(tc.data, tc.key)
		if !errors.Is(err, store.ErrCorrupt) || errors.Is(err, store.ErrOldEntry) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: CheckEntry = %v; want store.ErrCorrupt saying %q", tc.name, err, tc.want)
		}
	}
}

// A good entry is checked without allocating: the runtime checks every
// entry it reads.
func TestCheckEntryAllocatesNothing(t *testing.T) {
	key := store.Key{Digest: digestA, Codec: "msgpack"}
	data := store.EncodeEntry(store.Entry{Codec: "msgpack", Expires: time.Unix(100, 0), Digest: digestA, Summary: "id=1", Payload: []byte("payload")})
	allocs := testing.AllocsPerRun(100, func() {
		if _, _, err := store.CheckEntry(data, key); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("CheckEntry of a good entry: %v allocations; want 0", allocs)
	}
}
