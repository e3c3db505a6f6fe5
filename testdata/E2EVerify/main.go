// Command e2everify stores results in files and shows store-time
// verification: a result that its codec would read back different (an
// empty slice or a pointer to a zero value under gob, invalid UTF-8 or a
// named time zone under json) is returned as computed but not stored, the
// difference is reported once per function, and the function runs again on
// the next call, so that no call ever sees a changed value. Results that
// read back equal are stored and served; verify=false stores regardless,
// and a hit then serves what the codec read back.
package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"reflect"
	"time"
	_ "time/tzdata" // Asia/Tokyo and Europe/Paris wherever this runs

	"github.com/memogen/memogen/backends/file"
	memo "github.com/memogen/memogen/runtime"
)

var calls = map[string]int{}

// Counts returns an empty, not nil, slice for n = 0, which gob reads back
// as nil.
//
//memo:cache backend=disk codec=gob
func Counts(n int) []int {
	calls[fmt.Sprint("Counts", n)]++
	return counts(n)
}

func counts(n int) []int {
	out := []int{}
	for i := range n {
		out = append(out, i)
	}
	return out
}

// Setting is a result whose field may point to a zero value.
type Setting struct {
	Name  string
	Level *int
}

// Level's setting points to n, to zero for n = 0, which gob does not send:
// the field reads back nil.
//
//memo:cache backend=disk codec=gob
func Level(n int) Setting {
	calls[fmt.Sprint("Level", n)]++
	return setting(n)
}

func setting(n int) Setting { return Setting{Name: "level", Level: &n} }

// Doc is a result with a string json may change.
type Doc struct {
	Title string
	Hash  string
}

// Fetch returns a hash of raw bytes for "bin", not valid UTF-8, which json
// replaces with U+FFFD.
//
//memo:cache backend=disk codec=json
func Fetch(name string) Doc {
	calls["Fetch"+name]++
	return fetch(name)
}

func fetch(name string) Doc {
	if name == "bin" {
		return Doc{Title: name, Hash: "h\xff7"}
	}
	return Doc{Title: name, Hash: "h7"}
}

// Event is a result holding times.
type Event struct {
	Name string
	When time.Time
}

// Schedule returns events in the zone it is asked for; json stores only
// the offset, so a named zone comes back unnamed, and time.Local would come
// back in the reading process's zone.
//
//memo:cache backend=disk codec=json
func Schedule(zone string) []Event {
	calls["Schedule"+zone]++
	return schedule(zone)
}

func schedule(zone string) []Event {
	loc := time.UTC
	switch zone {
	case "Tokyo":
		loc = tokyo
	case "Local":
		loc = time.Local
	}
	at := time.Date(2024, 1, 2, 3, 4, 0, 0, loc)
	return []Event{{"a", at}, {"b", at.Add(time.Hour)}, {"c", at.Add(2 * time.Hour)}}
}

// Meeting returns a time in time.Local, which json would read back in the
// reading process's zone: it matches this process's only by chance.
//
//memo:cache backend=disk codec=json
func Meeting(day int) time.Time {
	calls[fmt.Sprint("Meeting", day)]++
	return meeting(day)
}

func meeting(day int) time.Time { return time.Date(2024, 1, day, 9, 30, 0, 0, time.Local) }

// Split has two results; its second is an empty slice for "".
//
//memo:cache backend=disk codec=gob
func Split(s string) (string, []string) {
	calls["Split"+s]++
	if s == "" {
		return "none", []string{}
	}
	return s, []string{s}
}

// Wrap is generic: its results are compared by reflection, per
// instantiation.
//
//memo:cache backend=disk codec=gob
func Wrap[T any](v T) []T {
	calls[fmt.Sprint("Wrap", v)]++
	if reflect.ValueOf(v).IsZero() {
		return []T{}
	}
	return []T{v}
}

// Unchecked is Counts with verification off: the empty slice is stored,
// and a hit serves the nil gob read back.
//
//memo:cache backend=disk codec=gob verify=false
func Unchecked(n int) []int {
	calls[fmt.Sprint("Unchecked", n)]++
	return make([]int, n)
}

var tokyo *time.Location

func main() {
	var err error
	if tokyo, err = time.LoadLocation("Asia/Tokyo"); err != nil {
		panic(err)
	}
	// A zone of its own for time.Local, whatever the machine's.
	if time.Local, err = time.LoadLocation("Europe/Paris"); err != nil {
		panic(err)
	}
	dir, err := os.MkdirTemp("", "e2everify-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	memo.Register("disk", file.Must(file.New(file.Options{Dir: dir})))
	var reports []string
	memo.Configure(memo.Config{
		Hook: func(c memo.CallInfo) {
			if c.Err != nil {
				reports = append(reports, fmt.Sprintf("%s: %s: %v", c.Func.Name, c.Outcome, c.Err))
			}
		},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})

	for pass := 1; pass <= 3; pass++ {
		fmt.Println("# pass", pass)
		show("Counts(0)", CountsCached(0), counts(0), "Counts0", CountsMemo().Contains(0))
		show("Counts(2)", CountsCached(2), counts(2), "Counts2", CountsMemo().Contains(2))
		show("Level(0)", LevelCached(0), setting(0), "Level0", LevelMemo().Contains(0))
		show("Level(3)", LevelCached(3), setting(3), "Level3", LevelMemo().Contains(3))
		show("Fetch(bin)", FetchCached("bin"), fetch("bin"), "Fetchbin", FetchMemo().Contains("bin"))
		show("Fetch(txt)", FetchCached("txt"), fetch("txt"), "Fetchtxt", FetchMemo().Contains("txt"))
		show("Schedule(Tokyo)", ScheduleCached("Tokyo"), schedule("Tokyo"), "ScheduleTokyo", ScheduleMemo().Contains("Tokyo"))
		show("Schedule(Local)", ScheduleCached("Local"), schedule("Local"), "ScheduleLocal", ScheduleMemo().Contains("Local"))
		show("Schedule(UTC)", ScheduleCached("UTC"), schedule("UTC"), "ScheduleUTC", ScheduleMemo().Contains("UTC"))
		show("Meeting(2)", MeetingCached(2), meeting(2), "Meeting2", MeetingMemo().Contains(2))
		s, parts := SplitCached("")
		show("Split()", []any{s, parts}, []any{"none", []string{}}, "Split", SplitMemo().Contains(""))
		show("Wrap(0)", WrapCached(0), []int{}, "Wrap0", WrapMemo[int]().Contains(0))
		show("Wrap(x)", WrapCached("x"), []string{"x"}, "Wrapx", WrapMemo[string]().Contains("x"))
		// The risk verify=false takes: once stored, gob's nil is served.
		fmt.Printf("%-16s = %#v calls=%d stored=%t\n", "Unchecked(0)", UncheckedCached(0), calls["Unchecked0"], UncheckedMemo().Contains(0))
	}
	fmt.Println("# counters")
	fmt.Printf("Counts:   %+v\n", CountsMemo().Stats())
	fmt.Printf("Schedule: %+v\n", ScheduleMemo().Stats())
	fmt.Printf("Wrap[int]: unstorable=%d\n", WrapMemo[int]().Stats().Unstorable)
	fmt.Println("# reported once per function")
	for _, r := range reports {
		fmt.Println(r)
	}
}

// show checks that a wrapper returned exactly what the function computes,
// nil and empty apart, and prints how often the function ran for these
// arguments and whether the result is stored.
func show(call string, got, want any, counter string, stored bool) {
	if !reflect.DeepEqual(got, want) {
		panic(fmt.Sprintf("%s = %#v; the function returns %#v", call, got, want))
	}
	fmt.Printf("%-16s ok calls=%d stored=%t\n", call, calls[counter], stored)
}
