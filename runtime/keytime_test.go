package runtime_test

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	memo "github.com/memogen/memogen/runtime"
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
	// The zone is known by its abbreviation and offset: Berlin's Local is
	// Paris's, which formats every instant alike.
	if !bytes.Equal(timeKey(inParis), timeKey(january.In(berlin))) {
		t.Errorf("Time in Paris's Local differs from Time in Berlin's at %v; want one key", january)
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
	if got := timeKey(july.In(paris)); !bytes.Equal(got, want) {
		t.Errorf("Time(July in Paris's Local) = %x; want %x: the zone CEST and its offset, not the name Local", got, want)
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
