package memoimpl

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// A Diff looks for the first difference between a result and the value its
// encoding decodes to, before a byte-level backend stores it (see
// [FuncInfo.Equal]). It is for generated code: memogen emits, for each
// result type, a function
//
//	func(d *memoimpl.Diff, a, b *R) bool
//
// that compares a, the result, with b, what its encoding decodes to, and
// returns true when they are equal. On the first difference it records
// what differs with [Diff.Differ] (or a helper that does) and returns
// false; each caller on the way up prepends where with [Diff.At]. Nothing
// is formatted unless a difference is found.
//
// Equality is stricter than ==, as a round trip must be:
//   - floats are equal when their values are, NaN equals NaN, and -0 differs
//     from +0 (1/x tells them apart; every built-in codec keeps the sign);
//   - a nil slice or map differs from an empty one, a nil pointer from a
//     pointer to a zero value;
//   - times are compared by [Diff.Time];
//   - a value that marshals itself for the codec, an interface, a type
//     whose fields generated code cannot read, and anything whose type is a
//     type parameter are compared by reflection, with [Diff.Reflect], under
//     these same rules, unexported fields included: a type's marshaling
//     methods are not taken at their word, since re-encoding what they
//     decoded cannot show what they lost (json.RawMessage compacted, a
//     big.Float's precision, a net.IPNet's 4-byte IP grown to 16).
type Diff struct {
	codecName  string         // the codec spec's first stage, for messages
	keepsLocal bool           // whether the codec reads a time in time.Local back in it
	local      *time.Location // time.Local; tests stand another zone in

	reason string   // what differs, once found
	path   []string // where, innermost segment first
	visits int      // calls of Visited, to start recording pairs late
	// hidden counts the unexported fields the comparison is inside. There
	// a nil slice or map equals an empty one: no caller can tell them
	// apart (a zero big.Int holds either), and refusing them would refuse
	// everyday values.
	hidden int
	seen   map[[2]any]struct{}
}

// newDiff returns a Diff for values encoded with the codec registered under
// spec.
func newDiff(spec string, keepsLocal bool) *Diff {
	name, _, _ := strings.Cut(spec, "+")
	return &Diff{codecName: name, keepsLocal: keepsLocal, local: time.Local}
}

// String returns the difference found, as "result.Tags: [] became nil",
// or "" when none was.
func (d *Diff) String() string {
	if d.reason == "" {
		return ""
	}
	var b strings.Builder
	b.WriteString("result")
	for _, seg := range slices.Backward(d.path) {
		b.WriteString(seg)
	}
	b.WriteString(": ")
	b.WriteString(d.reason)
	return b.String()
}

// Differ records that a became b at the path format and args spell
// (relative to the value being compared, "" for the value itself, such as
// ".Hash" or ".Items[%d]"), and returns false.
func (d *Diff) Differ(a, b any, format string, args ...any) bool {
	d.found(describe(a)+" became "+describe(b), format, args)
	return false
}

// At prepends a segment to the path of the difference a callee found, and
// returns false.
func (d *Diff) At(format string, args ...any) bool {
	if format != "" {
		d.path = append(d.path, fmt.Sprintf(format, args...))
	}
	return false
}

// Missing records that key, present in a map of the result, is missing
// from the decoded map, at the path format and args spell; it returns
// false.
func (d *Diff) Missing(key any, format string, args ...any) bool {
	d.found("key "+describe(key)+" is missing", format, args)
	return false
}

func (d *Diff) found(reason, format string, args []any) {
	d.reason = reason
	d.At(format, args...)
}

// SameLen reports whether slices a and b are both nil, or both not nil and
// of the same length; it records the difference when not.
func SameLen[E any](d *Diff, a, b []E) bool {
	switch {
	case (a == nil) != (b == nil):
		d.reason = describe(a) + " became " + describe(b)
	case len(a) != len(b):
		d.reason = fmt.Sprintf("%d elements became %d", len(a), len(b))
	default:
		return true
	}
	return false
}

// SameMapLen reports whether maps a and b are both nil, or both not nil
// and of the same length; it records the difference when not.
func SameMapLen[K comparable, V any](d *Diff, a, b map[K]V) bool {
	switch {
	case (a == nil) != (b == nil):
		d.reason = describe(a) + " became " + describe(b)
	case len(a) != len(b):
		d.reason = fmt.Sprintf("%d entries became %d", len(a), len(b))
	default:
		return true
	}
	return false
}

// SameNil reports whether pointers a and b are both nil or both not; it
// records the difference when not.
func SameNil[E any](d *Diff, a, b *E) bool {
	if (a == nil) == (b == nil) {
		return true
	}
	d.reason = describe(a) + " became " + describe(b)
	return false
}

// SameFloat reports whether a and b are the same float: equal, or both
// NaN, and with the same sign, so that -0 and +0 differ.
func SameFloat(a, b float64) bool {
	if a != a || b != b {
		return a != a && b != b
	}
	return a == b && math.Signbit(a) == math.Signbit(b)
}

// SameComplex reports whether the real and imaginary parts of a and b are
// the same floats (see [SameFloat]).
func SameComplex(a, b complex128) bool {
	return SameFloat(real(a), real(b)) && SameFloat(imag(a), imag(b))
}

// Time reports whether b, decoded, is the same time as a: the same
// instant, the same zone name and offset, and the same location. A codec
// that stores an offset alone reads a named zone back as an unnamed fixed
// one ("+0900 JST" becomes "+0900 +0900"), which formats, and adds
// durations across a change of offset, differently.
//
// time.Local is the zone of the process that reads the entry, not of the
// one that stored it, so a time in time.Local differs unless the codec
// keeps that zone itself (FuncInfo.KeepsLocal). A process whose time.Local
// is UTC cannot tell the two apart, and takes a time in either as UTC.
func (d *Diff) Time(a, b time.Time) bool {
	an, ao := a.Zone()
	bn, bo := b.Zone()
	switch {
	case !a.Equal(b), an != bn, ao != bo:
		d.reason = describe(a) + " became " + describe(b)
	case d.location(a) == "Local" && !d.keepsLocal:
		d.reason = fmt.Sprintf("%s is in time.Local, which %s cannot store: it would read back in another process's zone", describe(a), d.codecName)
	case d.location(a) != d.location(b) && !(d.location(a) == "Local" && d.keepsLocal):
		d.reason = fmt.Sprintf("%s (location %s) became %s (location %s)", describe(a), d.location(a), describe(b), d.location(b))
	default:
		return true
	}
	return false
}

// location returns the name of t's location: "Local" for time.Local,
// unless its zone is UTC.
func (d *Diff) location(t time.Time) string {
	loc := t.Location()
	if loc != d.local {
		return loc.String()
	}
	if name, offset := t.Zone(); name == "UTC" && offset == 0 {
		return "UTC"
	}
	return "Local"
}

// maxDescribed bounds the description of a value in a difference.
const maxDescribed = 64

// describe renders a value for a difference: strings quoted, times
// without their monotonic reading, nil and empty slices and maps apart, a
// pointer as & and what it points to.
func describe(v any) string {
	rv, ok := v.(reflect.Value)
	if !ok {
		rv = reflect.ValueOf(v)
	}
	return describeValue(rv, 0)
}

// cut shortens s to about maxDescribed bytes, at a character boundary.
func cut(s string) string {
	if len(s) <= maxDescribed {
		return s
	}
	n := maxDescribed
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func describeValue(v reflect.Value, depth int) string {
	if !v.IsValid() {
		return "nil"
	}
	if v.Type() == timeType {
		if t, ok := readable(v); ok {
			return formatTime(t.Interface().(time.Time))
		}
	}
	switch v.Kind() {
	case reflect.String:
		return fmt.Sprintf("%q", cut(v.String()))
	case reflect.Pointer:
		switch {
		case v.IsNil():
			return "nil"
		case depth > 0:
			return "&…"
		}
		return "&" + describeValue(v.Elem(), depth+1)
	case reflect.Interface:
		if v.IsNil() {
			return "nil"
		}
		return describeValue(v.Elem(), depth)
	case reflect.Slice, reflect.Map:
		switch {
		case v.IsNil():
			return "nil"
		case v.Len() == 0 && v.Kind() == reflect.Slice:
			return "[]"
		case v.Len() == 0:
			return "map[]"
		}
	}
	return cut(fmt.Sprintf("%+v", v))
}

// formatTime is time.Time.String without the monotonic clock reading,
// which no codec stores.
func formatTime(t time.Time) string {
	return t.Format("2006-01-02 15:04:05.999999999 -0700 MST")
}

var timeType = reflect.TypeFor[time.Time]()

// Visited reports whether the pair of values pa and pb point to has been
// compared before in this Diff, and remembers it. Generated comparisons of
// recursive types call it first and treat a pair met again as equal, so
// that a cyclic value is compared once around its cycle. Pairs are
// recorded only after the first few calls: a small acyclic value costs no
// allocation, and a cycle is still caught on a later turn.
func (d *Diff) Visited(pa, pb any) bool {
	d.visits++
	if d.visits <= untrackedVisits {
		return false
	}
	pair := [2]any{pa, pb}
	if _, ok := d.seen[pair]; ok {
		return true
	}
	if d.seen == nil {
		d.seen = make(map[[2]any]struct{})
	}
	d.seen[pair] = struct{}{}
	return false
}

// untrackedVisits is how many calls of Visited record nothing.
const untrackedVisits = 64
