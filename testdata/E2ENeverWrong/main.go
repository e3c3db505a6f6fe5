// Command e2eneverwrong tries to make the cache answer with a wrong value:
// entry files swapped between arguments and copied between functions,
// function-local types as type arguments, a nil pointer in an interface
// keyed by a value method, a nil interface result. Execution counters and
// the hook show that every call gets its own result.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/memogen/memogen/backends/file"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/store"
)

var calls = map[string]int{}

var balances = map[string]int{"alice": 100, "bob": 7}

// Balance is stored in files, one per name.
//
//memo:cache backend=disk codec=json
func Balance(name string) int {
	calls["Balance"]++
	return balances[name]
}

// Limit is another function of a name, stored alongside.
//
//memo:cache backend=disk codec=json
func Limit(name string) int {
	calls["Limit"]++
	return 10*balances[name] + 1
}

// labels are what Label answers for each type argument, which only the
// type's identity tells apart.
var labels = map[reflect.Type]string{}

// Label answers by its type argument: two types of one name and structure
// declared in two functions are two types, and get two answers.
//
//memo:cache
func Label[T any](v T) string {
	calls["Label"]++
	return fmt.Sprintf("%s%+v", labels[reflect.TypeFor[T]()], v)
}

// DiskLabel is Label stored in files, where another process could not tell
// the two types apart.
//
//memo:cache backend=disk codec=json
func DiskLabel[T any](v T) string {
	calls["DiskLabel"]++
	return fmt.Sprintf("%s%+v", labels[reflect.TypeFor[T]()], v)
}

func fromParis() {
	type Loc struct{ X int }
	labels[reflect.TypeFor[Loc]()] = "paris:"
	show("Label(Loc{1}) in fromParis", LabelCached(Loc{1}), "Label")
	show("Label(Loc{1}) in fromParis again", LabelCached(Loc{1}), "Label")
	show("DiskLabel(Loc{1}) in fromParis", DiskLabelCached(Loc{1}), "DiskLabel")
	show("DiskLabel(Loc{1}) in fromParis again", DiskLabelCached(Loc{1}), "DiskLabel")
}

func fromLagos() {
	type Loc struct{ X int }
	labels[reflect.TypeFor[Loc]()] = "lagos:"
	show("Label(Loc{1}) in fromLagos", LabelCached(Loc{1}), "Label")
	show("Label(Loc{1}) in fromLagos again", LabelCached(Loc{1}), "Label")
	show("DiskLabel(Loc{1}) in fromLagos", DiskLabelCached(Loc{1}), "DiskLabel")
	show("DiskLabel(Loc{1}) in fromLagos again", DiskLabelCached(Loc{1}), "DiskLabel")
}

// Shape is keyed by its MemoKey method.
type Shape interface {
	MemoKey(w *memo.KeyWriter)
}

// Circle keys itself by a value method, which a nil *Circle cannot call.
type Circle struct{ R float64 }

// MemoKey writes the radius.
func (c Circle) MemoKey(w *memo.KeyWriter) { w.Float(c.R) }

// Describe does not call its argument's methods, so a nil *Circle is fine.
//
//memo:cache
func Describe(s Shape) string {
	calls["Describe"]++
	if c, ok := s.(*Circle); ok && c == nil {
		return "a nil *Circle"
	}
	return fmt.Sprintf("%T %v", s, s)
}

// Open returns a nil io.Reader for an empty name: a result like any other.
//
//memo:cache
func Open(name string) io.Reader {
	calls["Open"]++
	if name == "" {
		return nil
	}
	return strings.NewReader(name)
}

func show(what string, got any, fn string) {
	fmt.Printf("%-42s = %-16v calls=%d\n", what, got, calls[fn])
}

func main() {
	dir, err := os.MkdirTemp("", "e2eneverwrong")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	memo.Register("disk", file.Must(file.New(file.Options{Dir: dir})))
	var outcomes []string
	memo.Configure(memo.Config{Hook: func(c memo.CallInfo) {
		name, _, _ := strings.Cut(c.Func.Name, "[") // instances: Label[<hash of the type>]
		o := name + ":" + c.Outcome.String()
		switch {
		case errors.Is(c.Err, store.ErrCorrupt):
			o += " (corrupt entry)"
		case errors.Is(c.Err, memo.ErrAmbiguousType):
			o += " (ambiguous type)"
		case c.Err != nil:
			o += " (" + c.Err.Error() + ")"
		}
		outcomes = append(outcomes, o)
	}})

	fmt.Println("# entries answer for one key")
	show("Balance(alice)", BalanceCached("alice"), "Balance")
	show("Balance(bob)", BalanceCached("bob"), "Balance")
	show("Limit(alice)", LimitCached("alice"), "Limit")
	alice, bob := entryFile(dir, "Balance", `name="alice"`), entryFile(dir, "Balance", `name="bob"`)
	swap(alice, bob)
	fmt.Println("swapped the entry files of Balance(alice) and Balance(bob)")
	show("Balance(alice)", BalanceCached("alice"), "Balance")
	show("Balance(bob)", BalanceCached("bob"), "Balance")
	show("Balance(alice) again", BalanceCached("alice"), "Balance")
	show("Balance(bob) again", BalanceCached("bob"), "Balance")
	copyFile(entryFile(dir, "Balance", `name="alice"`), entryFile(dir, "Limit", `name="alice"`))
	fmt.Println("copied Balance(alice)'s entry over Limit(alice)'s")
	show("Limit(alice)", LimitCached("alice"), "Limit")
	show("Limit(alice) again", LimitCached("alice"), "Limit")
	st := BalanceMemo().Stats()
	fmt.Printf("Balance: hits=%d misses=%d corrupt=%d\n", st.Hits, st.Misses, st.Corrupt)
	st = LimitMemo().Stats()
	fmt.Printf("Limit:   hits=%d misses=%d corrupt=%d\n", st.Hits, st.Misses, st.Corrupt)
	data, err := os.ReadFile(entryFile(dir, "Balance", `name="alice"`))
	if err != nil {
		panic(err)
	}
	e, err := store.DecodeEntry(data)
	if err != nil {
		panic(err)
	}
	fmt.Printf("Balance(alice)'s entry names its own file: %v\n", strings.HasPrefix(filepath.Base(entryFile(dir, "Balance", `name="alice"`)), e.Digest+"."))

	fmt.Println("# function-local types of one name are two types")
	fromParis()
	fromLagos()
	fromParis()

	fmt.Println("# a nil pointer in an interface keyed by a value method")
	show("Describe((*Circle)(nil))", DescribeCached((*Circle)(nil)), "Describe")
	show("Describe((*Circle)(nil)) again", DescribeCached((*Circle)(nil)), "Describe")
	show("Describe(nil)", DescribeCached(nil), "Describe")
	show("Describe(&Circle{0})", DescribeCached(&Circle{}), "Describe")
	show("Describe(Circle{0})", DescribeCached(Circle{}), "Describe")
	show("Describe((*Circle)(nil)) once more", DescribeCached((*Circle)(nil)), "Describe")

	fmt.Println("# a nil interface result is cached")
	show("Open(\"\")", OpenCached("") == nil, "Open")
	show("Open(\"\") again", OpenCached("") == nil, "Open")
	fmt.Printf("Contains(\"\") = %v\n", OpenMemo().Contains(""))
	st = OpenMemo().Stats()
	fmt.Printf("Open: hits=%d misses=%d\n", st.Hits, st.Misses)

	fmt.Println("# hook outcomes")
	for _, o := range outcomes {
		fmt.Println(o)
	}
	if err := BalanceMemo().Clear(context.Background()); err != nil {
		panic(err)
	}
}

// entryFile returns the path of fn's entry whose metadata line ends with
// the summary args.
func entryFile(dir, fn, args string) string {
	pattern := filepath.Join(dir, "github.com", "memogen", "memogen", "testdata", "E2ENeverWrong", fn, "*.json")
	paths, err := filepath.Glob(pattern)
	if err != nil {
		panic(err)
	}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			panic(err)
		}
		line, _ := bufio.NewReader(f).ReadBytes('\n')
		f.Close()
		if bytes.HasSuffix(bytes.TrimSpace(line), []byte(fmt.Sprintf("%q", args))) {
			return p
		}
	}
	panic("no entry of " + fn + " for " + args)
}

func swap(a, b string) {
	tmp := a + ".swap"
	for _, mv := range [][2]string{{a, tmp}, {b, a}, {tmp, b}} {
		if err := os.Rename(mv[0], mv[1]); err != nil {
			panic(err)
		}
	}
}

func copyFile(from, to string) {
	data, err := os.ReadFile(from)
	if err != nil {
		panic(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		panic(err)
	}
}
