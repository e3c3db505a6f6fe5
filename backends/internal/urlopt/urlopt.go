// Package urlopt reads the query parameters of backend URLs, so that every
// backend of memogen follows one policy:
//
//   - a parameter is named after the Options field it sets, in snake case
//     (max_entries sets MaxEntries), and one concept has one name in every
//     backend;
//   - an unknown parameter is an error, with a "did you mean" for a typo;
//   - a parameter given twice is an error, unless it is a list ([Query.Strings]);
//   - a malformed value, an empty one included, is an error that says what a
//     valid value looks like;
//   - every error names the backend and the parameter, and all of a URL's
//     mistakes are reported together.
//
// A backend's ParseURL calls [Parse], reads each parameter it knows with a
// typed getter, and returns [Query.Err]:
//
//	_, q, err := urlopt.Parse("memory", rawURL, "mem")
//	if err != nil {
//		return Options{}, err
//	}
//	opts.MaxBytes = q.Bytes("max_bytes")
//	return opts, q.Err()
package urlopt

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/memogen/memogen/internal/suggest"
)

// A Query holds the parameters of one backend URL and the mistakes found in
// them so far.
type Query struct {
	backend string     // names the backend in errors, e.g. "memory"
	values  url.Values // the parameters, as given
	known   []string   // the names the getters asked for, in order
	errs    []error
}

// Parse parses rawURL, the URL of a backend that errors call backend, and
// returns it with its query. It fails when the URL does not parse, when its
// scheme is none of schemes, when it has a fragment, or when its query is
// malformed. Errors never quote the URL, which may hold a password.
func Parse(backend, rawURL string, schemes ...string) (*url.URL, *Query, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, nil, fmt.Errorf("%s: URL: %w", backend, err)
	}
	if !slices.Contains(schemes, u.Scheme) {
		return nil, nil, fmt.Errorf("%s: URL scheme %q, want %s", backend, u.Scheme, strings.Join(schemes, " or "))
	}
	if u.Fragment != "" {
		return nil, nil, fmt.Errorf("%s: URL fragment %q: a backend URL has none; escape a # in a value as %%23", backend, "#"+u.Fragment)
	}
	values, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: URL query: %w", backend, err)
	}
	return u, &Query{backend: backend, values: values}, nil
}

// QueryOnly checks that u, a URL that a backend called backend configures
// by its query alone, has nothing between its scheme and its query; form
// shows the expected form in the error.
func QueryOnly(backend string, u *url.URL, form string) error {
	if u.Opaque != "" || u.User != nil || u.Host != "" || u.Path != "" {
		before := strings.TrimPrefix(strings.TrimPrefix(u.Redacted(), u.Scheme+":"), "//")
		before, _, _ = strings.Cut(before, "?")
		return fmt.Errorf("%s: URL has %q before the query; want %s", backend, before, form)
	}
	return nil
}

// Has reports whether the parameter name is given, well formed or not.
func (q *Query) Has(name string) bool {
	_, ok := q.values[name]
	return ok
}

// Errorf records a mistake of the URL that no getter detects, such as a
// missing parameter, for Err to report with the others.
func (q *Query) Errorf(format string, args ...any) {
	q.errs = append(q.errs, fmt.Errorf("%s: %s", q.backend, fmt.Sprintf(format, args...)))
}

// Err reports every mistake found: those the getters and Errorf recorded,
// then the parameters that no getter asked for, as unknown. Call it after
// reading every parameter the backend knows.
func (q *Query) Err() error {
	errs := q.errs
	for _, name := range slices.Sorted(maps.Keys(q.values)) {
		if slices.Contains(q.known, name) {
			continue
		}
		if s := suggest.Closest(name, q.known); s != "" {
			errs = append(errs, fmt.Errorf("%s: unknown URL parameter %q; did you mean %q?", q.backend, name, s))
		} else {
			errs = append(errs, fmt.Errorf("%s: unknown URL parameter %q (want %s)", q.backend, name, list(q.known)))
		}
	}
	return errors.Join(errs...)
}

// list writes names sorted, joined by commas and a final "or".
func list(names []string) string {
	names = slices.Sorted(slices.Values(names))
	switch len(names) {
	case 0:
		return "no parameters"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// Value returns the value of the parameter name converted by parse, or the
// zero T when the parameter is absent. A value given more than once, or
// that parse rejects, is recorded as a mistake and gives the zero T; want
// says what a valid value looks like, such as "a positive integer".
func Value[T any](q *Query, name, want string, parse func(string) (T, bool)) T {
	var zero T
	values, ok := q.lookup(name)
	if !ok {
		return zero
	}
	if len(values) > 1 {
		q.errs = append(q.errs, fmt.Errorf("%s: URL parameter %s is given %d times; give it once", q.backend, name, len(values)))
		return zero
	}
	v, ok := parse(values[0])
	if !ok {
		q.errs = append(q.errs, fmt.Errorf("%s: invalid URL parameter %s=%q: want %s", q.backend, name, values[0], want))
		return zero
	}
	return v
}

// lookup marks name as known and returns its values.
func (q *Query) lookup(name string) ([]string, bool) {
	if !slices.Contains(q.known, name) {
		q.known = append(q.known, name)
	}
	values, ok := q.values[name]
	return values, ok
}

// String returns the parameter name, "" when absent. An empty value is a
// mistake: leaving the parameter out is how to ask for the default.
func (q *Query) String(name string) string {
	return Value(q, name, "a non-empty value", func(s string) (string, bool) {
		return s, s != ""
	})
}

// Strings returns every value of the list parameter name, which may be
// given any number of times, in the order given; none may be empty.
func (q *Query) Strings(name string) []string {
	values, _ := q.lookup(name)
	for _, v := range values {
		if v == "" {
			q.errs = append(q.errs, fmt.Errorf("%s: invalid URL parameter %s=%q: want a value", q.backend, name, v))
			return nil
		}
	}
	return values
}

// Int returns the integer parameter name, 0 when absent; a value outside
// [min, max] is a mistake.
func (q *Query) Int(name string, min, max int) int {
	return Value(q, name, intWant(min, max), func(s string) (int, bool) {
		n, err := strconv.Atoi(s)
		return n, err == nil && n >= min && n <= max
	})
}

// intWant describes the integers from min to max.
func intWant(min, max int) string {
	switch {
	case min == math.MinInt && max == math.MaxInt:
		return "an integer"
	case max == math.MaxInt && min == 0:
		return "a non-negative integer"
	case max == math.MaxInt && min == 1:
		return "a positive integer"
	case max == math.MaxInt:
		return fmt.Sprintf("an integer of at least %d", min)
	}
	return fmt.Sprintf("an integer from %d to %d", min, max)
}

// Bool returns the boolean parameter name, false when absent: true or false
// (or 1, 0, t, f, as strconv.ParseBool reads them).
func (q *Query) Bool(name string) bool {
	return Value(q, name, "true or false", func(s string) (bool, bool) {
		b, err := strconv.ParseBool(s)
		return b, err == nil
	})
}

// Duration returns the positive duration parameter name, such as 30s or
// 1m30s (time.ParseDuration), 0 when absent.
func (q *Query) Duration(name string) time.Duration {
	return Value(q, name, "a positive duration such as 30s", func(s string) (time.Duration, bool) {
		d, err := time.ParseDuration(s)
		return d, err == nil && d > 0
	})
}

// Bytes returns the size parameter name in bytes, 0 when absent: a
// non-negative integer, optionally followed by a unit, B, KB, MB, GB or TB
// (powers of 1000) or KiB, MiB, GiB or TiB (powers of 1024), such as 64MiB.
func (q *Query) Bytes(name string) int64 {
	return Value(q, name, "a size in bytes such as 1048576 or 64MiB", parseBytes)
}

// sizeUnits are the units Bytes accepts; no suffix of one is another's
// that comes earlier.
var sizeUnits = []struct {
	suffix string
	n      int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
	{"B", 1},
}

// parseBytes reads a size as [Query.Bytes] does, and reports whether s is
// one.
func parseBytes(s string) (int64, bool) {
	digits, unit := s, int64(1)
	for _, u := range sizeUnits {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			digits, unit = rest, u.n
			break
		}
	}
	if digits == "" || strings.TrimLeft(digits, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n > math.MaxInt64/unit {
		return 0, false
	}
	return n * unit, true
}
