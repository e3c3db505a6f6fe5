package msgpack

import (
	"encoding/binary"
	"sync"
	"time"
)

// Where the locations of decoded times come from, and what they cost.
//
// time.LoadLocation reads a zone file: a few kilobytes for a location it
// finds, some 40 KB for a name it does not (it then searches the directory
// of Go's own zoneinfo.zip). An entry names its locations itself, so a
// hostile one could name thousands of zones, or one zone under thousands
// of spellings, and make every time in it load a location. Three rules
// bound that:
//
//   - The process-wide cache holds only locations that loaded, under names
//     spelled as IANA names are (zoneName): a finite set, the zone
//     database's files, which data cannot grow. A name that fails to load
//     is never cached, so it cannot crowd out the names that do.
//   - The guard loads, before anything is decoded, the locations an entry
//     names that the cache does not hold, once per name and decode, and
//     charges each locationCost to the decode's budget: an entry that
//     names more than the budget allows is refused.
//   - The decoder finds every location in the cache or in what the guard
//     loaded for it (a zoneMemo), so it loads none per time.

// maxZones bounds each process-wide cache. The zone database has fewer
// names than that (some 1,800 files on Linux, with posix/ and right/), so
// the named cache fills only where file names are case-insensitive; beyond
// it, each decode loads the locations it needs once, charged.
const maxZones = 2048

// maxFixedZones bounds the cache of fixed zones; beyond it, a fixed zone
// is made afresh for each time, which the guard charges (timeCost).
const maxFixedZones = 256

// locationCost bounds what loading one location allocates, for a name
// zoneName accepts: a failure, the most expensive, allocates 45 KB at most
// on linux/amd64 with Go 1.26.
const locationCost = 64 << 10

var zones struct {
	mu    sync.RWMutex
	named map[string]*time.Location // locations time.LoadLocation loaded, by name; never a failure
	fixed map[string]*time.Location // time.FixedZone by payload zone: offset and abbreviation
}

// cachedLocation returns the location cached under name, or nil.
func cachedLocation(name []byte) *time.Location {
	zones.mu.RLock()
	loc := zones.named[string(name)]
	zones.mu.RUnlock()
	return loc
}

// loadLocation returns the location time.LoadLocation finds for name, or
// nil, from the cache when it is there; a location loaded is cached while
// the cache has room.
func loadLocation(name string) *time.Location {
	if loc := cachedLocation([]byte(name)); loc != nil {
		return loc
	}
	if !zoneName(name) {
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	zones.mu.Lock()
	if zones.named == nil {
		zones.named = make(map[string]*time.Location)
	}
	if len(zones.named) < maxZones {
		zones.named[name] = loc
	}
	zones.mu.Unlock()
	return loc
}

// zoneName reports whether name is spelled as an IANA location's name is:
// slash-separated elements of ASCII letters, digits, '_', '-' and '+',
// none empty. Other names that time.LoadLocation accepts are other
// spellings of the same files ("./Asia/Tokyo", "Asia//Tokyo") or files
// that are not zones ("zone.tab", "tzdata.zi", the most expensive to
// read); memogen neither stores nor loads them.
func zoneName(name string) bool {
	if name == "" || len(name) > 255 {
		return false
	}
	empty := true // the element so far
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '/':
			if empty {
				return false
			}
			empty = true
			continue
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '_', c == '-', c == '+':
		default:
			return false
		}
		empty = false
	}
	return !empty
}

// A zoneMemo holds the locations that one decode loaded, by name, with nil
// for those that failed: what the guard loaded for the decoder, so that a
// name costs one load per decode however many times name it.
type zoneMemo struct {
	locs map[string]*time.Location
}

// known reports whether name's location is cached or in the memo: whether
// decoding a time named so loads nothing.
func (m *zoneMemo) known(name []byte) bool {
	if cachedLocation(name) != nil {
		return true
	}
	_, ok := m.locs[string(name)]
	return ok
}

// location returns the location named name, or nil: from the cache, from
// the memo, or loaded and added to the memo. A nil memo loads every time.
func (m *zoneMemo) location(name []byte) *time.Location {
	if loc := cachedLocation(name); loc != nil {
		return loc
	}
	if m == nil {
		return loadLocation(string(name))
	}
	loc, ok := m.locs[string(name)]
	if ok {
		return loc
	}
	loc = loadLocation(string(name))
	if m.locs == nil {
		m.locs = make(map[string]*time.Location)
	}
	m.locs[string(name)] = loc
	return loc
}

// maxMemo is the size beyond which a pooled decoder drops its memo rather
// than keep it for the next decode.
const maxMemo = 16

// reset empties the memo for the next decode.
func (m *zoneMemo) reset() {
	if len(m.locs) > maxMemo {
		m.locs = nil
		return
	}
	clear(m.locs)
}

// payloadLocation returns the location name of a named time's payload,
// if it is one; parseTime checks the rest.
func payloadLocation(b []byte) (name []byte, ok bool) {
	if len(b) < instantLen || b[0] != zoneNamed {
		return nil, false
	}
	_, rest, ok := cutZone(b[instantLen:])
	if !ok || len(rest) == 0 || int(rest[0]) != len(rest)-1 {
		return nil, false
	}
	return rest[1:], true
}

// fixedLocation returns time.FixedZone(abbrev, offset), cached.
func fixedLocation(abbrev string, offset int) *time.Location {
	zone := binary.BigEndian.AppendUint32(nil, uint32(int32(offset)))
	zone = append(zone, byte(len(abbrev)))
	zone = append(zone, abbrev...)
	return fixedZone(zone, zone[5:], offset)
}

// fixedZone returns time.FixedZone(abbrev, offset), cached under zone, the
// payload bytes of both.
func fixedZone(zone, abbrev []byte, offset int) *time.Location {
	zones.mu.RLock()
	loc, ok := zones.fixed[string(zone)]
	zones.mu.RUnlock()
	if ok {
		return loc
	}
	loc = time.FixedZone(string(abbrev), offset)
	zones.mu.Lock()
	if zones.fixed == nil {
		zones.fixed = make(map[string]*time.Location)
	}
	if len(zones.fixed) < maxFixedZones {
		zones.fixed[string(zone)] = loc
	}
	zones.mu.Unlock()
	return loc
}
