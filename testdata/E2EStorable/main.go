// Command e2estorable shows that a byte-level backend never serves a value
// different from the one stored. Results a codec would change run uncached,
// with the reason memogen found at generation time: a type whose marshaling
// methods the codec does not call, a field tagged "-", a field hidden by
// another of the same name. A cyclic result runs uncached instead of
// overflowing the stack. And times written in one process in Tokyo are
// read in another in New York as the same instant, wall clock and zone.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/memogen/memogen/backends/file"
	memo "github.com/memogen/memogen/runtime"
)

var calls = map[string]int{}

// Money marshals itself for JSON only; msgpack ignores those methods.
type Money struct{ cents int }

// MarshalJSON writes the cents.
func (m Money) MarshalJSON() ([]byte, error) { return json.Marshal(m.cents) }

// UnmarshalJSON reads them back.
func (m *Money) UnmarshalJSON(b []byte) error { return json.Unmarshal(b, &m.cents) }

// Price would come back as Money{0} from msgpack.
//
//memo:cache backend=disk
func Price(id int) Money {
	calls["Price"]++
	return Money{cents: 100 * id}
}

// PriceJSON is stored as JSON, by Money's own methods.
//
//memo:cache backend=disk codec=json
func PriceJSON(id int) Money {
	calls["PriceJSON"]++
	return Money{cents: 100 * id}
}

// Version marshals itself in binary; json ignores those methods.
type Version struct{ n int }

// MarshalBinary writes the number.
func (v Version) MarshalBinary() ([]byte, error) { return []byte(strconv.Itoa(v.n)), nil }

// UnmarshalBinary reads it back.
func (v *Version) UnmarshalBinary(b []byte) (err error) {
	v.n, err = strconv.Atoi(string(b))
	return err
}

// Release would come back as Version{0} from json.
//
//memo:cache backend=disk codec=json
func Release(n int) Version {
	calls["Release"]++
	return Version{n: n}
}

// User keeps its password hash out of JSON.
type User struct {
	Name         string
	PasswordHash string `json:"-"`
}

// LoadUser would come back without its hash from json.
//
//memo:cache backend=disk codec=json
func LoadUser(name string) User {
	calls["LoadUser"]++
	return User{Name: name, PasswordHash: "h(" + name + ")"}
}

// Session keeps its token out of MessagePack.
type Session struct {
	ID    int
	Token string `msgpack:"-"`
}

// Open would come back without its token from msgpack.
//
//memo:cache backend=disk
func Open(id int) Session {
	calls["Open"]++
	return Session{ID: id, Token: "t" + strconv.Itoa(id)}
}

// Base is embedded by Item, whose own ID hides Base's.
type Base struct{ ID int }

// Item has two fields named ID.
type Item struct {
	Base
	ID string
}

// ItemJSON would come back without Base.ID from json.
//
//memo:cache backend=disk codec=json
func ItemJSON(n int) Item {
	calls["ItemJSON"]++
	return Item{Base: Base{ID: n}, ID: "x" + strconv.Itoa(n)}
}

// ItemMsgpack would come back without Base.ID from msgpack, which writes
// both and reads them into one.
//
//memo:cache backend=disk
func ItemMsgpack(n int) Item {
	calls["ItemMsgpack"]++
	return Item{Base: Base{ID: n}, ID: "x" + strconv.Itoa(n)}
}

// ItemGob is stored: gob keeps an embedded struct as a field of its own.
//
//memo:cache backend=disk codec=gob
func ItemGob(n int) Item {
	calls["ItemGob"]++
	return Item{Base: Base{ID: n}, ID: "x" + strconv.Itoa(n)}
}

// Node is a doubly linked list node.
type Node struct {
	Val        int
	Prev, Next *Node
}

// list returns a list of n nodes, doubly linked, so cyclic, when doubly.
func list(n int, doubly bool) *Node {
	head := &Node{Val: 1}
	last := head
	for i := 2; i <= n; i++ {
		last.Next = &Node{Val: i}
		if doubly {
			last.Next.Prev = last
		}
		last = last.Next
	}
	return head
}

// String lists the values, joined by ⇄ where the next node links back.
func (n *Node) String() string {
	var b strings.Builder
	for ; n != nil; n = n.Next {
		b.WriteString(strconv.Itoa(n.Val))
		switch {
		case n.Next == nil:
		case n.Next.Prev == n:
			b.WriteString("⇄")
		default:
			b.WriteString("→")
		}
	}
	return b.String()
}

// Chain returns a doubly linked list, which msgpack would follow forever,
// or a singly linked one, which it stores.
//
//memo:cache backend=disk
func Chain(n int, doubly bool) *Node {
	calls["Chain"]++
	return list(n, doubly)
}

// ChainGob is Chain with gob, which would follow it forever too.
//
//memo:cache backend=disk codec=gob
func ChainGob(n int, doubly bool) *Node {
	calls["ChainGob"]++
	return list(n, doubly)
}

// Schedule holds one instant in four zones.
type Schedule struct {
	Local, Named, UTC, Fixed time.Time
	Nested                   map[string][]*time.Time
}

// Meeting is computed in the local zone of the process that runs it.
//
//memo:cache backend=disk
func Meeting(id int) Schedule {
	calls["Meeting"]++
	at := time.Date(2024, 2, 29, 18, 4, 5, 123, time.UTC).Add(time.Duration(id) * time.Hour)
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		panic(err)
	}
	local := at.Local()
	return Schedule{Local: local, Named: at.In(ny), UTC: at, Fixed: at.In(time.FixedZone("XYZ", 3600)), Nested: map[string][]*time.Time{"local": {&local}}}
}

// The program runs itself again as the writer and readers of Meeting's
// entry, in other zones.
const (
	roleEnv = "E2ESTORABLE_ROLE"
	dirEnv  = "E2ESTORABLE_DIR"
)

func main() {
	dir := os.Getenv(dirEnv)
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "e2estorable-"); err != nil {
			panic(err)
		}
		defer os.RemoveAll(dir)
	}
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
	switch os.Getenv(roleEnv) {
	case "meeting":
		s := MeetingCached(1)
		fmt.Printf("  calls=%d hits=%d\n", calls["Meeting"], MeetingMemo().Stats().Hits)
		for _, t := range []struct {
			name string
			t    time.Time
		}{{"Local", s.Local}, {"Named", s.Named}, {"UTC", s.UTC}, {"Fixed", s.Fixed}, {"Nested", *s.Nested["local"][0]}} {
			fmt.Printf("  %-6s %s in %q, time.Local: %t\n", t.name, t.t.Format("2006-01-02 15:04:05.000000000 -07:00 MST"), t.t.Location(), t.t.Location() == time.Local)
		}
		return
	}

	for pass := 1; pass <= 2; pass++ {
		fmt.Println("# pass", pass)
		fmt.Printf("Price(4)       = %+v calls=%d\n", PriceCached(4), calls["Price"])
		fmt.Printf("PriceJSON(4)   = %+v calls=%d\n", PriceJSONCached(4), calls["PriceJSON"])
		fmt.Printf("Release(3)     = %+v calls=%d\n", ReleaseCached(3), calls["Release"])
		fmt.Printf("LoadUser(ada)  = %+v calls=%d\n", LoadUserCached("ada"), calls["LoadUser"])
		fmt.Printf("Open(5)        = %+v calls=%d\n", OpenCached(5), calls["Open"])
		fmt.Printf("ItemJSON(7)    = %+v calls=%d\n", ItemJSONCached(7), calls["ItemJSON"])
		fmt.Printf("ItemMsgpack(7) = %+v calls=%d\n", ItemMsgpackCached(7), calls["ItemMsgpack"])
		fmt.Printf("ItemGob(7)     = %+v calls=%d\n", ItemGobCached(7), calls["ItemGob"])
		fmt.Printf("Chain(3, ⇄)    = %v calls=%d\n", ChainCached(3, true), calls["Chain"])
		fmt.Printf("Chain(3, →)    = %v calls=%d\n", ChainCached(3, false), calls["Chain"])
		fmt.Printf("ChainGob(3, ⇄) = %v calls=%d\n", ChainGobCached(3, true), calls["ChainGob"])
		fmt.Printf("ChainGob(3, →) = %v calls=%d\n", ChainGobCached(3, false), calls["ChainGob"])
	}
	fmt.Println("# reported")
	for _, r := range reports {
		fmt.Println(r)
	}

	fmt.Println("# Meeting(1) computed in Tokyo")
	run(dir, "Asia/Tokyo")
	fmt.Println("# Meeting(1) read from its file in New York")
	run(dir, "America/New_York")
	fmt.Println("# Meeting(1) read from its file in Tokyo")
	run(dir, "Asia/Tokyo")
}

// run runs the program again in the zone tz, sharing the cache directory.
func run(dir, tz string) {
	exe, err := os.Executable()
	if err != nil {
		panic(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), roleEnv+"=meeting", dirEnv+"="+dir, "TZ="+tz)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		panic(err)
	}
}
