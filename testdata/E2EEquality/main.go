// Command e2eequality stores results of many shapes in files, under each
// codec, and shows that the generated comparisons find a round trip equal
// wherever it is (recursive values, maps of pointers, arrays, NaN, values that
// marshal themselves, another package's types with unexported fields), so that
// verification costs no caching, and unequal where a codec loses something the
// types do not show (a struct embedding a time.Time, whose other fields json
// drops; -0 under a codec that loses its sign).
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/big"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/memogen/memogen/backends/file"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/store"
)

var calls = map[string]int{}

// Node is a recursive list.
type Node struct {
	Val  float64
	Next *Node
}

// List returns n nodes, the first holding NaN, which msgpack keeps.
//
//memo:cache backend=disk
func List(n int) *Node {
	calls["List"]++
	var head *Node
	for i := n; i > 0; i-- {
		head = &Node{Val: float64(i), Next: head}
	}
	head.Val = math.NaN()
	return head
}

// Tree is recursive through a slice and a map.
type Tree struct {
	Name  string
	Kids  []Tree
	Index map[string]*Tree
	Grid  [2][2]int8
	Ratio complex128
	Empty struct{}
	Set   map[int]struct{}
}

// Grow returns a tree two levels deep.
//
//memo:cache backend=disk codec=gob
func Grow(name string) Tree {
	calls["Grow"]++
	leaf := Tree{Name: name + ".leaf", Grid: [2][2]int8{{1, 2}, {3, 4}}, Ratio: complex(1, -2), Set: map[int]struct{}{7: {}}}
	return Tree{Name: name, Kids: []Tree{leaf, leaf}, Index: map[string]*Tree{"leaf": &leaf}}
}

// Money marshals itself, in binary and as text, keeping an unexported
// field; json uses the text form, gob and msgpack the binary one.
type Money struct{ cents int64 }

// MarshalText writes the amount in decimal.
func (m Money) MarshalText() ([]byte, error) { return []byte(strconv.FormatInt(m.cents, 10)), nil }

// UnmarshalText reads it back.
func (m *Money) UnmarshalText(b []byte) (err error) {
	m.cents, err = strconv.ParseInt(string(b), 10, 64)
	return err
}

// MarshalBinary writes the amount in hexadecimal.
func (m Money) MarshalBinary() ([]byte, error) { return []byte(strconv.FormatInt(m.cents, 16)), nil }

// UnmarshalBinary reads it back.
func (m *Money) UnmarshalBinary(b []byte) (err error) {
	m.cents, err = strconv.ParseInt(string(b), 16, 64)
	return err
}

// Account holds values of other packages: netip.Addr and big.Int have
// unexported fields and marshal themselves.
type Account struct {
	Owner   string
	Balance Money
	Debt    *big.Int
	Host    netip.Addr
	Opened  time.Time
	Limits  map[string][]Money
}

func account(owner string) Account {
	return Account{
		Owner:   owner,
		Balance: Money{cents: 1234},
		Debt:    big.NewInt(-99),
		Host:    netip.MustParseAddr("192.0.2.1"),
		Opened:  time.Date(2020, 5, 6, 7, 8, 9, 10, time.UTC),
		Limits:  map[string][]Money{"day": {{100}, {200}}},
	}
}

// AccountJSON stores an Account as JSON.
//
//memo:cache backend=disk codec=json
func AccountJSON(owner string) Account {
	calls["AccountJSON"]++
	return account(owner)
}

// AccountMsgpack stores an Account as MessagePack.
//
//memo:cache backend=disk
func AccountMsgpack(owner string) Account {
	calls["AccountMsgpack"]++
	return account(owner)
}

// AccountGob stores an Account with gob.
//
//memo:cache backend=disk codec=gob+gzip
func AccountGob(owner string) Account {
	calls["AccountGob"]++
	return account(owner)
}

// Label marshals itself for json only; msgpack encodes its field, so each
// codec gets a comparison of its own.
type Label struct{ Text string }

// MarshalJSON writes the text with a prefix.
func (l Label) MarshalJSON() ([]byte, error) { return json.Marshal("label:" + l.Text) }

// UnmarshalJSON reads it back.
func (l *Label) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	l.Text = strings.TrimPrefix(s, "label:")
	return nil
}

// Tagged holds labels: its comparison differs by codec too.
type Tagged struct {
	Main  Label
	Extra map[string]Label
}

// LabelJSON and LabelMsgpack store the same labels with two codecs.
//
//memo:cache backend=disk codec=json
func LabelJSON(text string) Tagged {
	calls["LabelJSON"]++
	return Tagged{Main: Label{text}, Extra: map[string]Label{"up": {text + "!"}}}
}

// LabelMsgpack is LabelJSON in MessagePack.
//
//memo:cache backend=disk codec=msgpack
func LabelMsgpack(text string) Tagged {
	calls["LabelMsgpack"]++
	return Tagged{Main: Label{text}, Extra: map[string]Label{"up": {text + "!"}}}
}

// Stamped embeds a time.Time, whose MarshalJSON it gets: json writes the
// time alone and drops Note.
type Stamped struct {
	time.Time
	Note string
}

// Stamp returns a note with a time.
//
//memo:cache backend=disk codec=json
func Stamp(note string) Stamped {
	calls["Stamp"]++
	return Stamped{Time: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), Note: note}
}

// signless is a codec of the user's own that loses the sign of zero: it
// writes floats with %g and reads back with Atof, except that it drops a
// leading minus from zero. The line below declares it to memogen.
//
//memo:codec signless
type signless struct{}

func (signless) Marshal(v any) ([]byte, error) {
	f, ok := v.(float64)
	if !ok {
		return nil, errors.New("signless: not a float64")
	}
	return []byte(strings.TrimPrefix(strconv.FormatFloat(f, 'g', -1, 64), "-0")), nil
}

func (signless) Unmarshal(data []byte, v any) error {
	if len(data) == 0 {
		data = []byte("0")
	}
	f, err := strconv.ParseFloat(string(data), 64)
	*v.(*float64) = f
	return err
}

// Ratio returns x/y, -0 for -0/1.
//
//memo:cache backend=disk codec=signless
func Ratio(x, y float64) float64 {
	calls[fmt.Sprint("Ratio", x)]++
	return x / y
}

func main() {
	dir, err := os.MkdirTemp("", "e2eequality-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	memo.Register("disk", file.Must(file.New(file.Options{Dir: dir})))
	store.RegisterCodec("signless", signless{})
	var reports []string
	memo.Configure(memo.Config{
		Hook: func(c memo.CallInfo) {
			if c.Err != nil {
				reports = append(reports, fmt.Sprintf("%s: %s: %v", c.Func.Name, c.Outcome, c.Err))
			}
		},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	negZero := math.Copysign(0, -1)

	for pass := 1; pass <= 2; pass++ {
		fmt.Println("# pass", pass)
		l := ListCached(3)
		fmt.Printf("List(3)          = NaN→%v→%v calls=%d\n", l.Next.Val, l.Next.Next.Val, calls["List"])
		tr := GrowCached("t")
		fmt.Printf("Grow(t)          = %s %v %v calls=%d\n", tr.Name, tr.Kids[1].Grid, tr.Index["leaf"].Ratio, calls["Grow"])
		for _, c := range []struct {
			name string
			get  func(string) Account
		}{{"AccountJSON", AccountJSONCached}, {"AccountMsgpack", AccountMsgpackCached}, {"AccountGob", AccountGobCached}} {
			a := c.get("ada")
			fmt.Printf("%-19s = %s %d %v %v %v calls=%d\n", c.name+"(ada)", a.Owner, a.Balance.cents, a.Debt, a.Host, a.Limits["day"], calls[c.name])
		}
		fmt.Printf("LabelJSON(x)     = %v calls=%d\n", LabelJSONCached("x"), calls["LabelJSON"])
		fmt.Printf("LabelMsgpack(x)  = %v calls=%d\n", LabelMsgpackCached("x"), calls["LabelMsgpack"])
		s := StampCached("lunch")
		fmt.Printf("Stamp(lunch)     = %q calls=%d\n", s.Note, calls["Stamp"])
		fmt.Printf("Ratio(1, 4)      = %v calls=%d\n", RatioCached(1, 4), calls["Ratio1"])
		fmt.Printf("Ratio(-0, 1)     = %v calls=%d\n", RatioCached(negZero, 1), calls["Ratio-0"])
	}
	fmt.Println("# reported")
	for _, r := range reports {
		fmt.Println(r)
	}
}
