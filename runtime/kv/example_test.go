package kv_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"slices"
	"time"

	"github.com/memogen/memogen/runtime/kv"
)

// A lookup table in a directory: it outlives the process, and every
// process of the machine reads it.
func Example_lookupTable() {
	dir, err := os.MkdirTemp("", "rates")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	type pair struct{ From, To string }
	rates, err := kv.Open[pair, float64]("rates", "file://"+dir, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer rates.Close()
	ctx := context.Background()
	for p, r := range map[pair]float64{{"EUR", "USD"}: 1.08, {"EUR", "GBP"}: 0.85} {
		if err := rates.Set(ctx, p, r, 0); err != nil {
			log.Fatal(err)
		}
	}

	r, ok, err := rates.Get(ctx, pair{"EUR", "USD"})
	fmt.Println(r, ok, err)

	it := rates.Iter(ctx)
	var lines []string
	for p, r := range it.All() {
		lines = append(lines, fmt.Sprintf("%s→%s %.2f", p.From, p.To, r))
	}
	if err := it.Err(); err != nil {
		log.Fatal(err)
	}
	slices.Sort(lines)
	fmt.Println(lines)
	// Output:
	// 1.08 true <nil>
	// [EUR→GBP 0.85 EUR→USD 1.08]
}

// A session store on Redis, shared by every instance of a web service:
// sessions expire on their own after 30 minutes. Entries in Redis keep no
// readable copy of their keys (the session tokens) unless
// memo.Config.Summaries says so.
func ExampleOpen_sessions() {
	type Session struct {
		User  string
		Roles []string
	}
	sessions, err := kv.Open[string, Session]("sessions", "redis://localhost:6379/0", nil)
	if err != nil {
		log.Fatal(err)
	}
	defer sessions.Close()
	ctx := context.Background()
	token := "f3a9…"
	if err := sessions.Set(ctx, token, Session{User: "ada", Roles: []string{"admin"}}, 30*time.Minute); err != nil {
		log.Print(err) // Redis is down: the caller decides
	}
	s, ok, err := sessions.Get(ctx, token)
	switch {
	case err != nil:
		log.Print(err)
	case !ok:
		fmt.Println("signed out")
	default:
		fmt.Println("signed in as", s.User)
	}
}
