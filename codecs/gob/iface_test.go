package gob

import (
	"encoding/gob"
	"fmt"
	"reflect"
	"testing"

	"github.com/memogen/memogen/runtime/store"
)

type (
	Shape  interface{ Area() float64 }
	Rect   struct{ W, H float64 }
	Circle struct{ R float64 }
	// Labeled holds an interface whose concrete types are met inside it.
	Labeled struct {
		Label string
		Of    any
	}
)

func (r Rect) Area() float64   { return r.W * r.H }
func (c Circle) Area() float64 { return 3 * c.R * c.R }

func init() {
	gob.Register(Rect{})
	gob.Register(Circle{})
	gob.Register(Labeled{})
}

// roundTripLimited encodes v, decodes it within the limits of a 4 MiB
// entry and returns what came back.
func roundTripLimited[T any](t *testing.T, v T) T {
	t.Helper()
	data, err := Codec{}.Marshal(v)
	if err != nil {
		t.Fatalf("Marshal(%T): %v", v, err)
	}
	var got T
	lim := store.Limits{MaxBytes: 4 << 20, MaxAlloc: store.DecodeAllocFactor << 22}
	if err := store.UnmarshalLimited(Codec{}, data, &got, lim); err != nil {
		t.Fatalf("UnmarshalLimited(Marshal(%T), %d bytes in %d messages) = %v", v, len(data), len(messages(t, data)), err)
	}
	return got
}

// The encoder writes the definition of a type met inside an interface as
// a message of its own, which ends with the value in the middle: the guard
// counts a slice's or a map's elements against the rest of the stream, not
// of that message. (It once refused a []any of 50 structs.)
func TestInterfaceValuesSpanningMessages(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 2, 11, 30, 49, 50, 51, 100, 1000, 5000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			anys := make([]any, n)
			shapes := make([]Shape, n)
			byName := make(map[string]any, n)
			nested := make([]Labeled, n)
			for i := range n {
				r := Rect{W: float64(i + 1), H: 2}
				anys[i] = r
				if i%2 == 0 {
					shapes[i] = r
				} else {
					shapes[i] = Circle{R: float64(i)}
				}
				byName[fmt.Sprint("k", i)] = r
				nested[i] = Labeled{Label: fmt.Sprint(i), Of: []any{Circle{R: float64(i)}, map[string]any{"r": r}, Labeled{Label: "in", Of: r}}}
			}
			check := func(name string, got, want any) {
				t.Helper()
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s of %d: got %v; want %v", name, n, got, want)
				}
			}
			check("[]any", roundTripLimited(t, anys), anys)
			check("[]Shape", roundTripLimited(t, shapes), shapes)
			check("map[string]any", roundTripLimited(t, byName), byName)
			check("[]Labeled", roundTripLimited(t, nested), nested)
			var one any = anys
			check("any holding []any", roundTripLimited(t, &one), &one)
		})
	}
}
