package msgpack

import (
	"encoding/binary"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/memogen/memogen/runtime/store"
)

// namedTime is the extension of a time in location name, as a hostile
// writer may spell it.
func namedTime(name, abbrev string, offset int32) []byte {
	p := []byte{zoneNamed}
	p = binary.BigEndian.AppendUint64(p, 1700000000)
	p = binary.BigEndian.AppendUint32(p, 0)
	p = binary.BigEndian.AppendUint32(p, uint32(offset))
	p = append(p, byte(len(abbrev)))
	p = append(p, abbrev...)
	p = append(p, byte(len(name)))
	p = append(p, name...)
	return append([]byte{0xc7, byte(len(p)), 0xff}, p...)
}

// bogusThenNewYork is an array of bogus zones, each named once, then n
// times in America/New_York: the entry that once filled the location cache
// with failures, after which every New York time loaded its location anew.
func bogusThenNewYork(prefix string, bogus, n int) []byte {
	b := binary.BigEndian.AppendUint32([]byte{0xdd}, uint32(bogus+n))
	for i := range bogus {
		b = append(b, namedTime(fmt.Sprintf("Zz/%s%04d", prefix, i), "UTC", 0)...)
	}
	for range n {
		b = append(b, namedTime("America/New_York", "EST", -18000)...)
	}
	return b
}

// Times naming zones that do not exist cannot make a reader load
// locations beyond its budget, nor make later reads load one per time.
// (Not parallel: it measures the process's allocations.)
func TestHostileZoneNames(t *testing.T) {
	lim := store.Limits{MaxBytes: 256 << 10, MaxAlloc: 16 * 256 << 10}
	slack := uint64(1 << 20) // the test's own, and what the runtime allocates meanwhile
	decode := func(data []byte) ([]time.Time, uint64, error) {
		var out []time.Time
		var err error
		n := allocated(func() { err = store.UnmarshalLimited(Codec{}, data, &out, lim) })
		return out, n, err
	}

	// 256 names that fail to load: more than the budget allows.
	_, n, err := decode(bogusThenNewYork("a", 256, 0))
	if !errors.Is(err, store.ErrTooLarge) {
		t.Errorf("Unmarshal(256 unknown zones) = %v; want ErrTooLarge", err)
	}
	if n > uint64(lim.MaxAlloc)+slack {
		t.Errorf("Unmarshal(256 unknown zones) allocated %d bytes; want at most %d", n, uint64(lim.MaxAlloc)+slack)
	}

	// As many unknown names as the budget allows, decoded again and again
	// with new names: none is cached, so none crowds out a real zone.
	for i := range 8 {
		if _, _, err := decode(bogusThenNewYork(fmt.Sprint(i), 40, 1)); err != nil {
			t.Fatalf("Unmarshal(40 unknown zones) = %v", err)
		}
	}
	zones.mu.RLock()
	for name, loc := range zones.named {
		if loc == nil || name[:3] == "Zz/" {
			t.Errorf("zones.named[%q] = %v; want only locations that loaded", name, loc)
		}
	}
	zones.mu.RUnlock()

	// 6000 times in one real zone load it once at most: the reader keeps
	// one location, not one per time.
	data := bogusThenNewYork("", 0, 6000)
	out, n, err := decode(data)
	if err != nil {
		t.Fatalf("Unmarshal(6000 New York times) = %v", err)
	}
	if budget := uint64(2*6000*24 + locationCost); n > budget+slack {
		t.Errorf("Unmarshal(6000 New York times) allocated %d bytes; want at most %d", n, budget+slack)
	}
	for i, tm := range out {
		if tm.Location() != out[0].Location() || tm.Location().String() != "America/New_York" {
			t.Fatalf("time %d in %p %q; want the one America/New_York of time 0, %p", i, tm.Location(), tm.Location(), out[0].Location())
		}
	}
}

// An entry naming thousands of distinct zones is refused before it loads
// more than its budget's worth of them.
func TestManyZoneNamesAreRefused(t *testing.T) {
	lim := store.Limits{MaxBytes: 256 << 10, MaxAlloc: 16 * 256 << 10}
	data := bogusThenNewYork("many", 6000, 0)
	var out []time.Time
	var err error
	n := allocated(func() { err = store.UnmarshalLimited(Codec{}, data, &out, lim) })
	if !errors.Is(err, store.ErrTooLarge) {
		t.Errorf("Unmarshal(6000 unknown zones) = %v; want ErrTooLarge", err)
	}
	if max := uint64(lim.MaxAlloc) + 1<<20; n > max {
		t.Errorf("Unmarshal(6000 unknown zones) allocated %d bytes; want at most %d", n, max)
	}
}

// Times in named zones, many of each, come back in their zones: the same
// name, abbreviation, offset and instant.
func TestNamedZonesRoundTrip(t *testing.T) {
	t.Parallel()
	names := []string{"America/New_York", "Europe/Dublin", "Asia/Kolkata", "Australia/Lord_Howe", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "Pacific/Chatham"}
	var in []time.Time
	for i := range 700 {
		loc := mustLoad(t, names[i%len(names)])
		in = append(in, time.Unix(1700000000+int64(i)*86400*11, int64(i)).In(loc))
	}
	got := timeRoundTrip(t, in)
	if len(got) != len(in) {
		t.Fatalf("got %d times; want %d", len(got), len(in))
	}
	for i := range in {
		if !got[i].Equal(in[i]) || zoned(got[i]) != zoned(in[i]) {
			t.Errorf("time %d: got %s; want %s", i, zoned(got[i]), zoned(in[i]))
		}
	}
}

func TestZoneName(t *testing.T) {
	t.Parallel()
	tests := map[string]bool{
		"America/New_York": true, "Etc/GMT+5": true, "Etc/GMT-14": true, "America/Port-au-Prince": true,
		"UTC": true, "Local": true, "America/Argentina/Buenos_Aires": true,
		"": false, "/etc/passwd": false, "./Asia/Tokyo": false, "Asia//Tokyo": false, "Asia/Tokyo/": false,
		"../Asia/Tokyo": false, "zone.tab": false, "tzdata.zi": false, "Asia\\Tokyo": false, "Asia/Tōkyō": false,
	}
	for name, want := range tests {
		if got := zoneName(name); got != want {
			t.Errorf("zoneName(%q) = %v; want %v", name, got, want)
		}
	}
}
