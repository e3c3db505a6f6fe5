// Command e2efreshness runs every freshness option through generated code,
// on a fake clock, against the memory store, a file backend and, when
// MEMO_FRESH_REDIS names one, a Redis server: each section must print the
// same lines.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	_ "github.com/memogen/memogen/backends/file"
	"github.com/memogen/memogen/backends/memory"
	_ "github.com/memogen/memogen/backends/redis"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/store"
)

// ErrNotFound is a sentinel that errttl= keeps in byte-level backends.
var ErrNotFound = errors.New("not found")

// clock is the fake clock every decision reads.
var clock struct {
	sync.Mutex
	now time.Time
}

func now() time.Time {
	clock.Lock()
	defer clock.Unlock()
	return clock.now
}

func advance(d time.Duration) {
	clock.Lock()
	defer clock.Unlock()
	clock.now = clock.now.Add(d)
}

var (
	mu      sync.Mutex
	runs    = map[string]int{}
	failing bool
)

// run counts a run of the function name and returns the count.
func run(name string) int {
	mu.Lock()
	defer mu.Unlock()
	runs[name]++
	return runs[name]
}

// Price is served stale for 30s after its minute, while it refreshes in the
// background.
//
//memo:cache ttl=1m stale=30s backend=fresh
func Price(ctx context.Context, item string) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err // a refresh detached from the caller never gets here
	}
	return run("Price"), nil
}

// Quote falls back to its expired result for 10m when it fails.
//
//memo:cache ttl=1m stale_if_error=10m backend=fresh
func Quote(sym string) (int, error) {
	mu.Lock()
	f := failing
	mu.Unlock()
	if f {
		return 0, errors.New("exchange down")
	}
	return run("Quote"), nil
}

// Rate takes 10s, by the fake clock, and recomputes early as expiry nears.
//
//memo:cache ttl=1h early=1 backend=fresh
func Rate(pair string) int {
	advance(10 * time.Second)
	return run("Rate")
}

// Find caches its errors for a minute.
//
//memo:cache errttl=1m backend=fresh
func Find(id int) (string, error) {
	run("Find")
	switch {
	case id == 0:
		return "", ErrNotFound
	case id < 0:
		return "", fmt.Errorf("user %d: %w", id, ErrNotFound)
	}
	return fmt.Sprint("user ", id), nil
}

// Search caches only its not-found errors.
//
//memo:cache errttl=1m errttl_if=isNotFound backend=fresh
func Search(q string) (string, error) {
	run("Search")
	if q == "none" {
		return "", ErrNotFound
	}
	return "", errors.New("timeout")
}

func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// Session lives a minute after its last use.
//
//memo:cache ttl=1m ttl_refresh=true backend=fresh
func Session(id string) int { return run("Session") }

func main() {
	backends := []struct{ name, url string }{{"memory", ""}, {"file", "file://" + tempDir()}}
	if u := os.Getenv("MEMO_FRESH_REDIS"); u != "" {
		backends = append(backends, struct{ name, url string }{"redis", u})
	}
	for _, b := range backends {
		fmt.Println("==", b.name)
		section(b.url)
	}
}

func tempDir() string {
	dir, err := os.MkdirTemp("", "e2efreshness")
	if err != nil {
		panic(err)
	}
	return dir
}

func section(url string) {
	var backend store.Backend = memory.New(memory.Options{})
	if url != "" {
		var err error
		if backend, err = memo.Open(url); err != nil {
			panic(err)
		}
	}
	memo.Register("fresh", backend)
	mu.Lock()
	runs, failing = map[string]int{}, false
	mu.Unlock()
	clock.Lock()
	clock.now = time.Now()
	clock.Unlock()
	refreshed := make(chan memo.CallInfo, 1)
	var hookErrs []string
	memo.Configure(memo.Config{Now: now, Hook: func(info memo.CallInfo) {
		if info.Outcome == memo.Refresh && info.Func.Name == "Price" {
			refreshed <- info
		}
		if info.Outcome == memo.Stale && info.Err != nil {
			mu.Lock()
			hookErrs = append(hookErrs, info.Err.Error())
			mu.Unlock()
		}
	}})
	ctx := context.Background()
	for _, clear := range []func(context.Context) error{PriceMemo().Clear, QuoteMemo().Clear, RateMemo().Clear, FindMemo().Clear, SearchMemo().Clear, SessionMemo().Clear} {
		if err := clear(ctx); err != nil {
			panic(err)
		}
	}

	fmt.Println("-- stale=30s")
	price := func(ctx context.Context) {
		v, o, err := PriceMemo().WithOutcome(ctx, "tea")
		fmt.Println("Price:", v, o, err)
	}
	price(ctx)
	advance(61 * time.Second)
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	price(canceled) // the expired 1 at once; the refresh ignores the cancellation
	info := <-refreshed
	fmt.Println("background:", info.Outcome, info.Err)
	price(ctx)
	advance(2 * time.Minute) // past ttl and stale
	price(ctx)

	fmt.Println("-- stale_if_error=10m")
	quote := func() {
		v, o, err := QuoteMemo().WithOutcome("GO")
		fmt.Println("Quote:", v, o, err)
	}
	quote()
	advance(2 * time.Minute)
	mu.Lock()
	failing = true
	mu.Unlock()
	quote()
	mu.Lock()
	fmt.Println("hook saw:", hookErrs)
	mu.Unlock()
	advance(10 * time.Minute) // past ttl and stale_if_error
	quote()

	fmt.Println("-- early=1")
	rate := func() {
		v, o := RateMemo().WithOutcome("EURUSD")
		fmt.Println("Rate:", v, o)
	}
	rate()
	rate() // an hour from expiry: recomputing early is all but impossible
	advance(time.Hour - time.Nanosecond)
	rate() // a nanosecond from expiry: recomputing early is all but certain
	rate()

	fmt.Println("-- errttl=1m")
	find := func(id int) {
		v, o, err := FindMemo().WithOutcome(id)
		fmt.Printf("Find(%d): %q %v %v; is ErrNotFound: %v, == ErrNotFound: %v\n", id, v, o, err, errors.Is(err, ErrNotFound), err == ErrNotFound)
	}
	find(0)
	find(0)
	find(-1)
	find(-1)
	find(1)
	advance(61 * time.Second)
	find(0)
	mu.Lock()
	fmt.Println("Find runs:", runs["Find"])
	mu.Unlock()

	fmt.Println("-- errttl_if=isNotFound")
	for _, q := range []string{"none", "none", "slow", "slow"} {
		_, o, err := SearchMemo().WithOutcome(q)
		fmt.Printf("Search(%q): %v %v\n", q, o, err)
	}
	mu.Lock()
	fmt.Println("Search runs:", runs["Search"])
	mu.Unlock()

	fmt.Println("-- ttl_refresh=true")
	session := func() {
		v, o := SessionMemo().WithOutcome("s1")
		fmt.Println("Session:", v, o)
	}
	session()
	advance(50 * time.Second)
	session()
	advance(50 * time.Second) // 100s after the store, 50s after the last use
	session()
	advance(61 * time.Second)
	session()
	fmt.Println("Session contains:", SessionMemo().Contains("s1"))
}
