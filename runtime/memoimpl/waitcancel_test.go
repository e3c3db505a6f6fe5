package memoimpl_test

import (
	"context"
	"errors"
	"testing"

	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
)

// TestCanceledWaitIsCountedAndReported cancels a call while it waits for a
// concurrent identical call: with an error result it returns the context's
// error, without one it runs the function itself; either way the call is
// counted in Stats.Canceled, so that the counters add up to the calls, and
// the hook sees it as uncached, with the context's error.
func TestCanceledWaitIsCountedAndReported(t *testing.T) {
	for _, errorsResult := range []bool{true, false} {
		name := "without an error result"
		if errorsResult {
			name = "with an error result"
		}
		t.Run(name, func(t *testing.T) {
			var rec recorder
			configure(t, memo.Config{Hook: rec.Hook})
			f := newFunc(t, memoimpl.FuncInfo{Errors: errorsResult})
			started, release := make(chan struct{}), make(chan struct{})
			leader := make(chan string, 1)
			go func() {
				v, _ := get(f, "k", func() (string, error) {
					close(started)
					<-release
					return "leader", nil
				})
				leader <- v
			}()
			<-started
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			v, err := cached(ctx, f, "k", false, func() (string, error) { return "waiter", nil })
			switch {
			case errorsResult && (v != "" || !errors.Is(err, context.Canceled)):
				t.Errorf("canceled waiter = %q, %v; want context.Canceled", v, err)
			case !errorsResult && (v != "waiter" || err != nil):
				t.Errorf("canceled waiter = %q, %v; want its own run's waiter", v, err)
			}
			close(release)
			<-leader
			s := f.Stats()
			if s.Canceled != 1 || s.Misses != 1 || s.Hits+s.Misses+s.Shared+s.Canceled != 2 {
				t.Errorf("stats = %+v; want 1 miss and 1 canceled: the counters add up to the 2 calls", s)
			}
			var uncached int
			for _, c := range rec.Calls() {
				if c.Outcome == memo.Uncached {
					uncached++
					if !errors.Is(c.Err, context.Canceled) {
						t.Errorf("hook saw the canceled call with error %v; want context.Canceled", c.Err)
					}
				}
			}
			if uncached != 1 {
				t.Errorf("hook saw %d uncached calls; want 1", uncached)
			}
		})
	}
}
