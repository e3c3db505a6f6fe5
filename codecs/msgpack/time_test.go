package msgpack

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/vmihailenco/msgpack/v5"
)

// zoned is how a test sees a time: its instant, its wall clock with the
// zone's abbreviation and offset, and its location's name.
func zoned(t time.Time) string {
	return fmt.Sprintf("%s %s loc=%q", t.Format("2006-01-02T15:04:05.999999999 -07:00 MST"), t.Format(time.RFC3339Nano), t.Location())
}

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("LoadLocation(%q): %v", name, err)
	}
	return loc
}

func timeRoundTrip[T any](t *testing.T, v T) T {
	t.Helper()
	data, err := (Codec{}).Marshal(v)
	if err != nil {
		t.Fatalf("Marshal(%T) = %v", v, err)
	}
	var got T
	if err := (Codec{}).Unmarshal(data, &got); err != nil {
		t.Fatalf("Unmarshal(Marshal(%T)) = %v", v, err)
	}
	return got
}

func TestTimeKeepsItsZone(t *testing.T) {
	t.Parallel()
	saoPaulo := mustLoad(t, "America/Sao_Paulo")
	tests := []struct {
		name string
		in   time.Time
	}{
		{"UTC", time.Date(2024, 3, 1, 3, 4, 5, 6, time.UTC)},
		{"zero", time.Time{}},
		{"named", time.Date(2024, 3, 1, 3, 4, 5, 999999999, saoPaulo)},
		{"named before 1970", time.Date(1901, 7, 1, 0, 0, 0, 1, saoPaulo)},
		{"fixed", time.Date(2024, 3, 1, 3, 4, 5, 0, time.FixedZone("XYZ", 5*3600+1800))},
		{"fixed without a name", time.Date(2024, 3, 1, 3, 4, 5, 0, time.FixedZone("", -3*3600))},
		{"far future", time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)},
		{"monotonic", time.Now().UTC()},
	}
	for _, tt := range tests {
		got := timeRoundTrip(t, tt.in)
		want := tt.in.Round(0) // without its monotonic reading
		if got != want && !(got.Equal(want) && zoned(got) == zoned(want)) {
			t.Errorf("%s: got %s; want %s", tt.name, zoned(got), zoned(want))
		}
	}
	if got := timeRoundTrip(t, time.Time{}); got != (time.Time{}) {
		t.Errorf("zero time: got %#v; want time.Time{}", got)
	}
	if got := timeRoundTrip(t, time.Unix(5, 0).UTC()); got != time.Unix(5, 0).UTC() {
		t.Errorf("UTC time: got %#v; want it == the original", got)
	}
}

// A fixed zone named like an IANA location with other rules stays fixed:
// half a year later it still has the same offset.
func TestFixedZoneNamedLikeALocation(t *testing.T) {
	t.Parallel()
	in := time.Date(2024, 1, 15, 12, 0, 0, 0, time.FixedZone("MET", 3600))
	got := timeRoundTrip(t, in)
	later, wantLater := got.AddDate(0, 6, 0), in.AddDate(0, 6, 0)
	if zoned(got) != zoned(in) || zoned(later) != zoned(wantLater) {
		t.Errorf("got %s, six months later %s; want %s and %s", zoned(got), zoned(later), zoned(in), zoned(wantLater))
	}
	met := time.Date(2024, 1, 15, 12, 0, 0, 0, mustLoad(t, "MET"))
	got = timeRoundTrip(t, met)
	if zoned(got) != zoned(met) || zoned(got.AddDate(0, 6, 0)) != zoned(met.AddDate(0, 6, 0)) {
		t.Errorf("MET location: got %s; want %s with its summer time", zoned(got), zoned(met))
	}
}

type timeHolder struct {
	At     time.Time
	Ptr    *time.Time
	Nil    *time.Time
	List   []time.Time
	ByName map[string]time.Time
	Any    any
	Inner  struct{ Deep [2]time.Time }
}

func TestNestedTimesKeepTheirZones(t *testing.T) {
	t.Parallel()
	tokyo := mustLoad(t, "Asia/Tokyo")
	at := time.Date(2024, 3, 1, 3, 4, 5, 0, tokyo)
	fixed := time.Date(2024, 3, 1, 3, 4, 5, 0, time.FixedZone("ABC", -7200))
	in := timeHolder{
		At:     at,
		Ptr:    &fixed,
		List:   []time.Time{at, time.Time{}, at.UTC()},
		ByName: map[string]time.Time{"a": at, "b": fixed},
		Any:    at,
	}
	in.Inner.Deep = [2]time.Time{fixed, at}
	got := timeRoundTrip(t, in)
	check := func(what string, got, want time.Time) {
		t.Helper()
		if zoned(got) != zoned(want) {
			t.Errorf("%s: got %s; want %s", what, zoned(got), zoned(want))
		}
	}
	check("At", got.At, at)
	if got.Ptr == nil || got.Nil != nil {
		t.Fatalf("Ptr, Nil = %v, %v; want a time and nil", got.Ptr, got.Nil)
	}
	check("Ptr", *got.Ptr, fixed)
	if len(got.List) != 3 {
		t.Fatalf("List has %d times; want 3", len(got.List))
	}
	for i, want := range in.List {
		check(fmt.Sprint("List ", i), got.List[i], want)
	}
	check("ByName a", got.ByName["a"], at)
	check("ByName b", got.ByName["b"], fixed)
	anyTime, ok := got.Any.(time.Time)
	if !ok {
		t.Fatalf("Any = %T; want time.Time", got.Any)
	}
	check("Any", anyTime, at)
	check("Deep 0", got.Inner.Deep[0], fixed)
	check("Deep 1", got.Inner.Deep[1], at)
}

// The test swaps time.Local, so it runs alone.
func TestLocalTimeInAnotherZone(t *testing.T) {
	saved := time.Local
	defer func() { time.Local = saved }()
	time.Local = mustLoad(t, "Asia/Tokyo")
	in := time.Date(2024, 3, 1, 3, 4, 5, 0, time.Local)
	data, err := (Codec{}).Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	decode := func() time.Time {
		var got time.Time
		if err := (Codec{}).Unmarshal(data, &got); err != nil {
			t.Fatal(err)
		}
		return got
	}

	time.Local = mustLoad(t, "America/New_York")
	got := decode()
	if !got.Equal(in) || got.Format(time.RFC3339+" MST") != "2024-03-01T03:04:05+09:00 JST" || got.Location().String() != "JST" {
		t.Errorf("read in New York: got %s; want 03:04:05+09:00 JST in a fixed zone JST", zoned(got))
	}

	time.Local = mustLoad(t, "Asia/Tokyo") // another *Location with the same rules
	got = decode()
	if got.Location() != time.Local || !got.Equal(in) || got.Format(time.RFC3339+" MST") != "2024-03-01T03:04:05+09:00 JST" {
		t.Errorf("read in Tokyo: got %s; want the same wall clock in time.Local", zoned(got))
	}
}

// The test binary doubles as the writer and the reader of
// TestTimeAcrossProcesses: with timeRoleEnv set it encodes or decodes times
// and prints them instead of running tests.
const timeRoleEnv = "MEMOGEN_MSGPACK_TIME_ROLE"

func TestMain(m *testing.M) {
	switch os.Getenv(timeRoleEnv) {
	case "write":
		os.Exit(writeTimes())
	case "read":
		os.Exit(readTimes())
	}
	os.Exit(m.Run())
}

// writeTimes prints, in hex, the entry of a struct of times in the local
// zone, a named zone, UTC and a fixed zone.
func writeTimes() int {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	instant := time.Date(2024, 2, 29, 18, 4, 5, 123, time.UTC)
	v := []time.Time{instant.Local(), instant.In(ny), instant, instant.In(time.FixedZone("XYZ", 3600))}
	data, err := (Codec{}).Marshal(v)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Print(hex.EncodeToString(data))
	return 0
}

// readTimes decodes the entry in MEMOGEN_MSGPACK_TIME_ENTRY and prints each
// time on a line.
func readTimes() int {
	data, err := hex.DecodeString(os.Getenv("MEMOGEN_MSGPACK_TIME_ENTRY"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	var v []time.Time
	if err := (Codec{}).Unmarshal(data, &v); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for _, t := range v {
		fmt.Println(zoned(t), "local:", t.Location() == time.Local)
	}
	return 0
}

// TestTimeAcrossProcesses writes times in a process in Tokyo and reads them
// in processes in New York and in Tokyo: every time is the same instant and
// wall clock in the same named zone.
func TestTimeAcrossProcesses(t *testing.T) {
	t.Parallel()
	run := func(tz string, env ...string) string {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), append(env, "TZ="+tz)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%v in TZ=%s: %v\n%s", env, tz, err, stderr.Bytes())
		}
		return string(out)
	}
	entry := run("Asia/Tokyo", timeRoleEnv+"=write")
	read := func(tz string) string {
		return run(tz, timeRoleEnv+"=read", "MEMOGEN_MSGPACK_TIME_ENTRY="+entry)
	}
	rest := `2024-02-29T13:04:05.000000123 -05:00 EST 2024-02-29T13:04:05.000000123-05:00 loc="America/New_York" local: false
2024-02-29T18:04:05.000000123 +00:00 UTC 2024-02-29T18:04:05.000000123Z loc="UTC" local: false
2024-02-29T19:04:05.000000123 +01:00 XYZ 2024-02-29T19:04:05.000000123+01:00 loc="XYZ" local: false
`
	if got, want := read("America/New_York"), `2024-03-01T03:04:05.000000123 +09:00 JST 2024-03-01T03:04:05.000000123+09:00 loc="JST" local: false
`+rest; got != want {
		t.Errorf("read in New York:\n%s\nwant:\n%s", got, want)
	}
	// With TZ set, time.Local is named after it.
	if got, want := read("Asia/Tokyo"), `2024-03-01T03:04:05.000000123 +09:00 JST 2024-03-01T03:04:05.000000123+09:00 loc="Asia/Tokyo" local: true
`+rest; got != want {
		t.Errorf("read in Tokyo:\n%s\nwant:\n%s", got, want)
	}
}

// A location that is neither UTC, Local, loadable by name nor fixed cannot
// be stored faithfully: encoding fails rather than change the time.
func TestUnnamedLocationIsAnError(t *testing.T) {
	t.Parallel()
	loc, err := time.LoadLocationFromTZData("Custom/Zone", tzif(t, "AAA", 3600, "BBB", 7200, 1700000000))
	if err != nil {
		t.Fatal(err)
	}
	in := time.Date(2024, 3, 1, 0, 0, 0, 0, loc)
	if _, err := (Codec{}).Marshal(in); err == nil || !strings.Contains(err.Error(), `"Custom/Zone"`) {
		t.Errorf("Marshal(a time in Custom/Zone) = %v; want an error naming the location", err)
	}
}

// tzif returns TZif data for a zone that changes from (abbrev1, offset1)
// to (abbrev2, offset2) at the Unix time at.
func tzif(t *testing.T, abbrev1 string, offset1 int32, abbrev2 string, offset2 int32, at int32) []byte {
	t.Helper()
	chars := abbrev1 + "\x00" + abbrev2 + "\x00"
	b := append([]byte("TZif"), make([]byte, 16)...)
	for _, n := range []int{0, 0, 0, 1, 2, len(chars)} { // isutcnt isstdcnt leapcnt timecnt typecnt charcnt
		b = binary.BigEndian.AppendUint32(b, uint32(n))
	}
	b = binary.BigEndian.AppendUint32(b, uint32(at))
	b = append(b, 1)
	b = binary.BigEndian.AppendUint32(b, uint32(offset1))
	b = append(b, 0, 0)
	b = binary.BigEndian.AppendUint32(b, uint32(offset2))
	b = append(b, 0, byte(len(abbrev1)+1))
	return append(b, chars...)
}

// Other users of vmihailenco/msgpack in the process see the standard
// timestamp format, byte for byte.
func TestOtherEncodersWriteTheStandardTimestamp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Unix(1700000000, 0), "d6ff6553f100"},
		{time.Unix(1700000000, 5), "d7ff000000146553f100"},
		{time.Unix(-1, 7), "c70cff00000007ffffffffffffffff"},
	}
	for _, tt := range tests {
		data, err := msgpack.Marshal(struct{ T time.Time }{tt.in})
		if err != nil {
			t.Fatal(err)
		}
		if got := hex.EncodeToString(data); !strings.HasSuffix(got, tt.want) {
			t.Errorf("msgpack.Marshal(%v) = %s; want it to end in the standard %s", tt.in, got, tt.want)
		}
		var back struct{ T time.Time }
		if err := msgpack.Unmarshal(data, &back); err != nil || !back.T.Equal(tt.in) || back.T.Location() != time.Local {
			t.Errorf("msgpack.Unmarshal(%s) = %v, %v; want %v in time.Local", hex.EncodeToString(data), back.T, err, tt.in)
		}
		var zero struct{ T time.Time }
		data, _ = msgpack.Marshal(zero)
		if err := msgpack.Unmarshal(data, &back); err != nil || back.T != (time.Time{}) {
			t.Errorf("the zero time through msgpack.Unmarshal = %#v, %v; want time.Time{}", back.T, err)
		}
	}
}

// Other decoders read the codec's times with their zone; the codec reads a
// standard timestamp, which lost its zone, as an error.
func TestFormatsMeet(t *testing.T) {
	t.Parallel()
	in := struct{ T time.Time }{time.Date(2024, 3, 1, 3, 4, 5, 0, mustLoad(t, "Asia/Tokyo"))}
	ours, err := (Codec{}).Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var back struct{ T time.Time }
	if err := msgpack.Unmarshal(ours, &back); err != nil || zoned(back.T) != zoned(in.T) {
		t.Errorf("msgpack.Unmarshal(the codec's entry) = %s, %v; want %s", zoned(back.T), err, zoned(in.T))
	}
	// A huge declared length is an error, not an allocation.
	huge := []byte{0x81, 0xa1, 'T', 0xc9, 0x7f, 0xff, 0xff, 0xff, 0xff}
	if err := msgpack.Unmarshal(huge, &back); err == nil {
		t.Errorf("msgpack.Unmarshal(a time of 2 GiB) = nil error; want one")
	}
	standard, err := msgpack.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := (Codec{}).Unmarshal(standard, &back); err == nil {
		t.Errorf("Unmarshal(a standard timestamp) = nil error; want one: the zone is lost")
	}
	// vmihailenco/msgpack writes the values of a map[string]any itself, in
	// the standard format: such a result is never read back.
	generic, err := (Codec{}).Marshal(map[string]any{"t": in.T})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := (Codec{}).Unmarshal(generic, &m); err == nil {
		t.Errorf("Unmarshal(a map[string]any holding a time) = %v; want an error", m)
	}
	var top time.Time
	standard, _ = msgpack.Marshal(in.T)
	if err := (Codec{}).Unmarshal(standard, &top); err == nil {
		t.Errorf("Unmarshal(a standard top-level timestamp) = nil error; want one")
	}
}

func TestMalformedTimePayloads(t *testing.T) {
	t.Parallel()
	good, err := appendTime(nil, time.Date(2024, 3, 1, 3, 4, 5, 0, mustLoad(t, "Asia/Tokyo")))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"short":                good[:12],
		"unknown kind":         append([]byte{9}, good[1:]...),
		"nanoseconds too many": append(append(append([]byte{}, good[:9]...), 0x3b, 0x9a, 0xca, 0x00), good[13:]...),
		"UTC with a zone":      append([]byte{zoneUTC}, good[1:]...),
		"zone cut":             good[:15],
		"name cut":             good[:len(good)-1],
		"trailing byte":        append(append([]byte{}, good...), 0),
	}
	for name, payload := range cases {
		if tm, err := parseTime(payload, nil); err == nil {
			t.Errorf("parseTime(%s % x) = %v; want an error", name, payload, tm)
		}
	}
}

// FuzzTimeExt checks that no payload makes the time extension panic, and
// that a time it reads is written and read back as the same time.
func FuzzTimeExt(f *testing.F) {
	for _, tm := range []time.Time{
		{}, time.Unix(1700000000, 5).UTC(), time.Unix(1700000000, 5).In(time.FixedZone("ABC", 3600)),
		time.Unix(-1e10, 0).In(time.FixedZone("", -1800)), time.Unix(1700000000, 5).Local(),
	} {
		b, _ := appendTime(nil, tm)
		f.Add(b)
	}
	if loc, err := time.LoadLocation("Europe/Paris"); err == nil {
		b, _ := appendTime(nil, time.Unix(1700000000, 0).In(loc))
		f.Add(b)
	}
	f.Add([]byte{0x65, 0x53, 0xf1, 0x00})
	f.Fuzz(func(t *testing.T, payload []byte) {
		if len(payload) > 255 {
			return
		}
		entry := append([]byte{0xc7, byte(len(payload)), 0xff}, payload...)
		var top time.Time
		topErr := (Codec{}).Unmarshal(entry, &top)
		tm, err := parseTime(payload, nil)
		if (err == nil) != (topErr == nil) || err == nil && zoned(tm) != zoned(top) {
			t.Fatalf("Unmarshal = %s, %v; parseTime = %s, %v", zoned(top), topErr, zoned(tm), err)
		}
		if err != nil {
			return
		}
		again, err := appendTime(nil, tm)
		if err != nil {
			t.Fatalf("appendTime(%s) = %v", zoned(tm), err)
		}
		back, err := parseTime(again, nil)
		if err != nil || !back.Equal(tm) || zoned(back) != zoned(tm) {
			t.Fatalf("read %s, wrote it and read %s, %v", zoned(tm), zoned(back), err)
		}
	})
}
