package store_test

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/memogen/memogen/runtime/store"
)

// digestA and digestB are the digests of two keys.
const (
	digestA = "0123456789abcdef0123456789abcdef"
	digestB = "fedcba9876543210fedcba9876543210"
)

func TestEntryRoundTrip(t *testing.T) {
	in := store.Entry{
		Codec:   "msgpack+zstd",
		Created: time.Unix(1_700_000_000, 123),
		Expires: time.Unix(1_700_000_600, 0),
		Digest:  digestA,
		Summary: `id=42 name="a b"`,
		Payload: []byte("\x00payload\nwith newline"),
	}
	data := store.EncodeEntry(in)
	line, _, _ := bytes.Cut(data, []byte("\n"))
	if want := `memo2 msgpack+zstd 1700000000000000123 1700000600000000000 ` + digestA + ` `; !strings.HasPrefix(string(line), want) {
		t.Errorf("metadata line = %q; want it to start with %q", line, want)
	}
	if want := ` "id=42 name=\"a b\""`; !strings.HasSuffix(string(line), want) {
		t.Errorf("metadata line = %q; want it to end with %q", line, want)
	}
	out, err := store.DecodeEntry(data)
	if err != nil {
		t.Fatalf("DecodeEntry = %v; want nil", err)
	}
	if out.Codec != in.Codec || !out.Created.Equal(in.Created) || !out.Expires.Equal(in.Expires) ||
		out.Digest != in.Digest || out.Summary != in.Summary || !bytes.Equal(out.Payload, in.Payload) {
		t.Errorf("DecodeEntry(EncodeEntry(%+v)) = %+v", in, out)
	}
}

func TestEntryNeverExpires(t *testing.T) {
	out, err := store.DecodeEntry(store.EncodeEntry(store.Entry{Codec: "json", Digest: digestA, Created: time.Unix(1, 0), Payload: []byte("1")}))
	if err != nil {
		t.Fatal(err)
	}
	if !out.Expires.IsZero() || out.Expired(time.Now().Add(1000*time.Hour)) {
		t.Errorf("an entry without expiry decoded as expiring at %v", out.Expires)
	}
}

func TestEntrySummaryIsBounded(t *testing.T) {
	data := store.EncodeEntry(store.Entry{Codec: "json", Digest: digestA, Summary: strings.Repeat("x", 10_000), Payload: []byte("1")})
	if len(data) > 400 {
		t.Errorf("entry with a 10000-byte summary is %d bytes; want the summary abbreviated", len(data))
	}
	if _, err := store.DecodeEntry(data); err != nil {
		t.Errorf("DecodeEntry = %v; want nil", err)
	}
}

func TestDecodeEntryRejectsDamage(t *testing.T) {
	good := store.EncodeEntry(store.Entry{Codec: "json", Digest: digestA, Created: time.Unix(5, 0), Payload: []byte(`{"a":1}`)})
	flip := bytes.Clone(good)
	flip[len(flip)-2] ^= 1
	tests := map[string][]byte{
		"empty":            nil,
		"garbage":          []byte("not an entry at all"),
		"truncated":        good[:len(good)-3],
		"metadata only":    good[:bytes.IndexByte(good, '\n')],
		"payload bit flip": flip,
		"unknown version":  append([]byte("memo9"), good[len("memo2"):]...),
		"bad number":       bytes.Replace(good, []byte(" 5000000000 "), []byte(" 5x00000000 "), 1),
		"another key":      bytes.Replace(good, []byte(digestA), []byte(digestB), 1),
		"short key":        bytes.Replace(good, []byte(digestA), []byte(digestA[:31]), 1),
		"upper-case key":   bytes.Replace(good, []byte(digestA), []byte(strings.ToUpper(digestA)), 1),
		"no key":           bytes.Replace(good, []byte(digestA+" "), nil, 1),
		"previous format":  []byte("memo1 json 5000000000 0 4c2bd1bd3c7b5e1d \"\"\n{\"a\":1}"),
	}
	for name, data := range tests {
		if _, err := store.DecodeEntry(data); !errors.Is(err, store.ErrCorrupt) {
			t.Errorf("%s: DecodeEntry = %v; want store.ErrCorrupt", name, err)
		}
	}
}

func TestOldEntriesAreTheirOwnError(t *testing.T) {
	old := []byte("memo1 json 5000000000 0 4c2bd1bd3c7b5e1d \"id=1\"\n1")
	for name, decode := range map[string]func([]byte) error{
		"DecodeEntry":       func(b []byte) error { _, err := store.DecodeEntry(b); return err },
		"DecodeEntryHeader": func(b []byte) error { _, err := store.DecodeEntryHeader(b); return err },
		"EntryExpires":      func(b []byte) error { _, err := store.EntryExpires(b); return err },
	} {
		if err := decode(old); !errors.Is(err, store.ErrOldEntry) || !errors.Is(err, store.ErrCorrupt) {
			t.Errorf("%s(memo1 entry) = %v; want store.ErrOldEntry, which is store.ErrCorrupt", name, err)
		}
	}
}

func TestEntryAnswers(t *testing.T) {
	data := store.EncodeEntry(store.Entry{Codec: "json", Digest: digestA, Payload: []byte("1")})
	if !store.EntryAnswers(data, store.Key{Digest: digestA}) {
		t.Errorf("EntryAnswers(entry of A, A) = false; want true")
	}
	if store.EntryAnswers(data, store.Key{Digest: digestB}) {
		t.Errorf("EntryAnswers(entry of A, B) = true; want false")
	}
	if store.EntryAnswers([]byte("garbage"), store.Key{Digest: digestA}) {
		t.Errorf("EntryAnswers(garbage, A) = true; want false")
	}
}

func FuzzDecodeEntry(f *testing.F) {
	f.Add(store.EncodeEntry(store.Entry{Codec: "json", Digest: digestA, Created: time.Unix(1, 2), Summary: "a=1", Payload: []byte("[1]")}))
	f.Add([]byte("memo2 json 0 0 0123456789abcdef0123456789abcdef 0000000000000000 \"\"\n"))
	f.Add([]byte("memo2 json 1 2 0123456789abcdef0123456789abcdef zz \"unterminated\n"))
	f.Add([]byte("memo1 json 0 0 0000000000000000 \"\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if h, err := store.DecodeEntryHeader(data); err == nil {
			if exp, err := store.EntryExpires(data); err != nil || !exp.Equal(h.Expires) {
				t.Fatalf("EntryExpires = %v, %v; DecodeEntryHeader says %v", exp, err, h.Expires)
			}
		}
		e, err := store.DecodeEntry(data)
		if err != nil {
			if !errors.Is(err, store.ErrCorrupt) {
				t.Fatalf("DecodeEntry error %v is not ErrCorrupt", err)
			}
			return
		}
		again, err := store.DecodeEntry(store.EncodeEntry(e))
		if err != nil {
			t.Fatalf("re-encoded entry does not decode: %v", err)
		}
		summaryKept := len(e.Summary) > 256 || again.Summary == e.Summary // long summaries are abbreviated
		if again.Codec != e.Codec || again.Digest != e.Digest || !bytes.Equal(again.Payload, e.Payload) || !summaryKept {
			t.Fatalf("round trip changed the entry: %+v → %+v", e, again)
		}
	})
}

func TestDecodeEntryHeader(t *testing.T) {
	data := store.EncodeEntry(store.Entry{Codec: "json", Digest: digestA, Created: time.Unix(7, 0), Expires: time.Unix(9, 0), Summary: "k=1", Payload: []byte("[1,2,3]")})
	nl := bytes.IndexByte(data, '\n')
	for name, prefix := range map[string][]byte{"whole entry": data, "line only": data[:nl], "line and part of the payload": data[:nl+3]} {
		e, err := store.DecodeEntryHeader(prefix)
		if err != nil {
			t.Fatalf("%s: DecodeEntryHeader = %v; want nil", name, err)
		}
		if e.Codec != "json" || !e.Created.Equal(time.Unix(7, 0)) || !e.Expires.Equal(time.Unix(9, 0)) || e.Digest != digestA || e.Summary != "k=1" || e.Payload != nil {
			t.Errorf("%s: DecodeEntryHeader = %+v", name, e)
		}
	}
	if _, err := store.DecodeEntryHeader([]byte("nonsense")); !errors.Is(err, store.ErrCorrupt) {
		t.Errorf("DecodeEntryHeader(nonsense) = %v; want store.ErrCorrupt", err)
	}
}

func TestEntryExtremeTimes(t *testing.T) {
	for _, ns := range []int64{math.MinInt64, -1, 1, math.MaxInt64} {
		e := store.Entry{Codec: "json", Digest: digestA, Created: time.Unix(0, ns), Expires: time.Unix(0, ns), Payload: []byte("1")}
		got, err := store.DecodeEntry(store.EncodeEntry(e))
		if err != nil || !got.Created.Equal(e.Created) || !got.Expires.Equal(e.Expires) {
			t.Errorf("round trip of times at %d ns = %+v, %v", ns, got, err)
		}
	}
}
