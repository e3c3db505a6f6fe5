// Command e2eunstorable binds a file backend and shows that a function whose
// results would not survive the codec (an unexported field, an interface, a
// func) runs uncached there, with the reason reported once, while storable
// results, recursive and self-marshaling ones included, are served from
// files. The in-memory backend keeps values as they are and caches both.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/memogen/memogen/backends/file"
	memo "github.com/memogen/memogen/runtime"
)

var calls = map[string]int{}

// Res has an unexported field, which codecs drop.
type Res struct {
	Public int
	c      int
}

// Secret's results lose their field c in a file.
//
//memo:cache backend=disk
func Secret(n int) Res {
	calls["Secret"]++
	return Res{Public: n, c: -n}
}

// Kept is Secret in the in-memory backend, where nothing is encoded.
//
//memo:cache
func Kept(n int) Res {
	calls["Kept"]++
	return Res{Public: n, c: -n}
}

// Shape returns an interface, whose dynamic type JSON would lose.
//
//memo:cache backend=disk codec=json
func Shape(n int) fmt.Stringer {
	calls["Shape"]++
	return label(strconv.Itoa(n))
}

type label string

func (l label) String() string { return string(l) }

// Counter returns a func, which no codec stores.
//
//memo:cache backend=disk
func Counter(n int) (func() int, error) {
	calls["Counter"]++
	return func() int { return n }, nil
}

// Tree is recursive, and an unexported field hides a level down.
type Tree struct {
	Kids []Tree
	Meta *Meta
}

// Meta has an unexported field.
type Meta struct{ label string }

// Grow's results lose Meta.label in a file.
//
//memo:cache backend=disk
func Grow(n int) Tree {
	calls["Grow"]++
	return Tree{Kids: make([]Tree, n), Meta: &Meta{label: "root"}}
}

// Node is recursive and storable.
type Node struct {
	Val  int
	Next *Node
}

// String lists the values, head first.
func (n *Node) String() string {
	var parts []string
	for ; n != nil; n = n.Next {
		parts = append(parts, strconv.Itoa(n.Val))
	}
	return strings.Join(parts, "→")
}

// Chain is served from its files.
//
//memo:cache backend=disk
func Chain(n int) *Node {
	calls["Chain"]++
	var head *Node
	for i := n; i > 0; i-- {
		head = &Node{Val: i, Next: head}
	}
	return head
}

// Stamp has an unexported field but marshals itself.
type Stamp struct{ at string }

// MarshalJSON writes the unexported field.
func (s Stamp) MarshalJSON() ([]byte, error) { return json.Marshal(s.at) }

// UnmarshalJSON reads it back.
func (s *Stamp) UnmarshalJSON(b []byte) error { return json.Unmarshal(b, &s.at) }

// Stamped is served from its files, by Stamp's own methods.
//
//memo:cache backend=disk codec=json
func Stamped(n int) Stamp {
	calls["Stamped"]++
	return Stamp{at: "t" + strconv.Itoa(n)}
}

// Packed has an unexported field but marshals itself in binary.
type Packed struct{ n int }

// MarshalBinary writes the unexported field.
func (p Packed) MarshalBinary() ([]byte, error) { return []byte(strconv.Itoa(p.n)), nil }

// UnmarshalBinary reads it back.
func (p *Packed) UnmarshalBinary(b []byte) error {
	n, err := strconv.Atoi(string(b))
	p.n = n
	return err
}

// Pack is served from its files, by Packed's own methods; time.Time and
// maps of storable values are storable too.
//
//memo:cache backend=disk
func Pack(n int) (Packed, map[string]time.Time) {
	calls["Pack"]++
	return Packed{n: n}, map[string]time.Time{"epoch": time.Unix(0, 0).UTC()}
}

// Pipes returns channels inside a map.
//
//memo:cache backend=disk
func Pipes(n int) map[string]chan int {
	calls["Pipes"]++
	return map[string]chan int{"in": nil}
}

// Gobbed returns an interface, which gob keeps (for registered types): its
// FuncInfo has no Unstorable.
//
//memo:cache backend=disk codec=gob
func Gobbed(n int) fmt.Stringer { return label(strconv.Itoa(n)) }

// Same's result type is known only when it is called: it is taken as
// storable.
//
//memo:cache backend=disk
func Same[T any](v T) T { return v }

func main() {
	dir, err := os.MkdirTemp("", "e2eunstorable-")
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

	for pass := 1; pass <= 2; pass++ {
		fmt.Println("# pass", pass)
		fmt.Printf("Secret(1)  = %+v calls=%d\n", SecretCached(1), calls["Secret"])
		fmt.Printf("Kept(1)    = %+v calls=%d\n", KeptCached(1), calls["Kept"])
		fmt.Printf("Shape(2)   = %v calls=%d\n", ShapeCached(2), calls["Shape"])
		f, _ := CounterCached(3)
		fmt.Printf("Counter(3) = %d calls=%d\n", f(), calls["Counter"])
		t := GrowCached(2)
		fmt.Printf("Grow(2)    = %d kids, %q calls=%d\n", len(t.Kids), t.Meta.label, calls["Grow"])
		fmt.Printf("Chain(3)   = %v calls=%d\n", ChainCached(3), calls["Chain"])
		fmt.Printf("Stamped(4) = %q calls=%d\n", StampedCached(4).at, calls["Stamped"])
		p, times := PackCached(5)
		fmt.Printf("Pack(5)    = %d, %v calls=%d\n", p.n, times, calls["Pack"])
		fmt.Printf("Pipes(6)   = %d pipes calls=%d\n", len(PipesCached(6)), calls["Pipes"])
	}
	fmt.Println("# reported once per function")
	for _, r := range reports {
		fmt.Println(r)
	}
}
