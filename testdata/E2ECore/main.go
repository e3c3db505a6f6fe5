// Command e2ecore exercises generated wrappers end to end; execution
// counters in its output prove which calls ran the function.
package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log"
	"slices"
	"strings"
	"time"

	memo "github.com/memogen/memogen/runtime"
)

var calls = map[string]int{}

// Fetch loads a user by id.
//
//memo:cache ttl=1m ignore=logger nocache=refresh
func Fetch(ctx context.Context, logger *log.Logger, id int, refresh bool) (string, error) {
	calls["Fetch"]++
	if id < 0 {
		return "", errors.New("negative id")
	}
	return fmt.Sprintf("user-%d", id), nil
}

// Join is variadic.
//
//memo:cache
func Join(sep string, parts ...string) string {
	calls["Join"]++
	return strings.Join(parts, sep)
}

// Divide has named results.
//
//memo:cache name=CachedDivide
func Divide(a, b int) (q, r int, err error) {
	calls["Divide"]++
	if b == 0 {
		return 0, 0, errors.New("division by zero")
	}
	return a / b, a % b, nil
}

// Largest is generic.
//
//memo:cache
func Largest[T cmp.Ordered](xs []T) T {
	calls["Largest"]++
	return slices.Max(xs)
}

// Counter's methods show the receiver modes.
type Counter struct {
	Name string
}

// Shared ignores its receiver.
//
//memo:cache receiver=ignore
func (c *Counter) Shared(n int) int {
	calls["Shared"]++
	return n * 2
}

// Named keys by the receiver's fields.
//
//memo:cache receiver=fields
func (c Counter) Named(n int) string {
	calls["Named"]++
	return fmt.Sprintf("%s:%d", c.Name, n)
}

// IDs is not a struct: receiver=fields keys it by its value.
type IDs []int

// Sum adds n to every ID.
//
//memo:cache receiver=fields
func (ids *IDs) Sum(n int) int {
	calls["Sum"]++
	if ids == nil {
		return -1
	}
	total := 0
	for _, id := range *ids {
		total += id + n
	}
	return total
}

// Account has a key method, so its methods are keyed by it.
type Account struct {
	ID      int
	scratch []byte // not part of the identity
}

// MemoKey keys an account by its ID.
func (a *Account) MemoKey(w *memo.KeyWriter) { w.Int(int64(a.ID)) }

// Balance keys by MemoKey.
//
//memo:cache
func (a *Account) Balance(currency string) int {
	calls["Balance"]++
	return a.ID * 100
}

func main() {
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var outcomes []string
	memo.Configure(memo.Config{
		Now:  func() time.Time { return now },
		Hook: func(c memo.CallInfo) { outcomes = append(outcomes, c.Func.Name+":"+c.Outcome.String()) },
	})
	show := func(what string, got ...any) {
		fmt.Printf("%-28s = %v\n", what, fmt.Sprint(got...))
	}

	fmt.Println("# ttl, ignore, nocache, errors")
	a, err := FetchCached(ctx, log.Default(), 1, false)
	show("Fetch(1)", a, " ", err, " calls=", calls["Fetch"])
	a, err = FetchCached(ctx, nil, 1, false) // another logger: ignored
	show("Fetch(1) other logger", a, " ", err, " calls=", calls["Fetch"])
	a, err = FetchCached(ctx, nil, 1, true) // refresh
	show("Fetch(1) refresh", a, " ", err, " calls=", calls["Fetch"])
	now = now.Add(59 * time.Second)
	FetchCached(ctx, nil, 1, false)
	show("Fetch(1) at 59s", "calls=", calls["Fetch"])
	now = now.Add(2 * time.Second)
	FetchCached(ctx, nil, 1, false)
	show("Fetch(1) at 61s (expired)", "calls=", calls["Fetch"])
	_, err = FetchCached(ctx, nil, -1, false)
	_, err2 := FetchCached(ctx, nil, -1, false)
	show("Fetch(-1) twice", err, " / ", err2, " calls=", calls["Fetch"])
	show("FetchMemo().Contains(1)", FetchMemo().Contains(ctx, nil, 1, false))
	FetchMemo().Forget(ctx, nil, 1, false)
	show("after Forget", FetchMemo().Contains(ctx, nil, 1, false))
	st := FetchMemo().Stats()
	show("Fetch stats", fmt.Sprintf("hits=%d misses=%d errors=%d", st.Hits, st.Misses, st.Errors))

	fmt.Println("# variadic")
	show("Join(-, a, b)", JoinCached("-", "a", "b"), " calls=", calls["Join"])
	show("Join(-, a, b) again", JoinCached("-", []string{"a", "b"}...), " calls=", calls["Join"])
	show("Join(-, ab)", JoinCached("-", "ab"), " calls=", calls["Join"])
	show("Join(-)", JoinCached("-"), " calls=", calls["Join"])

	fmt.Println("# named results")
	q, r, err := CachedDivide(7, 2)
	show("Divide(7, 2)", q, " ", r, " ", err, " calls=", calls["Divide"])
	q, r, err = CachedDivide(7, 2)
	show("Divide(7, 2) again", q, " ", r, " ", err, " calls=", calls["Divide"])
	CachedDivide(1, 0)
	_, _, err = CachedDivide(1, 0)
	show("Divide(1, 0) twice", err, " calls=", calls["Divide"])

	fmt.Println("# generic")
	show("Largest[int](3,1,2)", LargestCached([]int{3, 1, 2}), " calls=", calls["Largest"])
	show("Largest[int](3,1,2) again", LargestCached([]int{3, 1, 2}), " calls=", calls["Largest"])
	show("Largest[float64](3,1,2)", LargestCached([]float64{3, 1, 2}), " calls=", calls["Largest"])
	show("Largest[string](b,a)", LargestCached([]string{"b", "a"}), " calls=", calls["Largest"])

	fmt.Println("# receivers")
	c1, c2 := &Counter{Name: "x"}, &Counter{Name: "y"}
	show("c1.Shared(2)", c1.SharedCached(2), " calls=", calls["Shared"])
	show("c2.Shared(2)", c2.SharedCached(2), " calls=", calls["Shared"])
	show("c1.Named(2)", c1.NamedCached(2), " calls=", calls["Named"])
	show("c2.Named(2)", c2.NamedCached(2), " calls=", calls["Named"])
	show("copy of c1 .Named(2)", Counter{Name: "x"}.NamedCached(2), " calls=", calls["Named"])
	ids, same, other := IDs{1, 2}, IDs{1, 2}, IDs{1, 3}
	show("ids.Sum(1)", ids.SumCached(1), " calls=", calls["Sum"])
	show("equal ids.Sum(1)", same.SumCached(1), " calls=", calls["Sum"])
	show("other ids.Sum(1)", other.SumCached(1), " calls=", calls["Sum"])
	var none *IDs
	show("nil ids.Sum(1)", none.SumCached(1), " calls=", calls["Sum"])
	acct1, acct1b := &Account{ID: 1}, &Account{ID: 1, scratch: []byte("x")}
	show("acct1.Balance(eur)", acct1.BalanceCached("eur"), " calls=", calls["Balance"])
	show("acct1b.Balance(eur)", acct1b.BalanceCached("eur"), " calls=", calls["Balance"])
	show("Account{2}.Balance(eur)", (&Account{ID: 2}).BalanceCached("eur"), " calls=", calls["Balance"])
	show("acct1.BalanceMemo().Contains", acct1.BalanceMemo().Contains("eur"))
	acct1.BalanceMemo().Clear(ctx)
	show("after Clear", acct1.BalanceMemo().Contains("eur"))

	fmt.Println("# hook outcomes")
	fmt.Println(strings.Join(outcomes, "\n"))
}
