package store

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
)

// Sealed entries. Anyone who can write a shared store (a Redis prefix, an
// S3 bucket) could otherwise plant a result that every process serves. A
// [Sealer] signs every entry it writes with HMAC-SHA-256, or encrypts it
// with AES-256-GCM, whose tag authenticates it as well, and refuses on read
// every entry that no key of its own sealed: unsigned, signed with another
// key, or altered.
//
// A sealed entry keeps the metadata line of [Entry], so that backends still
// read its expiry and list it, with the checksum field replaced by the seal:
//
//	memo2 <codec> <created> <expires> <key> hmac-sha256:<mac> <summary>
//	memo2 <codec> <created> <expires> <key> aes256gcm:<nonce> ""
//
// mac is the HMAC-SHA-256, in hex, of the line's first five fields, the
// quoted summary and the payload, each pair separated by a newline (which
// none of them but the payload holds). An encrypted entry's payload is the
// AES-256-GCM sealing, under a random 96-bit nonce, of the quoted summary,
// a newline and the encoded result, with the whole metadata line as
// associated data: the summary, which names arguments, is encrypted too,
// and an entry moved to another key, or given another expiry, fails to
// open. The payload is what the codec produced, compressed if the codec
// spec says so: sealing comes last. Each configured key K is used through
// a key derived for one purpose, HMAC-SHA-256(K, "memogen entry sign") or
// HMAC-SHA-256(K, "memogen entry encrypt"), so one K may serve for both.

// Seal field prefixes.
const (
	hmacSeal = "hmac-sha256:"
	gcmSeal  = "aes256gcm:"
)

// SealKeySize is the size of every sealing key: 32 bytes.
const SealKeySize = 32

// SealKeys are the keys of a [Sealer]. Each is [SealKeySize] bytes, or nil.
type SealKeys struct {
	// Sign signs the entries written, unless Encrypt is set, and verifies
	// those read.
	Sign []byte
	// SignPrev, the key Sign replaced, still verifies entries read, so
	// that keys rotate without emptying the cache.
	SignPrev []byte
	// Encrypt encrypts (and so authenticates) the entries written, and
	// opens those read. With Sign set as well, entries signed with Sign or
	// SignPrev are still read: a store moves from signing to encryption
	// without emptying.
	Encrypt []byte
	// EncryptPrev, the key Encrypt replaced, still opens entries read.
	EncryptPrev []byte
}

// A Sealer seals entries on their way to a backend and opens them on their
// way back. It is safe for concurrent use.
type Sealer struct {
	sign [][]byte      // signing keys, the current one first
	aead []cipher.AEAD // encryption keys, the current one first
}

// NewSealer returns a Sealer of keys, which must hold Sign or Encrypt.
func NewSealer(keys SealKeys) (*Sealer, error) {
	if keys.Sign == nil && keys.Encrypt == nil {
		if keys.SignPrev != nil || keys.EncryptPrev != nil {
			return nil, errors.New("memo: a previous sealing key without a current one")
		}
		return nil, errors.New("memo: sealing needs a signing or an encryption key")
	}
	s := new(Sealer)
	for _, k := range []struct {
		name      string
		key, prev []byte
		encrypt   bool
	}{{"signing", keys.Sign, keys.SignPrev, false}, {"encryption", keys.Encrypt, keys.EncryptPrev, true}} {
		if k.key == nil && k.prev != nil {
			return nil, fmt.Errorf("memo: a previous %s key without a current one", k.name)
		}
		for _, key := range [][]byte{k.key, k.prev} {
			if key == nil {
				continue
			}
			if len(key) != SealKeySize {
				return nil, fmt.Errorf("memo: %s key of %d bytes, want %d", k.name, len(key), SealKeySize)
			}
			if !k.encrypt {
				s.sign = append(s.sign, subkey(key, "sign"))
				continue
			}
			block, err := aes.NewCipher(subkey(key, "encrypt"))
			if err != nil {
				return nil, fmt.Errorf("memo: %s key: %w", k.name, err)
			}
			aead, err := cipher.NewGCM(block)
			if err != nil {
				return nil, fmt.Errorf("memo: %s key: %w", k.name, err)
			}
			s.aead = append(s.aead, aead)
		}
	}
	return s, nil
}

// subkey derives the key of one use from a configured key, so that one
// key may serve to sign and to encrypt without HMAC and AES ever sharing a
// key.
func subkey(key []byte, use string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("memogen entry " + use))
	return m.Sum(nil)
}

// ParseSealKey decodes a sealing key as it is kept in an environment
// variable: 64 hex digits, or the standard or URL-safe base64, padded or
// not, of 32 bytes, such as `openssl rand -hex 32` prints. Errors never
// quote the key.
func ParseSealKey(s string) ([]byte, error) {
	if len(s) == 2*SealKeySize {
		if k, err := hex.DecodeString(s); err == nil {
			return k, nil
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(s); err == nil && len(k) == SealKeySize {
			return k, nil
		}
	}
	return nil, fmt.Errorf("a key of %d characters, want %d bytes as 64 hex digits or in base64 (openssl rand -hex 32)", len(s), SealKeySize)
}

// Seal returns the sealed form of entry, a stored entry as [EncodeEntry]
// returns it, after checking its checksum. An entry that is sealed already
// is an error: a store sealed twice, by a wrapper and by its back, could
// not read its entries.
func (s *Sealer) Seal(entry []byte) ([]byte, error) {
	l, err := splitEntry(entry, true)
	if err != nil {
		return nil, err
	}
	if isSeal(l.sum) {
		return nil, fmt.Errorf("memo: sealing an entry sealed already: is a backend and the one it wraps both given sign= or encrypt=?")
	}
	if err := l.verify(); err != nil {
		return nil, err
	}
	if len(s.aead) > 0 {
		aead := s.aead[0]
		nonce := make([]byte, aead.NonceSize())
		if _, err := rand.Read(nonce); err != nil {
			return nil, fmt.Errorf("memo: sealing an entry: %w", err)
		}
		line := fmt.Appendf(nil, "%s %s%x %q", l.head, gcmSeal, nonce, "")
		plain := make([]byte, 0, len(l.summary)+1+len(l.payload))
		plain = append(append(append(plain, l.summary...), '\n'), l.payload...)
		out := make([]byte, 0, len(line)+1+len(plain)+aead.Overhead())
		out = append(append(out, line...), '\n')
		return aead.Seal(out, nonce, plain, line), nil
	}
	mac := entryMAC(s.sign[0], l.head, l.summary, l.payload)
	out := make([]byte, 0, len(l.head)+len(hmacSeal)+len(mac)*2+len(l.summary)+len(l.payload)+3)
	out = fmt.Appendf(out, "%s %s%x %s\n", l.head, hmacSeal, mac, l.summary)
	return append(out, l.payload...), nil
}

// Open returns the entry that data, a sealed entry, holds, as [EncodeEntry]
// wrote it before [Sealer.Seal] sealed it. An entry that no key of s
// sealed, an unsealed one included, or one altered since, is an error
// wrapping [ErrCorrupt].
func (s *Sealer) Open(data []byte) ([]byte, error) {
	l, err := splitEntry(data, true)
	if err != nil {
		return nil, err
	}
	switch {
	case bytes.HasPrefix(l.sum, []byte(hmacSeal)):
		mac, err := decodeLowerHex(l.sum[len(hmacSeal):])
		if err != nil || len(mac) != sha256.Size {
			return nil, fmt.Errorf("%w: malformed signature", ErrCorrupt)
		}
		if len(s.sign) == 0 {
			return nil, fmt.Errorf("%w: a signed entry, and no signing key to verify it", ErrCorrupt)
		}
		for _, key := range s.sign {
			if hmac.Equal(mac, entryMAC(key, l.head, l.summary, l.payload)) {
				return plainEntry(l.head, l.summary, l.payload), nil
			}
		}
		return nil, fmt.Errorf("%w: signature of another key, or an altered entry", ErrCorrupt)
	case bytes.HasPrefix(l.sum, []byte(gcmSeal)):
		nonce, err := decodeLowerHex(l.sum[len(gcmSeal):])
		if len(s.aead) == 0 {
			return nil, fmt.Errorf("%w: an encrypted entry, and no encryption key to open it", ErrCorrupt)
		}
		if err != nil || len(nonce) != s.aead[0].NonceSize() {
			return nil, fmt.Errorf("%w: malformed nonce", ErrCorrupt)
		}
		line := data[:len(data)-len(l.payload)-1]
		for _, aead := range s.aead {
			plain, err := aead.Open(nil, nonce, l.payload, line)
			if err != nil {
				continue
			}
			summary, payload, ok := bytes.Cut(plain, []byte("\n"))
			if _, err := strconv.Unquote(string(summary)); !ok || err != nil {
				return nil, fmt.Errorf("%w: an encrypted entry without a summary", ErrCorrupt)
			}
			return plainEntry(l.head, summary, payload), nil
		}
		return nil, fmt.Errorf("%w: encrypted with another key, or altered", ErrCorrupt)
	}
	return nil, fmt.Errorf("%w: an unsealed entry in a sealed store", ErrCorrupt)
}

// isSeal reports whether the checksum field of a metadata line is a seal.
func isSeal(sum []byte) bool {
	return bytes.HasPrefix(sum, []byte(hmacSeal)) || bytes.HasPrefix(sum, []byte(gcmSeal))
}

// entryMAC returns the signature of an entry's fields.
func entryMAC(key, head, summary, payload []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(head)
	m.Write([]byte{'\n'})
	m.Write(summary)
	m.Write([]byte{'\n'})
	m.Write(payload)
	return m.Sum(nil)
}

// plainEntry returns the unsealed entry of the given fields, with its
// checksum, as EncodeEntry writes it.
func plainEntry(head, summary, payload []byte) []byte {
	out := make([]byte, 0, len(head)+len(summary)+len(payload)+19)
	out = append(out, head...)
	out = fmt.Appendf(out, " %016x ", checksum(head, payload))
	out = append(out, summary...)
	out = append(out, '\n')
	return append(out, payload...)
}

// decodeLowerHex decodes the lowercase hex digits of a seal, which Seal
// writes, so that a sealed entry has one spelling only.
func decodeLowerHex(b []byte) ([]byte, error) {
	for _, c := range b {
		if 'A' <= c && c <= 'F' {
			return nil, errors.New("uppercase hex digit")
		}
	}
	return hex.DecodeString(string(b))
}
