package runtime

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/zeebo/xxh3"
)

// ErrCorrupt reports stored bytes that are not a valid entry: torn,
// truncated, tampered with, or of an unknown format version.
var ErrCorrupt = errors.New("memo: corrupt entry")

// entryMagic starts every entry and carries the format version.
const entryMagic = "memo1"

// maxSummary bounds the readable summary of the arguments an entry carries.
const maxSummary = 256

// An Entry is what byte-level backends store: one text line of metadata,
// then the encoded result. The line makes a stored file readable with cat:
//
//	memo1 <codec> <created> <expires> <checksum> <summary>
//
// created and expires are Unix nanoseconds (expires 0 for never), checksum
// is the XXH3-64 of the line's first four fields and the payload in hex, and
// summary is a Go-quoted, abbreviated rendering of the keyed arguments.
type Entry struct {
	Codec   string    // codec spec, e.g. "msgpack+zstd"
	Created time.Time // when the result was computed
	Expires time.Time // zero for never
	Summary string    // the keyed arguments, for people
	Payload []byte    // the encoded result
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
	head := fmt.Appendf(nil, "%s %s %d %d", entryMagic, e.Codec, e.Created.UnixNano(), expires)
	sum := checksum(head, e.Payload)
	out := make([]byte, 0, len(head)+len(summary)+len(e.Payload)+32)
	out = append(out, head...)
	out = fmt.Appendf(out, " %016x ", sum)
	out = strconv.AppendQuote(out, summary)
	out = append(out, '\n')
	return append(out, e.Payload...)
}

// DecodeEntry parses a stored entry and verifies its checksum. Payload
// aliases data.
func DecodeEntry(data []byte) (Entry, error) {
	nl := bytes.IndexByte(data, '\n')
	if nl < 0 {
		return Entry{}, fmt.Errorf("%w: no metadata line", ErrCorrupt)
	}
	e, sum, head, err := parseHeader(string(data[:nl]))
	if err != nil {
		return e, err
	}
	payload := data[nl+1:]
	if checksum([]byte(head), payload) != sum {
		return Entry{}, fmt.Errorf("%w: checksum mismatch", ErrCorrupt)
	}
	e.Payload = payload
	return e, nil
}

// DecodeEntryHeader parses only an entry's metadata line, found at the start
// of data, without the payload or its checksum: for listings and expiry
// checks that read just the first bytes of an entry.
func DecodeEntryHeader(data []byte) (Entry, error) {
	line := data
	if nl := bytes.IndexByte(data, '\n'); nl >= 0 {
		line = data[:nl]
	}
	e, _, _, err := parseHeader(string(line))
	return e, err
}

// parseHeader parses a metadata line; head is the part the checksum covers.
func parseHeader(line string) (e Entry, sum uint64, head string, err error) {
	fields := strings.SplitN(line, " ", 6)
	if len(fields) != 6 {
		return e, 0, "", fmt.Errorf("%w: metadata has %d fields, want 6", ErrCorrupt, len(fields))
	}
	if fields[0] != entryMagic {
		return e, 0, "", fmt.Errorf("%w: unknown format %.16q", ErrCorrupt, fields[0])
	}
	created, err1 := strconv.ParseInt(fields[2], 10, 64)
	expires, err2 := strconv.ParseInt(fields[3], 10, 64)
	sum, err3 := strconv.ParseUint(fields[4], 16, 64)
	summary, err4 := strconv.Unquote(fields[5])
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return e, 0, "", fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	head = line[:len(fields[0])+len(fields[1])+len(fields[2])+len(fields[3])+3]
	e = Entry{Codec: fields[1], Created: time.Unix(0, created), Summary: summary}
	if expires != 0 {
		e.Expires = time.Unix(0, expires)
	}
	return e, sum, head, nil
}

func checksum(head, payload []byte) uint64 {
	h := xxh3.New()
	h.Write(head)
	h.Write(payload)
	return h.Sum64()
}
