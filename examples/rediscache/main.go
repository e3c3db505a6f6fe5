// Command rediscache memoizes a function in Redis, shared by every process
// that binds the same backend. The backend is bound from the environment:
//
//	MEMO_BACKEND_SHARED=redis://127.0.0.1:6379/0 go run ./examples/rediscache
//
// make demo-redis starts a Redis server on loopback and runs it twice.
package main

//go:generate go run github.com/memogen/memogen/cmd/memogen

import (
	"context"
	"fmt"
	"os"
	"time"

	_ "github.com/memogen/memogen/backends/redis"
	memo "github.com/memogen/memogen/runtime"
)

// ExchangeRate pretends to ask a slow service.
//
//memo:cache backend=shared ttl=1m
func ExchangeRate(ctx context.Context, from, to string) (float64, error) {
	fmt.Printf("  (asking the service for %s→%s)\n", from, to)
	time.Sleep(20 * time.Millisecond)
	return 1.08, nil
}

func main() {
	// Close drains and closes the bound backends when main returns; a crash
	// or os.Exit skips it.
	defer memo.Close(context.Background())
	if err := memo.CheckBackends(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ctx := context.Background()
	for range 2 {
		rate, err := ExchangeRateCached(ctx, "EUR", "USD")
		fmt.Printf("EUR→USD = %.2f, err: %v\n", rate, err)
	}
	st := ExchangeRateMemo().Stats()
	fmt.Printf("this process: %d hits, %d misses\n", st.Hits, st.Misses)
}
