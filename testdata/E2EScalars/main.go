// Command e2escalars keys every scalar kind, named types, aliases and
// time.Time; execution counters prove which calls ran the function.
package main

import (
	"fmt"
	"time"
)

var calls = map[string]int{}

// Ints takes every signed integer kind.
//
//memo:cache
func Ints(a int, b int8, c int16, d int32, e int64, r rune) string {
	calls["Ints"]++
	return fmt.Sprint(a, b, c, d, e, r)
}

// Uints takes every unsigned integer kind.
//
//memo:cache
func Uints(a uint, b uint8, c uint16, d uint32, e uint64, p uintptr, y byte) string {
	calls["Uints"]++
	return fmt.Sprint(a, b, c, d, e, p, y)
}

// Floats takes both float and both complex kinds.
//
//memo:cache
func Floats(f32 float32, f64 float64, c64 complex64, c128 complex128) string {
	calls["Floats"]++
	return fmt.Sprint(f32, f64, c64, c128)
}

// Text takes a bool, a string and bytes.
//
//memo:cache
func Text(b bool, s string, raw []byte) string {
	calls["Text"]++
	return fmt.Sprintf("%t %q %q", b, s, raw)
}

// Arrays takes arrays of scalars, of bytes and of arrays.
//
//memo:cache
func Arrays(xs [3]int, digest [4]byte, grid [2][2]bool) int {
	calls["Arrays"]++
	return xs[0] + xs[1] + xs[2] + int(digest[0])
}

// ID is a named integer.
type ID int64

// Label is a named string.
type Label string

// Flag is a named bool.
type Flag bool

// Ratio is a named float.
type Ratio float32

// Blob is a named byte slice.
type Blob []byte

// Count is an alias of a named type.
type Count = ID

// Name is an alias of a basic type.
type Name = string

// Named takes named types and aliases of each.
//
//memo:cache
func Named(id ID, l Label, f Flag, r Ratio, b Blob, c Count, n Name) string {
	calls["Named"]++
	return fmt.Sprint(id, l, f, r, len(b), c, n)
}

// When takes a time.Time.
//
//memo:cache
func When(t time.Time) string {
	calls["When"]++
	return t.UTC().Format(time.RFC3339)
}

func main() {
	show := func(what string, got any, fn string) {
		fmt.Printf("%-34s = %-28v calls=%d\n", what, got, calls[fn])
	}

	fmt.Println("# signed integers")
	show("Ints(1,2,3,4,5,'x')", IntsCached(1, 2, 3, 4, 5, 'x'), "Ints")
	show("Ints(1,2,3,4,5,'x') again", IntsCached(1, 2, 3, 4, 5, 'x'), "Ints")
	show("Ints(-1,-2,-3,-4,-5,'y')", IntsCached(-1, -2, -3, -4, -5, 'y'), "Ints")
	show("Ints(1,2,3,4,6,'x')", IntsCached(1, 2, 3, 4, 6, 'x'), "Ints")
	show("Ints(max values)", IntsCached(1<<62, 127, 32767, 1<<31-1, 1<<63-1, 'x'), "Ints")

	fmt.Println("# unsigned integers")
	show("Uints(1..7)", UintsCached(1, 2, 3, 4, 5, 6, 7), "Uints")
	show("Uints(1..7) again", UintsCached(1, 2, 3, 4, 5, 6, 7), "Uints")
	show("Uints(max values)", UintsCached(1<<64-1, 255, 65535, 1<<32-1, 1<<64-1, 1, 255), "Uints")
	show("Uints(1..6, 8)", UintsCached(1, 2, 3, 4, 5, 6, 8), "Uints")

	fmt.Println("# floats and complex")
	show("Floats(1.5, 2.5, 1+2i, 3+4i)", FloatsCached(1.5, 2.5, 1+2i, 3+4i), "Floats")
	show("Floats(1.5, 2.5, 1+2i, 3+4i) again", FloatsCached(1.5, 2.5, 1+2i, 3+4i), "Floats")
	show("Floats(1.5, 2.5, 2+1i, 3+4i)", FloatsCached(1.5, 2.5, 2+1i, 3+4i), "Floats")
	var zero float64
	negZero := -zero
	show("Floats(0, -0, 0, 0)", FloatsCached(0, negZero, 0, 0), "Floats")
	show("Floats(0, +0, 0, 0): -0 differs", FloatsCached(0, 0, 0, 0), "Floats")
	nan := zero / zero
	show("Floats(0, NaN, 0, 0)", FloatsCached(0, nan, 0, 0), "Floats")
	show("Floats(0, NaN, 0, 0): NaNs equal", FloatsCached(0, -nan, 0, 0), "Floats")

	fmt.Println("# bool, string, bytes")
	show("Text(true, a, ab)", TextCached(true, "a", []byte("ab")), "Text")
	show("Text(true, a, ab) again", TextCached(true, "a", []byte("ab")), "Text")
	show("Text(false, a, ab)", TextCached(false, "a", []byte("ab")), "Text")
	show("Text(true, ab, nil)", TextCached(true, "ab", nil), "Text")
	show("Text(true, ab, empty): nil = empty", TextCached(true, "ab", []byte{}), "Text")
	show("Text(true, a, b): no ambiguity", TextCached(true, "a", []byte("b")), "Text")

	fmt.Println("# arrays")
	show("Arrays([1 2 3], [9 0 0 0], ..)", ArraysCached([3]int{1, 2, 3}, [4]byte{9}, [2][2]bool{{true}}), "Arrays")
	show("Arrays(same) again", ArraysCached([3]int{1, 2, 3}, [4]byte{9}, [2][2]bool{{true}}), "Arrays")
	show("Arrays(grid differs)", ArraysCached([3]int{1, 2, 3}, [4]byte{9}, [2][2]bool{{false, true}}), "Arrays")
	show("Arrays(digest differs)", ArraysCached([3]int{1, 2, 3}, [4]byte{9, 1}, [2][2]bool{{true}}), "Arrays")

	fmt.Println("# named types and aliases")
	show("Named(1, a, true, 0.5, x, 2, n)", NamedCached(1, "a", true, 0.5, Blob("x"), 2, "n"), "Named")
	show("Named(same) again", NamedCached(ID(1), Label("a"), Flag(true), Ratio(0.5), []byte("x"), Count(2), Name("n")), "Named")
	show("Named(count 3)", NamedCached(1, "a", true, 0.5, Blob("x"), 3, "n"), "Named")

	fmt.Println("# time.Time: instant, location and offset")
	utc := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	paris := utc.In(time.FixedZone("CET", 3600))
	show("When(12:00 UTC)", WhenCached(utc), "When")
	show("When(12:00 UTC) again", WhenCached(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)), "When")
	show("When(same instant in CET)", WhenCached(paris), "When")
	show("When(same instant in CET) again", WhenCached(paris), "When")
	show("When(12:00 UTC + 1ns)", WhenCached(utc.Add(1)), "When")
	withMono := time.Now()
	show("When(now) with monotonic clock", WhenCached(withMono) != "", "When")
	show("When(now) stripped: mono ignored", WhenCached(withMono.Round(0)) != "", "When")
}
