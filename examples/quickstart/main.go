// Command quickstart shows memogen in a few lines: two annotated functions,
// their generated wrappers, and what each call computed or served from the
// cache.
package main

//go:generate go run github.com/memogen/memogen/cmd/memogen

import (
	"context"
	"fmt"
	"strings"
	"time"

	memo "github.com/memogen/memogen/runtime"
)

// Weather pretends to call a slow service.
//
//memo:cache ttl=5m nocache=refresh
func Weather(ctx context.Context, city string, refresh bool) (string, error) {
	time.Sleep(50 * time.Millisecond)
	return fmt.Sprintf("sunny in %s", city), nil
}

// WordCount counts the words of a text.
//
//memo:cache size=1000
func WordCount(text string) int {
	return len(strings.Fields(text))
}

func main() {
	// Close drains and closes the bound backends when main returns; a crash
	// or os.Exit skips it.
	defer memo.Close(context.Background())
	ctx := context.Background()
	memo.Configure(memo.Config{Hook: func(c memo.CallInfo) {
		fmt.Printf("  %-14s %-8s key=%s took %s\n", c.Func.Name, c.Outcome, c.Key, c.Duration.Round(10*time.Millisecond))
	}})

	for _, city := range []string{"Paris", "Oslo", "Paris"} {
		w, _ := WeatherCached(ctx, city, false)
		fmt.Println(w)
	}
	w, _ := WeatherCached(ctx, "Paris", true)
	fmt.Println(w, "(refreshed)")

	for range 2 {
		fmt.Println("words:", WordCountCached("the quick brown fox"))
	}
	st := WeatherMemo().Stats()
	fmt.Printf("Weather: %d hits, %d misses\n", st.Hits, st.Misses)
}
