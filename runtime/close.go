package runtime

import (
	"context"
	"errors"
	"fmt"

	"github.com/memogen/memogen/runtime/internal/registry"
	"github.com/memogen/memogen/runtime/internal/state"
)

// Close waits for the background refreshes still running (those of
// functions with stale= or early=, each bounded by Config.RefreshTimeout)
// to store their results, then closes every bound backend that can be
// closed, the last bound first, so that a program drains write-behind
// queues and releases connections on its way out:
//
//	func main() {
//		defer memo.Close(context.Background())
//		…
//	}
//
// A backend that is a [store.ContextCloser] is closed with ctx; an io.Closer is
// closed on a goroutine of its own, and Close stops waiting for it when ctx
// ends. A backend bound under several names is closed once. Close is
// idempotent: it never closes a backend twice. Names stay bound, so calls
// made after Close reach closed backends; those that then fail, as a
// write-behind store refuses changes, run uncached. It returns the errors
// of every backend, joined, and ctx's error if ctx ended before the
// background refreshes did (the backends are closed all the same, and
// what those refreshes had not stored is lost).
//
// Close runs only when the program gets to it: a crash, os.Exit, log.Fatal
// or an unrecovered panic skips deferred calls, and whatever a backend had
// not written by then is lost.
func Close(ctx context.Context) error {
	var waitErr error
	if err := state.WaitBackground(ctx); err != nil {
		waitErr = fmt.Errorf("memo: closing before background refreshes ended: %w", err)
	}
	return errors.Join(waitErr, registry.Close(ctx))
}
