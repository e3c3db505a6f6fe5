package runtime_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/memogen/memogen/backends/memory"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
)

// Key code writes one value per argument; strings are length-prefixed and
// integers take 8 bytes, little endian.
func ExampleKeyWriter() {
	var w memo.KeyWriter
	w.Text("go")
	w.Int(1)
	fmt.Printf("% x\n", w.Bytes())

	// Map entries are sorted, so the order they are written in does not
	// matter.
	w.Reset()
	w.BeginMap(2)
	w.MapEntry()
	w.Text("b")
	w.Int(2)
	w.MapEntry()
	w.Text("a")
	w.Int(1)
	w.EndMap()
	fmt.Printf("% x\n", w.Bytes())
	// Output:
	// 02 67 6f 01 00 00 00 00 00 00 00
	// 02 01 61 01 00 00 00 00 00 00 00 01 62 02 00 00 00 00 00 00 00
}

// memoDouble and DoubleCached are what memogen generates for
//
//	//memo:cache
//	func Double(n int) int
var memoDouble = memoimpl.NewFunc(memoimpl.FuncInfo{Package: "example.com/calc", Name: "Double"})

func DoubleCached(n int) int {
	c := memoDouble.Begin(context.Background())
	c.Key().Int(int64(n))
	if r, ok := memoimpl.Lookup[int](c, false); ok {
		return r
	}
	r, _ := memoimpl.Run(c, func() (int, error) {
		fmt.Println("computing", n)
		return 2 * n, nil
	})
	return r
}

// A wrapper runs its function once per argument set.
func ExampleFunc() {
	memoDouble.Clear(context.Background()) // start empty, however often the example runs

	fmt.Println(DoubleCached(21))
	fmt.Println(DoubleCached(21))
	fmt.Println(DoubleCached(1))
	// Output:
	// computing 21
	// 42
	// 42
	// computing 1
	// 2
}

// memoUpper and UpperCached are generated for a directive naming a backend:
//
//	//memo:cache backend=example-small
//	func Upper(s string) string
var memoUpper = memoimpl.NewFunc(memoimpl.FuncInfo{Package: "example.com/text", Name: "Upper", Backend: "example-small"})

func UpperCached(s string) string {
	c := memoUpper.Begin(context.Background())
	c.Key().Text(s)
	if r, ok := memoimpl.Lookup[string](c, false); ok {
		return r
	}
	r, _ := memoimpl.Run(c, func() (string, error) {
		fmt.Println("computing", s)
		return strings.ToUpper(s), nil
	})
	return r
}

// Register binds a backend name that directives use (backend=example-small)
// to a store; a program does it before the first call.
func ExampleRegister() {
	store := memory.New(memory.Options{MaxEntries: 2})
	memo.Register("example-small", store)
	defer memo.Unregister("example-small")

	for _, s := range []string{"a", "b", "c", "a", "a"} {
		UpperCached(s)
	}
	fmt.Println("entries:", store.Len())
	// Output:
	// computing a
	// computing b
	// computing c
	// computing a
	// entries: 2
}

// memoGreet and GreetCached are generated for
//
//	//memo:cache
//	func Greet(ctx context.Context, name string) (string, error)
var memoGreet = memoimpl.NewFunc(memoimpl.FuncInfo{Package: "example.com/hello", Name: "Greet", Errors: true})

func GreetCached(ctx context.Context, name string) (string, error) {
	c := memoGreet.Begin(ctx)
	c.Key().Text(name)
	if r, ok := memoimpl.Lookup[string](c, false); ok {
		return r, nil
	}
	return memoimpl.Run(c, func() (string, error) {
		if name == "" {
			return "", fmt.Errorf("no name")
		}
		return "hello, " + name, nil
	})
}

// A hook sees how every call was served.
func ExampleConfigure() {
	memo.Configure(memo.Config{
		Hook: func(c memo.CallInfo) {
			fmt.Printf("%s: %s (err: %v)\n", c.Func, c.Outcome, c.Err)
		},
	})
	defer memo.Configure(memo.Config{})

	ctx := context.Background()
	memoGreet.Clear(ctx)
	GreetCached(ctx, "gopher")
	GreetCached(ctx, "gopher")
	GreetCached(ctx, "")
	// Output:
	// example.com/hello.Greet: miss (err: <nil>)
	// example.com/hello.Greet: hit (err: <nil>)
	// example.com/hello.Greet: miss (err: no name)
}
