package runtime_test

// Like close_test.go, the test of this file closes every bound backend, so
// it is not parallel.

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/memogen/memogen/backends/memory"
	"github.com/memogen/memogen/internal/fakeclock"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
)

// staleGet is what memogen generates for func(ctx, arg string) (string,
// error) with stale=.
func staleGet(ctx context.Context, f *memoimpl.Func, arg string, compute func(ctx context.Context) (string, error)) (string, memo.Outcome, error) {
	c := f.Begin(ctx)
	var o memo.Outcome
	c.TrackOutcome(&o)
	c.Key().Text(arg)
	if r, ok, err := memoimpl.LookupFresh[string](c, false); ok {
		return r, o, err
	}
	r, err := memoimpl.RunFresh(c, compute)
	return r, o, err
}

// TestCloseWaitsForBackgroundRefreshes serves a stale result, whose
// background refresh is held, and checks that Close returns only once the
// refresh stored its result, and closes the backend after that: a program
// that defers memo.Close loses no refresh it started. A Close whose
// context ends first says so.
func TestCloseWaitsForBackgroundRefreshes(t *testing.T) {
	var log closeLog
	backend := &closer{Store: memory.New(memory.Options{}), name: "refreshed", log: &log}
	name := uniqueName(t)
	register(t, name, backend)
	clock := fakeclock.New(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	memo.Configure(memo.Config{Now: clock.Now})
	t.Cleanup(func() { memo.Configure(memo.Config{}) })
	f := memoimpl.NewFunc(memoimpl.FuncInfo{Package: "example.com/closetest", Name: name, Backend: name, TTL: time.Minute, Stale: time.Hour, Errors: true})

	release := make(chan struct{})
	var stored sync.WaitGroup
	runs := 0
	compute := func(ctx context.Context) (string, error) {
		runs++
		if runs == 2 {
			<-release
		}
		return []string{"", "v1", "v2"}[runs], nil
	}
	if v, _, _ := staleGet(context.Background(), f, "k", compute); v != "v1" {
		t.Fatalf("first call = %q; want v1", v)
	}
	clock.Advance(2 * time.Minute)
	if v, o, _ := staleGet(context.Background(), f, "k", compute); v != "v1" || o != memo.Stale {
		t.Fatalf("expired call = %q, %v; want v1, stale (and a refresh in the background)", v, o)
	}

	short, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := memo.Close(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Close while the refresh is held = %v; want context.DeadlineExceeded", err)
	}

	stored.Add(1)
	go func() {
		defer stored.Done()
		time.Sleep(20 * time.Millisecond) // Close below is waiting by now, most of the time
		close(release)
	}()
	if err := memo.Close(context.Background()); err != nil {
		t.Fatalf("Close = %v; want nil once the refresh ended", err)
	}
	stored.Wait()
	if v, o, _ := staleGet(context.Background(), f, "k", compute); v != "v2" || o != memo.Hit {
		t.Errorf("after Close = %q, %v; want v2, hit: the refresh stored its result before Close returned", v, o)
	}
	if got := log.get(); !slices.Equal(got, []string{"refreshed"}) {
		t.Errorf("closed %q; want the backend closed once", got)
	}
}
