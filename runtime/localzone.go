package runtime

import (
	"encoding/binary"
	"sync/atomic"
	"time"

	"github.com/zeebo/xxh3"
)

// This file is the identity of a host's local zone. Every host names its
// time.Local "Local", and the zone in effect at one instant does not tell
// two hosts apart either: Paris and Algiers are both CET +1h in January,
// but half a year later Paris is CEST +2h and Algiers still CET, so a
// function that adds six months and formats the result gives two answers.
// A time in a location named "Local" is therefore keyed by the zone in
// effect at its instant and by the digest of its location's whole
// schedule: the sequence of zones (abbreviation and offset) it passes
// through and the instants at which it changes, from the start of its
// history to scheduleEnd. Two hosts whose local zones follow the same
// rules share keys; hosts whose zones differ at any instant up to then do
// not.

// scheduleEnd is where the digest stops looking: 2100-01-01 UTC. Zones
// repeat their last yearly rule forever, so differences beyond it would
// already show before it.
var scheduleEnd = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)

// maxZoneChanges bounds the changes the digest reads, in case a location
// changes zone implausibly often; a real one changes a few hundred times
// before scheduleEnd.
const maxZoneChanges = 10_000

// localSchedule caches the digest of the last location named "Local" that
// a key met: time.Local, in every program that does not reassign it.
type localSchedule struct {
	loc    *time.Location
	digest [16]byte
}

var lastLocal atomic.Pointer[localSchedule]

// localDigest returns the digest of loc's schedule, computing it when loc
// is not the location of the last call: once per process, unless the
// program assigns time.Local or builds locations named "Local" of its own.
func localDigest(loc *time.Location) *[16]byte {
	if s := lastLocal.Load(); s != nil && s.loc == loc {
		return &s.digest
	}
	s := &localSchedule{loc: loc, digest: scheduleDigest(loc)}
	lastLocal.Store(s)
	return &s.digest
}

// scheduleDigest hashes loc's zones up to scheduleEnd: for each, the
// instant it starts (Unix seconds), its abbreviation and its offset.
// Consecutive periods of one abbreviation and offset count as one, so
// that two locations that format every instant alike digest alike.
func scheduleDigest(loc *time.Location) [16]byte {
	var h xxh3.Hasher
	var buf []byte
	var name string
	offset := -1 << 31 // no offset: the first zone is always written
	t := time.Time{}.In(loc)
	for range maxZoneChanges {
		zone, off := t.Zone()
		if zone != name || off != offset {
			name, offset = zone, off
			buf = binary.LittleEndian.AppendUint64(buf[:0], uint64(t.Unix()))
			buf = binary.AppendUvarint(buf, uint64(len(zone)))
			buf = append(buf, zone...)
			buf = binary.LittleEndian.AppendUint64(buf, uint64(int64(off)))
			h.Write(buf)
		}
		_, end := t.ZoneBounds()
		if end.IsZero() || !end.Before(scheduleEnd) {
			break
		}
		if !end.After(t) {
			// Past a location's last listed change, package time derives
			// zones from its yearly rule, and in a leap year gives the
			// zone's end as December 31 for January 1 (2040 in Paris):
			// step over the missing day, which changes no zone.
			end = t.Add(24 * time.Hour)
		}
		t = end
	}
	sum := h.Sum128()
	var d [16]byte
	binary.BigEndian.PutUint64(d[:8], sum.Hi)
	binary.BigEndian.PutUint64(d[8:], sum.Lo)
	return d
}
