// Command e2edynamic memoizes functions of interface parameters opted in
// with dynamic=, and a size= above the default store's bound; execution
// counters prove which calls ran the function, and a hook what was
// reported. It panics on a wrong result.
package main

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	memo "github.com/memogen/memogen/runtime"
)

var calls = map[string]int{}

// Format formats any value, as spf13/cast-style helpers do.
//
//memo:cache dynamic=v
func Format(v any) string {
	calls["Format"]++
	return fmt.Sprintf("%T:%v", v, v)
}

// TypeOf names the dynamic type of any value; unlike Format it can take a
// cycle.
//
//memo:cache dynamic=v
func TypeOf(v any) string {
	calls["TypeOf"]++
	return fmt.Sprintf("%T", v)
}

// Join joins its variadic arguments, of any types.
//
//memo:cache dynamic=args
func Join(sep string, args ...any) string {
	calls["Join"]++
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = fmt.Sprint(a)
	}
	return strings.Join(parts, sep)
}

// Name calls String.
//
//memo:cache dynamic=s
func Name(s fmt.Stringer) string {
	calls["Name"]++
	if s == nil {
		return "<nil>"
	}
	return s.String()
}

// Code maps an error to a status code: opted in on purpose.
//
//memo:cache dynamic=err
func Code(err error) int {
	calls["Code"]++
	var s StatusError
	if errors.As(err, &s) {
		return s.Status
	}
	return 500
}

// Big asks for more entries than the default store keeps.
//
//memo:cache size=2000000
func Big(n int) int {
	calls["Big"]++
	return n * 2
}

// Celsius is a Stringer.
type Celsius float64

func (c Celsius) String() string { return fmt.Sprintf("%.1f°C", float64(c)) }

// Fahrenheit is another Stringer, equal in value to some Celsius.
type Fahrenheit float64

func (f Fahrenheit) String() string { return fmt.Sprintf("%.1f°F", float64(f)) }

// StatusError is an error with exported fields: it can be keyed.
type StatusError struct{ Status int }

func (e StatusError) Error() string { return fmt.Sprintf("status %d", e.Status) }

// Point is a struct keyed by its fields.
type Point struct{ X, Y int }

// hook records the errors calls report.
type hook struct {
	mu   sync.Mutex
	errs []error
}

func (h *hook) record(c memo.CallInfo) {
	if c.Err != nil {
		h.mu.Lock()
		h.errs = append(h.errs, c.Err)
		h.mu.Unlock()
	}
}

// take returns and forgets the errors recorded so far.
func (h *hook) take() []error {
	h.mu.Lock()
	defer h.mu.Unlock()
	errs := h.errs
	h.errs = nil
	return errs
}

func check(what string, got, want any) {
	fmt.Printf("%-44s = %v\n", what, got)
	if got != want {
		panic(fmt.Sprintf("%s = %v; want %v", what, got, want))
	}
}

func main() {
	var h hook
	memo.Configure(memo.Config{Hook: h.record, Logger: slog.New(slog.DiscardHandler)})

	fmt.Println("# dynamic types never share an entry")
	check("Format(int(5))", FormatCached(int(5)), "int:5")
	check("Format(int64(5))", FormatCached(int64(5)), "int64:5")
	check("Format(int(5)) again", FormatCached(int(5)), "int:5")
	check("Format(int64(5)) again", FormatCached(int64(5)), "int64:5")
	check("Format runs", calls["Format"], 2)
	check("Format(Point{1 2})", FormatCached(Point{1, 2}), "main.Point:{1 2}")
	check("Format(&Point{1 2})", FormatCached(&Point{1, 2}), "*main.Point:&{1 2}")
	check("Format(Point{1 2}) again", FormatCached(Point{1, 2}), "main.Point:{1 2}")
	check("Format(nil)", FormatCached(nil), "<nil>:<nil>")
	check("Format(nil) again", FormatCached(nil), "<nil>:<nil>")
	check("Format runs", calls["Format"], 5)
	check("Format hits", FormatMemo().Stats().Hits, uint64(4))

	fmt.Println("# variadic ...any")
	check(`Join(",", 1, "a")`, JoinCached(",", 1, "a"), "1,a")
	check(`Join(",", "1", "a")`, JoinCached(",", "1", "a"), "1,a")
	check(`Join(",", 1, "a") again`, JoinCached(",", 1, "a"), "1,a")
	check("Join runs", calls["Join"], 2)

	fmt.Println("# a Stringer's dynamic type")
	check("Name(Celsius(20))", NameCached(Celsius(20)), "20.0°C")
	check("Name(Fahrenheit(20))", NameCached(Fahrenheit(20)), "20.0°F")
	check("Name(Celsius(20)) again", NameCached(Celsius(20)), "20.0°C")
	check("Name runs", calls["Name"], 2)

	fmt.Println("# errors")
	check("Code(StatusError{404})", CodeCached(StatusError{404}), 404)
	check("Code(StatusError{404}) again", CodeCached(StatusError{404}), 404)
	check("Code runs", calls["Code"], 1)
	check("hook errors so far", len(h.take()), 0)
	plain := errors.New("boom")
	check("Code(errors.New): unkeyable, uncached", CodeCached(plain), 500)
	check("Code(same error) again: uncached", CodeCached(plain), 500)
	check("Code runs", calls["Code"], 3)
	errs := h.take()
	check("hook errors", len(errs), 2)
	check("hook error names the field", strings.Contains(errs[0].Error(), "errors.errorString has unexported field s"), true)

	fmt.Println("# values that cannot be keyed run uncached")
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"func", func() {}, "cannot key a value of type func()"},
		{"chan", make(chan int), "cannot key a value of type chan int"},
		{"another package's unexported fields", strings.Builder{}, "strings.Builder has unexported field"},
	} {
		before := calls["TypeOf"]
		TypeOfCached(tc.v)
		TypeOfCached(tc.v)
		check("TypeOf("+tc.name+") runs twice", calls["TypeOf"]-before, 2)
		errs := h.take()
		check("  hook errors", len(errs), 2)
		check("  hook says why", strings.Contains(errs[0].Error(), tc.want), true)
	}
	cycle := []any{nil}
	cycle[0] = cycle
	before := calls["TypeOf"]
	TypeOfCached(cycle)
	TypeOfCached(cycle)
	check("TypeOf(a cycle) runs twice", calls["TypeOf"]-before, 2)
	check("  hook errors", len(h.take()), 2)
	check("TypeOf failures", TypeOfMemo().Stats().Failures, uint64(8))
	check("TypeOf(5)", TypeOfCached(5), "int")
	check("TypeOf(5) again: cached", TypeOfCached(5), "int")
	check("TypeOf hits", TypeOfMemo().Stats().Hits, uint64(1))

	fmt.Println("# size= above the store's bound")
	for i := range 3 {
		BigCached(i)
		BigCached(i)
	}
	check("Big runs", calls["Big"], 3)
	errs = h.take()
	check("Big reports", len(errs), 1)
	check("  ErrUnreachableBound", errors.Is(errs[0], memo.ErrUnreachableBound), true)
	fmt.Println(" ", errs[0])
}
