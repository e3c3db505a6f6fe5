package msgpack

import (
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"time"

	"github.com/vmihailenco/msgpack/v5"
)

// MessagePack's timestamp extension carries an instant and nothing else:
// vmihailenco/msgpack reads it back in the reading process's local zone.
// The codec keeps the extension's type, -1, so that every MessagePack
// reader still sees a time, but writes a longer payload that also says in
// which zone the time was, in one of four forms:
//
//	UTC    kind sec nsec                              13 bytes
//	Local  kind sec nsec offset len abbrev            the zone in effect
//	named  kind sec nsec offset len abbrev len name   an IANA location
//	fixed  kind sec nsec offset len abbrev            time.FixedZone(abbrev, offset)
//
// kind is one byte, sec the Unix seconds (8 bytes), nsec the nanoseconds
// (4), offset the zone's offset east of UTC in seconds (4, signed), len a
// byte; integers are big-endian. The standard payloads are 4, 8 or 12
// bytes long, so the two never meet.
const timeExt int8 = -1

// The zone kinds of a time's payload.
const (
	zoneUTC   byte = 1
	zoneLocal byte = 2
	zoneNamed byte = 3
	zoneFixed byte = 4
)

// instantLen is the length of a payload's kind, seconds and nanoseconds;
// maxTimeLen that of the longest payload, with an offset and two names.
const (
	instantLen = 13
	maxTimeLen = instantLen + 4 + 1 + 255 + 1 + 255
)

// errZoneless reports a time in the standard timestamp format inside an
// entry: it would come back in the reader's local zone.
var errZoneless = errors.New("msgpack: a time without its zone (not written by memogen)")

func init() {
	// vmihailenco/msgpack has no per-encoder hook for a type, so the
	// extension is registered for the whole process; encoders and decoders
	// other than this codec's get the standard format, as before.
	msgpack.RegisterExtEncoder(timeExt, time.Time{}, encodeTime)
	msgpack.RegisterExtDecoder(timeExt, time.Time{}, decodeTime)
}

// encodeTime is the extension's encoder: the zone-keeping payload for this
// codec's encoders, the standard one for others.
func encodeTime(e *msgpack.Encoder, v reflect.Value) ([]byte, error) {
	var t time.Time
	if v.CanAddr() {
		t = *v.Addr().Interface().(*time.Time)
	} else {
		t = v.Interface().(time.Time)
	}
	w, ours := e.Writer().(*entryWriter)
	if !ours {
		return appendStandardTime(make([]byte, 0, 12), t), nil
	}
	var err error
	w.scratch, err = appendTime(w.scratch[:0], t)
	return w.scratch, err
}

// decodeTime is the extension's decoder. It reads both payloads, but this
// codec's decoders refuse the standard one, which lost the time's zone.
func decodeTime(d *msgpack.Decoder, v reflect.Value, n int) error {
	var (
		t   time.Time
		err error
	)
	if r, ours := d.Buffered().(*entryReader); ours {
		var payload []byte
		if payload, err = r.next(n); err != nil {
			return err
		}
		if len(payload) < instantLen {
			return errZoneless
		}
		t, err = parseTime(payload, &r.zones)
	} else {
		t, err = readForeignTime(d, n)
	}
	if err != nil {
		return err
	}
	if v.CanAddr() {
		*v.Addr().Interface().(*time.Time) = t
		return nil
	}
	v.Set(reflect.ValueOf(t))
	return nil
}

// readForeignTime reads a time for a decoder other than this codec's.
func readForeignTime(d *msgpack.Decoder, n int) (time.Time, error) {
	if n > maxTimeLen {
		return time.Time{}, errTimePayload
	}
	if n > 12 {
		payload := make([]byte, n)
		if err := d.ReadFull(payload); err != nil {
			return time.Time{}, err
		}
		return parseTime(payload, nil)
	}
	buf := smallBufs.Get().(*[12]byte)
	defer smallBufs.Put(buf)
	if err := d.ReadFull(buf[:n]); err != nil {
		return time.Time{}, err
	}
	return parseStandardTime(buf[:n])
}

var smallBufs = sync.Pool{New: func() any { return new([12]byte) }}

// appendStandardTime appends MessagePack's timestamp payload, as
// vmihailenco/msgpack writes it.
func appendStandardTime(b []byte, t time.Time) []byte {
	secs := uint64(t.Unix())
	if secs>>34 == 0 {
		data := uint64(t.Nanosecond())<<34 | secs
		if data&0xffffffff00000000 == 0 {
			return binary.BigEndian.AppendUint32(b, uint32(data))
		}
		return binary.BigEndian.AppendUint64(b, data)
	}
	b = binary.BigEndian.AppendUint32(b, uint32(t.Nanosecond()))
	return binary.BigEndian.AppendUint64(b, secs)
}

// parseStandardTime reads MessagePack's timestamp payload as
// vmihailenco/msgpack does: in the local zone, the zero time in UTC.
func parseStandardTime(b []byte) (time.Time, error) {
	var t time.Time
	switch len(b) {
	case 4:
		t = time.Unix(int64(binary.BigEndian.Uint32(b)), 0)
	case 8:
		data := binary.BigEndian.Uint64(b)
		t = time.Unix(int64(data&0x3ffffffff), int64(data>>34))
	case 12:
		t = time.Unix(int64(binary.BigEndian.Uint64(b[4:])), int64(binary.BigEndian.Uint32(b)))
	default:
		return time.Time{}, fmt.Errorf("msgpack: invalid ext len=%d decoding time", len(b))
	}
	if t.IsZero() {
		return t.UTC(), nil
	}
	return t, nil
}

// appendTime appends t's zone-keeping payload. A time in a location that
// is neither UTC, Local, a loadable IANA location nor a fixed zone (one
// from time.LoadLocationFromTZData, say) cannot be written so that it
// comes back the same: that is an error.
func appendTime(b []byte, t time.Time) ([]byte, error) {
	loc := t.Location()
	abbrev, offset := t.Zone()
	var kind byte
	var name string
	switch {
	case loc == time.UTC:
		kind = zoneUTC
	case loc == time.Local:
		kind = zoneLocal
	default:
		name = loc.String()
		switch {
		case name != "Local" && sameRules(t, loc, loadLocation(name)):
			kind = zoneNamed
		case name == abbrev && sameRules(t, loc, fixedLocation(abbrev, offset)):
			kind = zoneFixed
		default:
			return b, fmt.Errorf("msgpack: cannot store a time in location %q: it is neither UTC, Local, a location time.LoadLocation knows nor a fixed zone", name)
		}
	}
	if len(abbrev) > 255 || len(name) > 255 {
		return b, fmt.Errorf("msgpack: cannot store a time in location %q: its name is longer than 255 bytes", name)
	}
	b = append(b, kind)
	b = binary.BigEndian.AppendUint64(b, uint64(t.Unix()))
	b = binary.BigEndian.AppendUint32(b, uint32(t.Nanosecond()))
	if kind == zoneUTC {
		return b, nil
	}
	b = binary.BigEndian.AppendUint32(b, uint32(int32(offset)))
	b = append(b, byte(len(abbrev)))
	b = append(b, abbrev...)
	if kind == zoneNamed {
		b = append(b, byte(len(name)))
		b = append(b, name...)
	}
	return b, nil
}

// sameRules reports whether loc and other name the same zones at t and
// half a year either side of it, so that one stands for the other: a
// location loaded by name for the one it is named after, but not for a
// fixed zone that shares its name.
func sameRules(t time.Time, loc, other *time.Location) bool {
	if other == nil {
		return false
	}
	for _, at := range [...]time.Time{t, t.AddDate(0, 6, 0), t.AddDate(0, -6, 0)} {
		a1, o1 := at.In(loc).Zone()
		a2, o2 := at.In(other).Zone()
		if a1 != a2 || o1 != o2 {
			return false
		}
	}
	return true
}

// parseTime reads a zone-keeping payload. A named location comes back as
// itself when this process's time.LoadLocation knows it with the same zone
// at that instant, and a Local time as Local when this process's local
// zone agrees; otherwise either comes back in a fixed zone of the
// abbreviation and offset it had. Locations are looked up in memo, the
// decode's own, when not nil (see zone.go).
func parseTime(b []byte, memo *zoneMemo) (time.Time, error) {
	if len(b) < instantLen {
		return time.Time{}, errTimePayload
	}
	kind := b[0]
	nsec := binary.BigEndian.Uint32(b[9:])
	if nsec >= 1e9 {
		return time.Time{}, errTimePayload
	}
	t := time.Unix(int64(binary.BigEndian.Uint64(b[1:])), int64(nsec))
	if kind == zoneUTC {
		if len(b) != instantLen {
			return time.Time{}, errTimePayload
		}
		return t.UTC(), nil
	}
	zone, rest, ok := cutZone(b[instantLen:])
	if !ok {
		return time.Time{}, errTimePayload
	}
	offset := int(int32(binary.BigEndian.Uint32(zone)))
	abbrev := zone[5:]
	switch kind {
	case zoneLocal:
		if len(rest) != 0 {
			return time.Time{}, errTimePayload
		}
		if a, o := t.Zone(); o == offset && a == string(abbrev) {
			return t, nil
		}
	case zoneNamed:
		if len(rest) == 0 || int(rest[0]) != len(rest)-1 {
			return time.Time{}, errTimePayload
		}
		if loc := memo.location(rest[1:]); loc != nil {
			in := t.In(loc)
			if a, o := in.Zone(); o == offset && a == string(abbrev) {
				return in, nil
			}
		}
	case zoneFixed:
		if len(rest) != 0 {
			return time.Time{}, errTimePayload
		}
	default:
		return time.Time{}, errTimePayload
	}
	return t.In(fixedZone(zone, abbrev, offset)), nil
}

var errTimePayload = errors.New("msgpack: malformed time payload")

// cutZone splits a payload's zone, its offset and abbreviation, from what
// follows.
func cutZone(b []byte) (zone, rest []byte, ok bool) {
	if len(b) < 5 {
		return nil, nil, false
	}
	end := 5 + int(b[4])
	if len(b) < end {
		return nil, nil, false
	}
	return b[:end], b[end:], true
}
