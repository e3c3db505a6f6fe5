// Command e2ebatch exercises //memo:batch wrappers end to end: the IDs
// each call asks the function for, printed as it runs, prove which IDs
// were cached, and a fake clock drives expiry.
package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	memo "github.com/memogen/memogen/runtime"
)

var (
	mu    sync.Mutex
	asked []string
)

// ask records one call of a batch function.
func ask(name string, ids any) {
	mu.Lock()
	defer mu.Unlock()
	asked = append(asked, fmt.Sprintf("%s%v", name, ids))
}

// drain prints and forgets what the batch functions were asked for.
func drain() {
	mu.Lock()
	defer mu.Unlock()
	fmt.Println("  asked:", asked)
	asked = nil
}

// User is what Users loads.
type User struct {
	ID   int64
	Name string
}

// Users loads users; IDs of 100 and more do not exist.
//
//memo:batch ttl=1h errttl=1m
func Users(ctx context.Context, ids []int64) (map[int64]User, error) {
	ask("Users", ids)
	out := make(map[int64]User)
	for _, id := range ids {
		if id < 0 {
			return nil, errors.New("negative id")
		}
		if id < 100 {
			out[id] = User{ID: id, Name: fmt.Sprint("user-", id)}
		}
	}
	return out, nil
}

// Labels is the slice form: result i answers keys[i]. The locale is part
// of each key's key; the logger is not.
//
//memo:batch ignore=logf nocache=refresh
func Labels(locale string, logf func(string, ...any), refresh bool, keys ...string) ([]string, error) {
	ask("Labels", keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = locale + ":" + k
	}
	return out, nil
}

// Short returns one result fewer than it is asked for.
//
//memo:batch
func Short(ids []int) ([]int, error) {
	return ids[1:], nil
}

// Catalog is keyed by its Region.
type Catalog struct{ Region string }

// Prices is a method whose receiver's fields enter each ID's key.
//
//memo:batch receiver=fields codec=json
func (c Catalog) Prices(ctx context.Context, skus []string) (prices map[string]float64, err error) {
	ask("Prices", skus)
	prices = make(map[string]float64)
	for _, s := range skus {
		prices[s] = float64(len(s)) * map[string]float64{"eu": 1, "us": 2}[c.Region]
	}
	return prices, nil
}

// clock is the fake clock that decides expiry.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func show[M ~map[K]V, K int64 | string, V any](m M, err error) {
	keys := slices.Sorted(maps.Keys(m))
	fmt.Print("  ")
	for _, k := range keys {
		fmt.Printf("%v=%v ", k, m[k])
	}
	fmt.Println(err)
}

func main() {
	ctx := context.Background()
	c := &clock{now: time.Now()}
	memo.Configure(memo.Config{Now: c.Now})

	fmt.Println("map form: each ID cached on its own, duplicates asked for once")
	show(UsersCached(ctx, []int64{1, 2, 1, 100}))
	show(UsersCached(ctx, []int64{2, 3, 100}))
	drain()
	fmt.Println("the missing ID 100 is asked for again once errttl=1m has passed")
	c.advance(time.Minute)
	show(UsersCached(ctx, []int64{1, 100}))
	drain()
	fmt.Println("an error is returned for the whole call and nothing is cached")
	show(UsersCached(ctx, []int64{4, -1}))
	show(UsersCached(ctx, []int64{4}))
	drain()
	fmt.Println("the handle works on one ID")
	fmt.Println("  contains 4:", UsersMemo().Contains(ctx, 4), "contains 100:", UsersMemo().Contains(ctx, 100), "contains 5:", UsersMemo().Contains(ctx, 5))
	fmt.Println("  forget 4:", UsersMemo().Forget(ctx, 4), "contains 4:", UsersMemo().Contains(ctx, 4))
	s := UsersMemo().Stats()
	fmt.Printf("  stats: hits=%d misses=%d errors=%d\n", s.Hits, s.Misses, s.Errors)

	fmt.Println("concurrent batches with overlapping IDs ask for each ID once")
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() { UsersCached(ctx, []int64{int64(10 + g%3), int64(11 + g%3), 200}) })
	}
	wg.Wait()
	mu.Lock()
	seen := map[string]int{}
	for _, a := range asked {
		for _, id := range strings.Fields(strings.Trim(strings.TrimPrefix(a, "Users"), "[]")) {
			seen[id]++
		}
	}
	asked = nil
	mu.Unlock()
	fmt.Println("  times each ID was asked for:", seen)

	fmt.Println("slice form: result i answers keys[i]; the locale is keyed")
	logf := func(string, ...any) {}
	fmt.Println(LabelsCached("en", logf, false, "a", "b", "a"))
	fmt.Println(LabelsCached("en", logf, false, "b", "c"))
	fmt.Println(LabelsCached("fr", logf, false, "b"))
	fmt.Println(LabelsCached("en", logf, true, "b"))
	drain()
	fmt.Println("a slice form that returns too few results fails")
	r, err := ShortCached([]int{1, 2})
	fmt.Println(" ", r, errors.Is(err, memo.ErrBatchLength))

	fmt.Println("a method: the receiver's fields are part of each ID's key")
	show(Catalog{"eu"}.PricesCached(ctx, []string{"ab", "abc"}))
	show(Catalog{"us"}.PricesCached(ctx, []string{"ab"}))
	show(Catalog{"eu"}.PricesCached(ctx, []string{"ab", "abc"}))
	drain()
}
