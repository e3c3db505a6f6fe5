package memory_test

import (
	"fmt"

	"github.com/memogen/memogen/backends/memory"
	memo "github.com/memogen/memogen/runtime"
)

// A store keeps each function's values in a table of its own, least
// recently used first out.
func ExampleNew() {
	store := memory.New(memory.Options{MaxEntries: 2})
	users := store.Table(memo.TableConfig{
		Func:    memo.FuncID{Package: "example.com/app", Name: "LoadUser"},
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

// Open configures a store from a URL, as MEMO_BACKEND_<NAME> does.
func ExampleOpen() {
	b, err := memo.Open("mem://?size=1000&max_bytes=1048576")
	fmt.Printf("%T %v\n", b, err)

	_, err = memo.Open("mem://?size=lots")
	fmt.Println(err)
	// Output:
	// *memory.Store <nil>
	// memory: size="lots": want a positive integer
}
