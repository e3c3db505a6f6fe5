package store

import (
	"bytes"
	"testing"
	"time"
)

// checkGoodEntry accepts exactly what the field-by-field check accepts,
// with the same payload and expiry.
func FuzzCheckEntry(f *testing.F) {
	const digest = "0123456789abcdef0123456789abcdef"
	good := EncodeEntry(Entry{Codec: "msgpack", Created: time.Unix(1, 2), Expires: time.Unix(3, 4), Digest: digest, Summary: "q=\"a b\"\n", Payload: []byte("\x92\x01\xa1x")})
	f.Add(good, "msgpack", digest)
	f.Add(EncodeEntry(Entry{Codec: "json", Digest: digest, Payload: []byte("1\n2")}), "json", digest)
	f.Add(bytes.Replace(good, []byte(" 1000000002 "), []byte(" 1\n2 "), 1), "msgpack", digest)
	f.Add(bytes.Replace(good, []byte(digest), []byte("0123456789ABCDEF0123456789abcdef"), 1), "msgpack", "0123456789ABCDEF0123456789abcdef")
	f.Add([]byte("memo2 a b 1 2 "+digest+" 0000000000000000 \"\"\nx"), "a b", digest)
	f.Fuzz(func(t *testing.T, data []byte, codec, digest string) {
		key := Key{Codec: codec, Digest: digest}
		fast, fastExpires, ok := checkGoodEntry(data, key)
		slow, slowExpires, err := checkEntryFields(data, key)
		if ok != (err == nil) {
			t.Fatalf("checkGoodEntry ok = %v, field-by-field err = %v", ok, err)
		}
		if ok && (!bytes.Equal(fast, slow) || !fastExpires.Equal(slowExpires)) {
			t.Fatalf("checkGoodEntry = %q, %v; field by field %q, %v", fast, fastExpires, slow, slowExpires)
		}
	})
}
