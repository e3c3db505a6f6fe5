// Command e2ekeyers keys values by their own MemoKey and MarshalBinary
// methods, directly, inside other values and through interfaces; execution
// counters prove which calls ran the function.
package main

import (
	"encoding/binary"
	"fmt"
	"math"
	"net"
	"net/netip"
	"strings"
	"time"

	memo "github.com/memogen/memogen/runtime"
)

var calls = map[string]int{}

// User is keyed by its ID alone, by a value method.
type User struct {
	ID    int
	Cache map[string]any // not part of the identity, and not keyable
}

// MemoKey writes the ID.
func (u User) MemoKey(w *memo.KeyWriter) { w.Int(int64(u.ID)) }

// Session is keyed by its token, by a pointer method.
type Session struct {
	Token string
	Conn  chan int // not keyable
}

// MemoKey writes the token.
func (s *Session) MemoKey(w *memo.KeyWriter) { w.Text(s.Token) }

// Greet takes values with key methods of both receiver kinds.
//
//memo:cache
func Greet(u User, s Session) string {
	calls["Greet"]++
	return fmt.Sprintf("%d@%s", u.ID, s.Token)
}

// Audit takes pointers to them, and holds them in a slice and a map.
//
//memo:cache
func Audit(u *User, s *Session, all []Session, by map[string]User) int {
	calls["Audit"]++
	return len(all) + len(by)
}

// Celsius has a MarshalBinary method with a value receiver, but is keyed by
// its value, as every number is: the method rounds, and the function tells
// 21.5 from 21.54.
type Celsius float64

// MarshalBinary writes the temperature rounded to a tenth of a degree.
func (c Celsius) MarshalBinary() ([]byte, error) {
	return binary.AppendVarint(nil, int64(math.Round(float64(c)*10))), nil
}

// Span is keyed by MarshalBinary with a pointer receiver.
type Span struct{ From, To int }

// MarshalBinary writes the span's length only; the key also writes the
// exported fields, so {0 10} and {5 15} make two keys.
func (s *Span) MarshalBinary() ([]byte, error) {
	return binary.AppendVarint(nil, int64(s.To-s.From)), nil
}

// Address is a string type whose MarshalText lower-cases: keyed by its
// value, not by the method, which prints two addresses alike.
type Address string

// MarshalText writes the address in lower case.
func (a Address) MarshalText() ([]byte, error) { return []byte(strings.ToLower(string(a))), nil }

// Greeting tells addresses that differ in case apart, and net.IP's 4- and
// 16-byte forms of one address, which its AppendText prints alike.
//
//memo:cache
func Greeting(a Address, ip net.IP) string {
	calls["Greeting"]++
	return fmt.Sprintf("Hello %s (%d bytes)", a, len(ip))
}

// Climate takes BinaryMarshalers, including a standard library one.
//
//memo:cache
func Climate(t Celsius, s Span, addr netip.Addr) string {
	calls["Climate"]++
	return fmt.Sprintf("%.2f %d %s", float64(t), s.To-s.From, addr)
}

// Shape has a key method in its method set, so a Shape is keyed by it.
type Shape interface {
	Area() float64
	MemoKey(w *memo.KeyWriter)
}

// Circle is a Shape.
type Circle struct{ R float64 }

func (c Circle) Area() float64              { return math.Pi * c.R * c.R }
func (c Circle) MemoKey(w *memo.KeyWriter)  { w.Float(c.R) }
func (s *Square) Area() float64             { return s.Side * s.Side }
func (s *Square) MemoKey(w *memo.KeyWriter) { w.Float(s.Side) }

// Square is a Shape by pointer.
type Square struct{ Side float64 }

// Area2 takes an interface whose method set has MemoKey.
//
//memo:cache
func Area2(s Shape) string {
	calls["Area2"]++
	if s == nil {
		return "none"
	}
	return fmt.Sprintf("%T %.2f", s, s.Area())
}

// Keyed is the runtime's own Keyer interface.
//
//memo:cache
func Keyed(k memo.Keyer) string {
	calls["Keyed"]++
	return fmt.Sprintf("%T", k)
}

// Stamp embeds a time.Time, whose MarshalBinary it gets; Label must still be
// part of the key.
type Stamp struct {
	time.Time
	Label string
}

// Admin embeds User, whose MemoKey it gets; Level must still be part of the
// key.
type Admin struct {
	User
	Level int
}

// Promoted takes structs whose key methods are promoted from embedded
// fields: they are keyed by their fields, the embedded ones by their methods.
//
//memo:cache
func Promoted(s Stamp, a Admin) string {
	calls["Promoted"]++
	return fmt.Sprintf("%s %d/%d", s.Label, a.ID, a.Level)
}

func main() {
	show := func(what string, got any, fn string) {
		fmt.Printf("%-44s = %-16v calls=%d\n", what, got, calls[fn])
	}

	fmt.Println("# MemoKey: value and pointer receivers")
	show("Greet({1}, {t})", GreetCached(User{ID: 1}, Session{Token: "t"}), "Greet")
	show("Greet({1 cache}, {t conn}): extra state ignored", GreetCached(User{ID: 1, Cache: map[string]any{"x": 1}}, Session{Token: "t", Conn: make(chan int)}), "Greet")
	show("Greet({2}, {t})", GreetCached(User{ID: 2}, Session{Token: "t"}), "Greet")
	show("Greet({1}, {u})", GreetCached(User{ID: 1}, Session{Token: "u"}), "Greet")

	fmt.Println("# MemoKey inside pointers, slices and maps")
	show("Audit(nil, nil, nil, nil)", AuditCached(nil, nil, nil, nil), "Audit")
	show("Audit(&{0}, nil, nil, nil): differs from nil", AuditCached(&User{}, nil, nil, nil), "Audit")
	show("Audit(&{1}, &{t}, [{a} {b}], {x:{1}})", AuditCached(&User{ID: 1}, &Session{Token: "t"}, []Session{{Token: "a"}, {Token: "b"}}, map[string]User{"x": {ID: 1}}), "Audit")
	show("Audit(same) again", AuditCached(&User{ID: 1}, &Session{Token: "t"}, []Session{{Token: "a"}, {Token: "b"}}, map[string]User{"x": {ID: 1}}), "Audit")
	show("Audit(.., {x:{2}})", AuditCached(&User{ID: 1}, &Session{Token: "t"}, []Session{{Token: "a"}, {Token: "b"}}, map[string]User{"x": {ID: 2}}), "Audit")

	fmt.Println("# encoding.BinaryMarshaler")
	ip := netip.MustParseAddr("192.0.2.1")
	show("Climate(21.5, {0 10}, 192.0.2.1)", ClimateCached(21.5, Span{0, 10}, ip), "Climate")
	show("Climate(21.54, {0 10}, ..): keyed by value", ClimateCached(21.54, Span{0, 10}, ip), "Climate")
	show("Climate(21.5, {5 15}, ..): fields differ", ClimateCached(21.5, Span{5, 15}, ip), "Climate")
	show("Climate(21.6, {0 10}, ..)", ClimateCached(21.6, Span{0, 10}, ip), "Climate")
	show("Climate(21.5, {0 11}, ..)", ClimateCached(21.5, Span{0, 11}, ip), "Climate")
	show("Climate(21.5, {0 10}, 192.0.2.2)", ClimateCached(21.5, Span{0, 10}, netip.MustParseAddr("192.0.2.2")), "Climate")

	fmt.Println("# strings, numbers and byte slices are keyed by value, whatever their methods print")
	ip4 := net.ParseIP("192.0.2.1").To4()
	show("Greeting(Ann@Example.com, 4-byte ip)", GreetingCached("Ann@Example.com", ip4), "Greeting")
	show("Greeting(ann@example.com, 4-byte ip)", GreetingCached("ann@example.com", ip4), "Greeting")
	show("Greeting(ann@example.com, 16-byte ip)", GreetingCached("ann@example.com", ip4.To16()), "Greeting")
	show("Greeting(ann@example.com, 16-byte ip) again", GreetingCached("ann@example.com", ip4.To16()), "Greeting")

	fmt.Println("# key methods promoted from embedded fields do not hide the other fields")
	noon := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	show("Promoted({noon a}, {{1} 1})", PromotedCached(Stamp{noon, "a"}, Admin{User{ID: 1}, 1}), "Promoted")
	show("Promoted({noon a}, {{1} 1}) again", PromotedCached(Stamp{noon, "a"}, Admin{User{ID: 1}, 1}), "Promoted")
	show("Promoted({noon b}, {{1} 1})", PromotedCached(Stamp{noon, "b"}, Admin{User{ID: 1}, 1}), "Promoted")
	show("Promoted({noon a}, {{1} 2})", PromotedCached(Stamp{noon, "a"}, Admin{User{ID: 1}, 2}), "Promoted")
	show("Promoted({noon a}, {{2} 1})", PromotedCached(Stamp{noon, "a"}, Admin{User{ID: 2}, 1}), "Promoted")
	show("Promoted({noon+1s a}, {{1} 1})", PromotedCached(Stamp{noon.Add(time.Second), "a"}, Admin{User{ID: 1}, 1}), "Promoted")

	fmt.Println("# interfaces with MemoKey: the dynamic type is part of the key")
	show("Area2(nil)", Area2Cached(nil), "Area2")
	show("Area2(nil) again", Area2Cached(nil), "Area2")
	show("Area2(Circle{1})", Area2Cached(Circle{1}), "Area2")
	show("Area2(Circle{1}) again", Area2Cached(Circle{1}), "Area2")
	show("Area2(&Square{1}): same MemoKey, other type", Area2Cached(&Square{1}), "Area2")
	show("Area2(&Square{1}) again", Area2Cached(&Square{1}), "Area2")
	show("Area2(&Square{2})", Area2Cached(&Square{2}), "Area2")
	show("Keyed(User{1})", KeyedCached(User{ID: 1}), "Keyed")
	show("Keyed(&User{1}): other type", KeyedCached(&User{ID: 1}), "Keyed")
	show("Keyed(&Session{x})", KeyedCached(&Session{Token: "x"}), "Keyed")
	show("Keyed(User{1}) again", KeyedCached(User{ID: 1}), "Keyed")
}
