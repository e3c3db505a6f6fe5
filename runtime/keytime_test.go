package runtime_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
	_ "time/tzdata" // the zones of TestTimeLocalIsKeyedByItsRules on any host

	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
)

// hostLocal returns the time.Local of a host whose zone is zone: a location
// named "Local", as every host's is, with zone's rules. It reads the rules
// from the system's zoneinfo, or from the Go tree's copy.
func hostLocal(t *testing.T, zone string) *time.Location {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("/usr/share/zoneinfo", filepath.FromSlash(zone)))
	if err != nil {
		data, err = zoneFromGoRoot(zone)
	}
	if err != nil {
		t.Fatalf("no zoneinfo for %s: %v", zone, err)
	}
	loc, err := time.LoadLocationFromTZData("Local", data)
	if err != nil {
		t.Fatalf("LoadLocationFromTZData(%s) = %v", zone, err)
	}
	return loc
}

func zoneFromGoRoot(zone string) ([]byte, error) {
	//lint:ignore SA1019 the test runs on the machine that built it, whose GOROOT holds the zone data
	z, err := zip.OpenReader(filepath.Join(runtime.GOROOT(), "lib", "time", "zoneinfo.zip"))
	if err != nil {
		return nil, err
	}
	defer z.Close()
	f, err := z.Open(zone)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

func timeKey(t time.Time) []byte {
	var w memo.KeyWriter
	w.Time(t)
	return bytes.Clone(w.Bytes())
}

// time.Local is keyed by the zone in effect, never by its name "Local",
// which every host's has: Paris and Lagos share an offset in January, but
// a function that formats the zone tells them apart.
func TestTimeLocalIsKeyedByItsZone(t *testing.T) {
	t.Parallel()
	january := time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
	paris, lagos, berlin := hostLocal(t, "Europe/Paris"), hostLocal(t, "Africa/Lagos"), hostLocal(t, "Europe/Berlin")
	inParis, inLagos := january.In(paris), january.In(lagos)
	if inParis.Format("15:04 MST") == inLagos.Format("15:04 MST") {
		t.Fatalf("Paris and Lagos format %v alike; the test needs zones that differ", january)
	}
	if _, off := inLagos.Zone(); off != 3600 {
		t.Fatalf("Lagos offset = %d; the test needs Paris's +3600", off)
	}
	if bytes.Equal(timeKey(inParis), timeKey(inLagos)) {
		t.Errorf("Time(%v in Paris's Local) = Time(%v in Lagos's Local); want two keys", inParis, inLagos)
	}
	// Two hosts in Paris share keys: their zones follow the same rules.
	if !bytes.Equal(timeKey(inParis), timeKey(january.In(hostLocal(t, "Europe/Paris")))) {
		t.Errorf("Time in one Paris Local differs from Time in another at %v; want one key", january)
	}
	// Berlin is in Paris's zone today, but was not in 1946: a function
	// can subtract eighty years and format the result.
	if bytes.Equal(timeKey(inParis), timeKey(january.In(berlin))) {
		t.Errorf("Time in Paris's Local = Time in Berlin's at %v; want two keys, their zones' histories differ", january)
	}
	// In July, Paris is in another zone, its summer time.
	july := january.AddDate(0, 6, 0)
	if want := "CEST"; july.In(paris).Format("MST") != want {
		t.Fatalf("Paris in July is %s; want %s", july.In(paris).Format("MST"), want)
	}
	want := binary.LittleEndian.AppendUint64(nil, uint64(july.Unix()))
	want = append(want, 0, 0, 0, 0)               // nanoseconds
	want = append(want, 2, 4, 'C', 'E', 'S', 'T') // tag of a Local zone, its abbreviation
	want = binary.LittleEndian.AppendUint64(want, 7200)
	if got := timeKey(july.In(paris)); !bytes.HasPrefix(got, want) || len(got) != len(want)+16 {
		t.Errorf("Time(July in Paris's Local) = %x; want %x and the 16-byte digest of the zone's rules: the zone CEST and its offset, not the name Local", got, want)
	}
	// A Local that is UTC keys apart from UTC itself: t.Location() says
	// "Local" for one and "UTC" for the other.
	utcLocal := hostLocal(t, "UTC")
	if bytes.Equal(timeKey(january), timeKey(january.In(utcLocal))) {
		t.Errorf("Time in UTC = Time in a Local that is UTC; want two keys")
	}
	if !bytes.Equal(timeKey(january.In(utcLocal)), timeKey(january.Add(0).In(utcLocal))) {
		t.Errorf("Time in a Local that is UTC is not stable")
	}
}

// The same holds for time.Local itself, the variable programs and tests
// set, and for times built in it.
func TestTimeInTimeLocal(t *testing.T) {
	saved := time.Local
	t.Cleanup(func() { time.Local = saved })
	keyAt := func(zone string) []byte {
		time.Local = hostLocal(t, zone)
		return timeKey(time.Date(2026, 1, 15, 13, 0, 0, 0, time.Local))
	}
	if paris, lagos := keyAt("Europe/Paris"), keyAt("Africa/Lagos"); bytes.Equal(paris, lagos) {
		t.Errorf("Time(13:00 in time.Local) is %x in Paris and in Lagos; want two keys", paris)
	}
	time.Local = hostLocal(t, "Europe/Paris")
	at := time.Unix(1_768_478_400, 0)
	if !bytes.Equal(timeKey(at.Local()), timeKey(at.In(time.Local))) {
		t.Errorf("Time(t.Local()) != Time(t.In(time.Local))")
	}
}

// halfYearOn is a memoized function of a time: it formats the instant
// twenty-six weeks later, in the time's own location.
func halfYearOn(f *memoimpl.Func, at time.Time, runs *int) string {
	c := f.Begin(context.Background())
	c.Key().Time(at)
	if r, ok := memoimpl.Lookup[string](c, false); ok {
		return r
	}
	r, _ := memoimpl.Run(c, func() (string, error) {
		*runs++
		return at.Add(26 * 7 * 24 * time.Hour).Format("2006-01-02 15:04 MST"), nil
	})
	return r
}

// Two hosts whose local zones agree at an instant, abbreviation and offset,
// do not share its key when their zones' rules differ: Paris and Algiers
// are both CET +1h in January, Denver and Phoenix both MST -7h, but only
// Paris and Denver move their clocks in summer. A host in the same zone
// shares the key.
func TestTimeLocalIsKeyedByItsRules(t *testing.T) {
	// Not parallel: it sets time.Local.
	saved := time.Local
	t.Cleanup(func() { time.Local = saved })
	load := func(zone string) *time.Location {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatalf("LoadLocation(%q) = %v", zone, err)
		}
		return loc
	}
	january := time.Unix(1_768_478_400, 0) // 2026-01-15 12:00 UTC
	for _, tc := range []struct {
		first, second string
		want          [2]string
	}{
		{"Europe/Paris", "Africa/Algiers", [2]string{"2026-07-16 14:00 CEST", "2026-07-16 13:00 CET"}},
		{"America/Denver", "America/Phoenix", [2]string{"2026-07-16 06:00 MDT", "2026-07-16 05:00 MST"}},
	} {
		f := newFunc(t, memoimpl.FuncInfo{})
		runs := 0
		var keys [2][]byte
		for i, zone := range []string{tc.first, tc.second} {
			time.Local = load(zone)
			at := january.In(time.Local)
			keys[i] = timeKey(at)
			if got := halfYearOn(f, at, &runs); got != tc.want[i] {
				t.Errorf("with time.Local %s: halfYearOn(%v) = %q; want %q", zone, at, got, tc.want[i])
			}
		}
		if a, b := january.In(load(tc.first)).Format("MST-07"), january.In(load(tc.second)).Format("MST-07"); a != b {
			t.Fatalf("%s and %s differ on %v: %s and %s; the test needs zones that agree", tc.first, tc.second, january, a, b)
		}
		if bytes.Equal(keys[0], keys[1]) {
			t.Errorf("Time(%v) is %x with time.Local %s and with %s; want two keys", january, keys[0], tc.first, tc.second)
		}
		if runs != 2 {
			t.Errorf("halfYearOn ran %d times for one instant in %s and %s; want 2", runs, tc.first, tc.second)
		}
		// Another host in the first zone: a location loaded anew.
		time.Local = load(tc.first)
		if again := timeKey(january.In(time.Local)); !bytes.Equal(again, keys[0]) {
			t.Errorf("Time(%v) with time.Local %s loaded twice: %x and %x; want one key", january, tc.first, keys[0], again)
		}
		if got := halfYearOn(f, january.In(time.Local), &runs); got != tc.want[0] || runs != 2 {
			t.Errorf("halfYearOn with time.Local %s loaded anew = %q, %d runs in all; want %q served from the first call, 2 runs", tc.first, got, runs, tc.want[0])
		}
	}
}
