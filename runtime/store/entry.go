package store

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/memogen/memogen/runtime/internal/xxh3pair"
)

// ErrCorrupt reports stored bytes that are not a valid entry: torn,
// truncated, tampered with, of an unknown format version, or answering
// another key than the one they were read under.
var ErrCorrupt = errors.New("memo: corrupt entry")

// ErrFull is what a bounded backend's Set wraps when it refuses an entry
// because the store is at its bounds (or the entry alone exceeds them):
// a refusal of that entry, not an outage, so the runtime counts the call's
// failure and goes on using the backend, where another failure starts its
// cooldown.
var ErrFull = errors.New("store full")

// ErrOldEntry reports an entry written in a previous format version, which
// did not name its key. It wraps [ErrCorrupt]; the runtime treats such an
// entry as a plain miss, and the fresh result replaces it.
var ErrOldEntry = fmt.Errorf("%w: previous format", ErrCorrupt)

// entryMagic starts every entry and carries the format version;
// oldEntryMagic is the previous version's.
const (
	entryMagic    = "memo2"
	oldEntryMagic = "memo1"
)

// maxSummary bounds the readable summary of the arguments an entry carries.
const maxSummary = 256

// An Entry is what byte-level backends store: one text line of metadata,
// then the encoded result. The line makes a stored file readable with cat:
//
//	memo2 <codec> <created> <expires> <key> <checksum> <summary>
//
// created and expires are Unix nanoseconds (expires 0 for never); key is
// the [Key.Digest] of the key the entry answers, the 128-bit hash of the
// function's identity, fingerprint, version, type arguments and keyed
// arguments; checksum is the XXH3-64 of the line's first five fields and
// the payload, in hex; summary is a Go-quoted, abbreviated rendering of the
// keyed arguments, for people. Because the checksum covers the key, an
// entry moved, copied or swapped to another key (another argument, another
// function) is detected on read and treated as a miss, as is an entry of
// the previous format, memo1, which did not name its key.
type Entry struct {
	Codec   string    // codec spec, e.g. "msgpack+zstd"
	Created time.Time // when the result was computed
	Expires time.Time // zero for never
	// Digest is the Key.Digest of the key the entry answers: 32 lowercase
	// hex digits. An entry with anything else fails to decode.
	Digest  string
	Summary string // the keyed arguments, for people
	Payload []byte // the encoded result
}

// Expired reports whether e has expired at now.
func (e *Entry) Expired(now time.Time) bool {
	return !e.Expires.IsZero() && !now.Before(e.Expires)
}

// EncodeEntry returns e in its stored form.
func EncodeEntry(e Entry) []byte {
	var expires int64
	if !e.Expires.IsZero() {
		expires = e.Expires.UnixNano()
	}
	summary := e.Summary
	if len(summary) > maxSummary {
		summary = summary[:maxSummary] + "…"
	}
	head := fmt.Appendf(nil, "%s %s %d %d %s", entryMagic, e.Codec, e.Created.UnixNano(), expires, e.Digest)
	sum := checksum(head, e.Payload)
	out := make([]byte, 0, len(head)+len(summary)+len(e.Payload)+32)
	out = append(out, head...)
	out = fmt.Appendf(out, " %016x ", sum)
	out = strconv.AppendQuote(out, summary)
	out = append(out, '\n')
	return append(out, e.Payload...)
}

// DecodeEntry parses a stored entry and verifies its checksum. Payload
// aliases data. The caller must still check that the entry's Digest is
// that of the key it read the entry under: an entry answers one key only.
func DecodeEntry(data []byte) (Entry, error) {
	l, err := splitEntry(data, true)
	if err != nil {
		return Entry{}, err
	}
	if err := l.verify(); err != nil {
		return Entry{}, err
	}
	return l.entry()
}

// DecodeEntryHeader parses only an entry's metadata line, found at the start
// of data, without the payload or its checksum: for listings and expiry
// checks that read just the first bytes of an entry.
func DecodeEntryHeader(data []byte) (Entry, error) {
	l, err := splitEntry(data, false)
	if err != nil {
		return Entry{}, err
	}
	l.payload = nil
	return l.entry()
}

// EntryExpires returns the expiry that the stored entry in data carries in
// its metadata line, zero for never, without allocating: for backends that
// enforce expiry on read. It does not verify the checksum.
func EntryExpires(data []byte) (time.Time, error) {
	l, err := splitEntry(data, false)
	if err != nil {
		return time.Time{}, err
	}
	expires, ok := parseDecimal(l.expires)
	if !ok {
		return time.Time{}, fmt.Errorf("%w: expiry %.24q", ErrCorrupt, l.expires)
	}
	return unixNano(expires), nil
}

// EntryAnswers reports whether the metadata line of the stored entry in
// data names key, without allocating or verifying the checksum: for
// backends that copy entries between tiers and should copy only those that
// answer the key they were read under. The runtime checks every entry it
// serves either way.
func EntryAnswers(data []byte, key Key) bool {
	l, err := splitEntry(data, false)
	return err == nil && string(l.digest) == key.Digest
}

// CheckEntry returns the payload and the expiry (zero for never) of the
// stored entry in data, after checking that it answers key: its codec is
// key.Codec, its checksum holds, and it names key.Digest. It returns
// [ErrOldEntry] for an entry of the previous format, and an error
// wrapping [ErrCorrupt] for anything else amiss. It allocates nothing for
// a good entry, whose payload aliases data: the runtime checks every entry
// it reads this way.
func CheckEntry(data []byte, key Key) (payload []byte, expires time.Time, err error) {
	if payload, expires, ok := checkGoodEntry(data, key); ok {
		return payload, expires, nil
	}
	return checkEntryFields(data, key)
}

// checkEntryFields is CheckEntry splitting the metadata line field by
// field, to say what is wrong with an entry.
func checkEntryFields(data []byte, key Key) (payload []byte, expires time.Time, err error) {
	l, err := splitEntry(data, true)
	if err != nil {
		return nil, time.Time{}, err
	}
	if string(l.codec) != key.Codec {
		return nil, time.Time{}, fmt.Errorf("%w: codec %q, want %q", ErrCorrupt, l.codec, key.Codec)
	}
	if err := l.verify(); err != nil {
		return nil, time.Time{}, err
	}
	if string(l.digest) != key.Digest {
		// Intact, but moved or copied here from another key: another
		// argument's entry, or another function's.
		return nil, time.Time{}, fmt.Errorf("%w: entry answers key %s, read under %s", ErrCorrupt, l.digest, key.Digest)
	}
	n, ok := parseDecimal(l.expires)
	if !ok {
		return nil, time.Time{}, fmt.Errorf("%w: expiry %.24q", ErrCorrupt, l.expires)
	}
	return l.payload, unixNano(n), nil
}

// entryLine is a stored entry split into its fields, which alias the data.
type entryLine struct {
	codec   []byte
	created []byte
	expires []byte
	digest  []byte // the digest of the key the entry answers
	sum     []byte
	summary []byte // still quoted
	head    []byte // the fields the checksum covers: magic to digest
	payload []byte // nil when only the metadata line was asked for
}

// splitEntry splits data into the fields of its metadata line and, with
// whole set, the payload that follows it. Without whole, data may end at
// the line's newline or anywhere after it, or be just the line.
func splitEntry(data []byte, whole bool) (l entryLine, err error) {
	line := data
	if nl := bytes.IndexByte(data, '\n'); nl >= 0 {
		line, l.payload = data[:nl], data[nl+1:]
	} else if whole {
		return l, fmt.Errorf("%w: no metadata line", ErrCorrupt)
	}
	magic, rest, _ := bytes.Cut(line, []byte(" "))
	switch string(magic) {
	case entryMagic:
	case oldEntryMagic:
		if isOldLine(rest) {
			return l, ErrOldEntry
		}
		return l, fmt.Errorf("%w: malformed line of the previous format", ErrCorrupt)
	default:
		return l, fmt.Errorf("%w: unknown format %.16q", ErrCorrupt, magic)
	}
	var fields [5][]byte // codec, created, expires, digest, checksum
	for i := range fields {
		sp := bytes.IndexByte(rest, ' ')
		if sp < 0 {
			return l, fmt.Errorf("%w: metadata has %d fields, want 7", ErrCorrupt, i+2)
		}
		fields[i], rest = rest[:sp], rest[sp+1:]
	}
	if !isDigest(fields[3]) {
		return l, fmt.Errorf("%w: key digest %.40q", ErrCorrupt, fields[3])
	}
	l.codec, l.created, l.expires, l.digest, l.sum, l.summary = fields[0], fields[1], fields[2], fields[3], fields[4], rest
	l.head = line[:len(line)-len(rest)-len(l.sum)-2]
	return l, nil
}

// isOldLine reports whether rest, a metadata line after its magic, has the
// fields of the previous format: codec, created, expires, a checksum of 16
// hex digits and a quoted summary. A file that merely starts with its magic
// is not an entry, and the stores must leave it alone.
func isOldLine(rest []byte) bool {
	var fields [4][]byte // codec, created, expires, checksum
	for i := range fields {
		sp := bytes.IndexByte(rest, ' ')
		if sp < 0 {
			return false
		}
		fields[i], rest = rest[:sp], rest[sp+1:]
	}
	_, createdOK := parseDecimal(fields[1])
	_, expiresOK := parseDecimal(fields[2])
	_, sumOK := parseHex64(fields[3])
	_, err := strconv.Unquote(string(rest))
	return len(fields[0]) > 0 && createdOK && expiresOK && sumOK && err == nil
}

// isDigest reports whether b is 32 lowercase hex digits, as Key.Digest is.
func isDigest(b []byte) bool {
	if len(b) != digestLen {
		return false
	}
	var bad byte
	for _, c := range b {
		bad |= hexValue[c]
	}
	return bad&notHex == 0
}

// hexValue maps a lowercase hex digit to its value and any other byte to
// notHex, so that a loop can check and convert digits without branches.
var hexValue = func() (t [256]byte) {
	for i := range t {
		t[i] = notHex
	}
	for i, c := range "0123456789abcdef" {
		t[c] = byte(i)
	}
	return t
}()

const notHex = 0x80

// verify checks the line's checksum against its payload.
func (l *entryLine) verify() error {
	sum, ok := parseHex64(l.sum)
	if !ok && isSeal(l.sum) {
		return fmt.Errorf("%w: a sealed entry: open the store with the sign= or encrypt= key that sealed it", ErrCorrupt)
	}
	if !ok {
		return fmt.Errorf("%w: checksum %.24q", ErrCorrupt, l.sum)
	}
	if checksum(l.head, l.payload) != sum {
		return fmt.Errorf("%w: checksum mismatch", ErrCorrupt)
	}
	return nil
}

// entry converts the line's fields.
func (l *entryLine) entry() (Entry, error) {
	created, ok1 := parseDecimal(l.created)
	expires, ok2 := parseDecimal(l.expires)
	summary, err := strconv.Unquote(string(l.summary))
	if !ok1 || !ok2 || err != nil {
		return Entry{}, fmt.Errorf("%w: metadata %.64q", ErrCorrupt, l.head)
	}
	return Entry{
		Codec:   string(l.codec),
		Created: time.Unix(0, created),
		Expires: unixNano(expires),
		Digest:  string(l.digest),
		Summary: summary,
		Payload: l.payload,
	}, nil
}

// unixNano is the time of n Unix nanoseconds, zero for 0.
func unixNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

// parseDecimal parses an optionally negative decimal int64 without
// allocating.
func parseDecimal(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	if neg {
		if n > 1<<63 {
			return 0, false
		}
		return int64(-n), true // -n wraps to math.MinInt64 for n = 1<<63
	}
	if n > 1<<63-1 {
		return 0, false
	}
	return int64(n), true
}

// parseHex64 parses the 16 lowercase hex digits of a checksum.
func parseHex64(b []byte) (uint64, bool) {
	if len(b) != sumLen {
		return 0, false
	}
	var n uint64
	var bad byte
	for _, c := range b {
		v := hexValue[c]
		bad |= v
		n = n<<4 | uint64(v&0xf)
	}
	return n, bad&notHex == 0
}

// checksum is the XXH3-64 of head followed by payload.
func checksum(head, payload []byte) uint64 { return xxh3pair.Hash64(head, payload) }
