package store_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/memogen/memogen/runtime/store"
)

// Keys of the sealing tests, 32 bytes each.
var (
	keyA = bytes.Repeat([]byte{'a'}, store.SealKeySize)
	keyB = bytes.Repeat([]byte{'b'}, store.SealKeySize)
)

func newSealer(t testing.TB, keys store.SealKeys) *store.Sealer {
	t.Helper()
	s, err := store.NewSealer(keys)
	if err != nil {
		t.Fatalf("NewSealer = %v; want nil", err)
	}
	return s
}

func plainEntry() []byte {
	return store.EncodeEntry(store.Entry{
		Codec: "json", Digest: digestA, Created: time.Unix(1, 2), Expires: time.Unix(1e9, 0),
		Summary: `id=42 name="secret"`, Payload: []byte(`{"v":"result"}`),
	})
}

func TestSealOpen(t *testing.T) {
	for _, tt := range []struct {
		name   string
		keys   store.SealKeys
		prefix string
	}{
		{"Sign", store.SealKeys{Sign: keyA}, "hmac-sha256:"},
		{"Encrypt", store.SealKeys{Encrypt: keyA}, "aes256gcm:"},
		{"EncryptWins", store.SealKeys{Sign: keyB, Encrypt: keyA}, "aes256gcm:"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newSealer(t, tt.keys)
			plain := plainEntry()
			sealed, err := s.Seal(plain)
			if err != nil {
				t.Fatalf("Seal = %v; want nil", err)
			}
			if !bytes.Contains(sealed, []byte(" "+tt.prefix)) {
				t.Errorf("Seal = %q; want a %s seal", sealed, tt.prefix)
			}
			// Backends and listings still read the metadata line.
			h, err := store.DecodeEntryHeader(sealed)
			if err != nil || h.Digest != digestA || !h.Expires.Equal(time.Unix(1e9, 0)) {
				t.Errorf("DecodeEntryHeader(sealed) = %+v, %v; want digest %s and the expiry", h, err, digestA)
			}
			// A store without the key does not serve it.
			if _, err := store.DecodeEntry(sealed); !errors.Is(err, store.ErrCorrupt) {
				t.Errorf("DecodeEntry(sealed) = %v; want ErrCorrupt", err)
			}
			got, err := s.Open(sealed)
			if err != nil || !bytes.Equal(got, plain) {
				t.Fatalf("Open(Seal(e)) = %q, %v; want %q", got, err, plain)
			}
			if _, err := s.Seal(sealed); err == nil {
				t.Errorf("Seal(sealed) = nil; want an error: sealing twice")
			}
		})
	}
}

func TestEncryptedEntryHidesArguments(t *testing.T) {
	sealed, err := newSealer(t, store.SealKeys{Encrypt: keyA}).Seal(plainEntry())
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"secret", "result"} {
		if bytes.Contains(sealed, []byte(secret)) {
			t.Errorf("encrypted entry %q holds %q in clear", sealed, secret)
		}
	}
	if h, _ := store.DecodeEntryHeader(sealed); h.Summary != "" {
		t.Errorf("encrypted entry's summary = %q; want empty", h.Summary)
	}
	a, _ := newSealer(t, store.SealKeys{Encrypt: keyA}).Seal(plainEntry())
	if bytes.Equal(a, sealed) {
		t.Errorf("two encryptions of one entry are equal; want a fresh nonce each")
	}
}

func TestOpenRefuses(t *testing.T) {
	signA := newSealer(t, store.SealKeys{Sign: keyA})
	encA := newSealer(t, store.SealKeys{Encrypt: keyA})
	seal := func(s *store.Sealer) []byte {
		b, err := s.Seal(plainEntry())
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	signed, encrypted := seal(signA), seal(encA)
	for _, tt := range []struct {
		name   string
		reader *store.Sealer
		data   []byte
	}{
		{"Unsealed", signA, plainEntry()},
		{"UnsealedEncrypt", encA, plainEntry()},
		{"SignedByAnotherKey", newSealer(t, store.SealKeys{Sign: keyB}), signed},
		{"EncryptedByAnotherKey", newSealer(t, store.SealKeys{Encrypt: keyB}), encrypted},
		{"SignedNoSignKey", encA, signed},
		{"EncryptedNoEncryptKey", signA, encrypted},
		{"SignedOtherExpiry", signA, bytes.Replace(signed, []byte(" 1000000000000000000 "), []byte(" 2000000000000000000 "), 1)},
		{"SignedOtherDigest", signA, bytes.Replace(signed, []byte(digestA), []byte(digestB), 1)},
		{"SignedOtherSummary", signA, bytes.Replace(signed, []byte("secret"), []byte("public"), 1)},
		{"SignedOtherPayload", signA, bytes.Replace(signed, []byte("result"), []byte("forged"), 1)},
		{"SignedUppercaseMAC", signA, upperSeal(signed)},
		{"EncryptedOtherDigest", encA, bytes.Replace(encrypted, []byte(digestA), []byte(digestB), 1)},
		{"EncryptedOtherExpiry", encA, bytes.Replace(encrypted, []byte(" 1000000000000000000 "), []byte(" 2000000000000000000 "), 1)},
		{"EncryptedTruncated", encA, encrypted[:len(encrypted)-1]},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := tt.reader.Open(tt.data); !errors.Is(err, store.ErrCorrupt) {
				t.Errorf("Open(%q) = %q, %v; want ErrCorrupt", tt.data, got, err)
			}
		})
	}
}

// upperSeal returns data with its seal's hex digits in upper case.
func upperSeal(data []byte) []byte {
	i := bytes.Index(data, []byte("hmac-sha256:")) + len("hmac-sha256:")
	out := bytes.Clone(data)
	copy(out[i:], bytes.ToUpper(out[i:i+64]))
	return out
}

func TestSealRotation(t *testing.T) {
	for _, tt := range []struct {
		name     string
		old, new store.SealKeys
	}{
		{"Sign", store.SealKeys{Sign: keyA}, store.SealKeys{Sign: keyB, SignPrev: keyA}},
		{"Encrypt", store.SealKeys{Encrypt: keyA}, store.SealKeys{Encrypt: keyB, EncryptPrev: keyA}},
		{"SignToEncrypt", store.SealKeys{Sign: keyA}, store.SealKeys{Sign: keyA, Encrypt: keyB}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			old, err := newSealer(t, tt.old).Seal(plainEntry())
			if err != nil {
				t.Fatal(err)
			}
			rotated := newSealer(t, tt.new)
			if got, err := rotated.Open(old); err != nil || !bytes.Equal(got, plainEntry()) {
				t.Errorf("Open(entry sealed with the previous key) = %q, %v; want the entry", got, err)
			}
			fresh, err := rotated.Seal(plainEntry())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := newSealer(t, tt.old).Open(fresh); !errors.Is(err, store.ErrCorrupt) {
				t.Errorf("old keys Open(entry sealed with the new key) = %v; want ErrCorrupt", err)
			}
		})
	}
}

func TestNewSealerErrors(t *testing.T) {
	for _, tt := range []struct {
		keys store.SealKeys
		want string
	}{
		{store.SealKeys{}, "needs a signing or an encryption key"},
		{store.SealKeys{SignPrev: keyA}, "previous sealing key without a current one"},
		{store.SealKeys{Sign: keyA, EncryptPrev: keyA}, "previous encryption key without a current one"},
		{store.SealKeys{Sign: keyA[:16]}, "signing key of 16 bytes, want 32"},
		{store.SealKeys{Encrypt: keyA[:31]}, "encryption key of 31 bytes, want 32"},
	} {
		if _, err := store.NewSealer(tt.keys); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("NewSealer(%+v) = %v; want an error saying %q", tt.keys, err, tt.want)
		}
	}
}

func TestParseSealKey(t *testing.T) {
	for _, s := range []string{
		strings.Repeat("61", 32),                       // hex
		"YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWE=", // base64
		"YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWE",  // unpadded
	} {
		if k, err := store.ParseSealKey(s); err != nil || !bytes.Equal(k, keyA) {
			t.Errorf("ParseSealKey(%q) = %q, %v; want %q", s, k, err, keyA)
		}
	}
	for _, s := range []string{"", "short", strings.Repeat("zz", 32), "YWFh"} {
		k, err := store.ParseSealKey(s)
		if err == nil {
			t.Errorf("ParseSealKey(%q) = %q; want an error", s, k)
		} else if s != "" && strings.Contains(err.Error(), s) {
			t.Errorf("ParseSealKey error %q quotes the key", err)
		}
	}
}

// FuzzOpenEntry checks that Open refuses every entry that no key sealed,
// every alteration of a sealed one included, without panicking, and that
// what it accepts is a valid entry.
func FuzzOpenEntry(f *testing.F) {
	signA := newSealer(f, store.SealKeys{Sign: keyA, Encrypt: keyB})
	encB := newSealer(f, store.SealKeys{Encrypt: keyB})
	for _, s := range []*store.Sealer{newSealer(f, store.SealKeys{Sign: keyA}), encB} {
		sealed, err := s.Seal(plainEntry())
		if err != nil {
			f.Fatal(err)
		}
		f.Add(sealed, uint(0), byte(0))
		f.Add(sealed, uint(60), byte(1))
	}
	f.Add(plainEntry(), uint(0), byte(0))
	f.Add([]byte("memo2 json 0 0 0123456789abcdef0123456789abcdef aes256gcm:00 \"\"\n"), uint(0), byte(0))
	f.Fuzz(func(t *testing.T, data []byte, pos uint, flip byte) {
		original := bytes.Clone(data)
		if len(data) > 0 {
			data[pos%uint(len(data))] ^= flip
		}
		got, err := signA.Open(data)
		if err != nil {
			if !errors.Is(err, store.ErrCorrupt) {
				t.Fatalf("Open error %v is not ErrCorrupt", err)
			}
			return
		}
		if _, err := store.DecodeEntry(got); err != nil {
			t.Fatalf("Open(%q) = %q, which does not decode: %v", data, got, err)
		}
		if !bytes.Equal(data, original) {
			if _, err := signA.Open(original); err == nil {
				t.Fatalf("Open accepted both %q and its alteration %q", original, data)
			}
		}
	})
}
