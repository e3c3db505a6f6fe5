// Command e2eshadow declares at package level the names the generated file
// would import its packages under (time, memo, fs, unsafe, and the first
// alias tried for the runtime, memort), and names a wrapper context: the
// generated file imports those packages under other names, and compiles.
package main

import (
	stdctx "context"
	"fmt"
	iofs "io/fs"
	stdtime "time"
	stdunsafe "unsafe"
)

var calls = map[string]int{}

// memo is a type of the package's own, keyed by its fields.
type memo struct{ x int }

// time is a function of the package's own.
func time() string { return "the package's time" }

var (
	fs     = "the package's fs"
	unsafe = "the package's unsafe"
	memort = "the package's memort"
)

// Lookup's wrapper is called context; its parameters' types come from
// packages named context, fs and time, and its directive needs time for
// its ttl.
//
//memo:cache ttl=1m name=context
func Lookup(ctx stdctx.Context, m memo, mode iofs.FileMode, d stdtime.Duration) (string, error) {
	calls["Lookup"]++
	return fmt.Sprint(m.x, " ", mode, " ", d), nil
}

var table [4]int

// Slot returns an unsafe.Pointer, which the in-memory backend keeps as it is.
//
//memo:cache
func Slot(i int) stdunsafe.Pointer {
	calls["Slot"]++
	return stdunsafe.Pointer(&table[i])
}

func main() {
	ctx := stdctx.Background()
	for range 2 {
		s, err := context(ctx, memo{x: 1}, iofs.ModeDir|0o755, stdtime.Second)
		fmt.Printf("context(ctx, memo{1}, drwxr-xr-x, 1s) = %q, %v calls=%d\n", s, err, calls["Lookup"])
	}
	fmt.Printf("contextMemo().Stats().Hits = %d\n", contextMemo().Stats().Hits)
	fmt.Printf("SlotCached(2) == &table[2]: %v, again: %v calls=%d\n",
		SlotCached(2) == stdunsafe.Pointer(&table[2]), SlotCached(2) == stdunsafe.Pointer(&table[2]), calls["Slot"])
	fmt.Println(time(), "|", fs, "|", unsafe, "|", memort)
}
