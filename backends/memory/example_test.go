package memory_test

import (
	"fmt"

	"github.com/memogen/memogen/backends/memory"
	"github.com/memogen/memogen/runtime/store"
)

// A store keeps each function's values in a table of its own, least
// recently used first out.
func ExampleNew() {
	mem := memory.New(memory.Options{MaxEntries: 2})
	users := mem.Table(store.TableConfig{
		Func:    store.FuncID{Package: "example.com/app", Name: "LoadUser"},
		OnEvict: func(n int) { fmt.Println("evicted", n) },
	})

	users.Set("alice", "Alice", 0, 0)
	users.Set("bob", "Bob", 0, 0)
	users.Get([]byte("alice")) // alice is now the most recently used
	users.Set("carol", "Carol", 0, 0)

	for _, k := range []string{"alice", "bob", "carol"} {
		v, _, ok := users.Peek([]byte(k))
		fmt.Println(k, v, ok)
	}
	// Output:
	// evicted 1
	// alice Alice true
	// bob <nil> false
	// carol Carol true
}

// ParseURL reads the options of a mem:// URL, as MEMO_BACKEND_<NAME>
// gives it.
func ExampleParseURL() {
	opts, err := memory.ParseURL("mem://?max_entries=1000&max_bytes=64MiB")
	fmt.Printf("%+v %v\n", opts, err)

	_, err = memory.ParseURL("mem://?max_entrys=lots")
	fmt.Println(err)
	// Output:
	// {MaxEntries:1000 MaxBytes:67108864} <nil>
	// memory: unknown URL parameter "max_entrys"; did you mean "max_entries"?
}
