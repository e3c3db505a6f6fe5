package memoimpl

import (
	"bytes"
	"context"
	memo "github.com/memogen/memogen/runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// flightCall is one run of a function that concurrent identical calls share.
type flightCall struct {
	done chan struct{} // closed when the fields below are final

	val      any
	err      error
	expires  int64
	panicked *memo.PanicError // set when the function panicked
	goexit   bool             // set when the function called runtime.Goexit
	// abandoned is set when the leader's own context had ended by the time
	// the function returned: a context error is then the leader's alone,
	// and a waiter whose context is live runs the function itself. A
	// context error the function returned while the leader's context was
	// live (a downstream timeout of its own) is its result, shared like any
	// other error.
	abandoned bool
	// invalidated is set when Forget or Clear, or a refresh call of the
	// same key, began while the run was in progress: its result then goes
	// to the callers that joined it, and is not stored (see storeLive).
	invalidated atomic.Bool
}

// flightGroup tracks the runs in progress, by key.
type flightGroup struct {
	mu sync.Mutex
	m  map[string]*flightCall // guarded by mu
}

// join returns the run in progress for key, or starts one and reports that
// the caller leads it.
func (g *flightGroup) join(key []byte) (fc *flightCall, leader bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if fc, ok := g.m[string(key)]; ok {
		return fc, false
	}
	return g.startLocked(key), true
}

// startLocked starts a run for key, in place of any in the group; the
// caller holds g.mu.
func (g *flightGroup) startLocked(key []byte) *flightCall {
	if g.m == nil {
		g.m = make(map[string]*flightCall)
	}
	fc := &flightCall{done: make(chan struct{})}
	g.m[string(key)] = fc
	return fc
}

// invalidate marks the run in progress for key, if any, invalidated, and
// takes it out of the group, so that calls from now on start a run of
// their own rather than share its result.
func (g *flightGroup) invalidate(key []byte) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if fc, ok := g.m[string(key)]; ok {
		fc.invalidated.Store(true)
		delete(g.m, string(key))
	}
}

// invalidateAll is invalidate for every run in progress.
func (g *flightGroup) invalidateAll() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for key, fc := range g.m {
		fc.invalidated.Store(true)
		delete(g.m, key)
	}
}

// replace starts a run for key that the caller leads, in place of the run
// in progress, if any, which it invalidates: a refresh call (nocache=)
// wants a result computed after it began, and must not be overwritten by an
// older run's.
func (g *flightGroup) replace(key []byte) *flightCall {
	g.mu.Lock()
	defer g.mu.Unlock()
	if old, ok := g.m[string(key)]; ok {
		old.invalidated.Store(true)
	}
	return g.startLocked(key)
}

// finish publishes fc's outcome to its waiters.
func (g *flightGroup) finish(key string, fc *flightCall) {
	g.mu.Lock()
	if g.m[key] == fc {
		delete(g.m, key)
	}
	g.mu.Unlock()
	close(fc.done)
}

// lead runs compute for fc's waiters, on behalf of a caller whose context
// is ctx. It stores a successful result through store before the waiters
// wake, so that later calls find it cached; a store error becomes the
// call's error. A panic is recorded for the waiters and raised again here
// with its original value, from where it was raised; a runtime.Goexit is recorded so that waiters run
// the function themselves, and so is whether ctx had ended.
func lead[R any](ctx context.Context, g *flightGroup, key string, fc *flightCall, compute func() (R, error), store func(R) (int64, error)) (r R, err error) {
	normal, recovered := false, false
	defer func() {
		if !normal && !recovered {
			fc.goexit = true
		}
		fc.abandoned = ctx.Err() != nil
		g.finish(key, fc)
	}()
	func() {
		defer func() {
			if normal {
				return
			}
			if p := recover(); p != nil {
				recovered = true
				fc.panicked = &memo.PanicError{Value: p, Stack: trimStack(debug.Stack())}
				// Raised again from here, while the frames that panicked
				// are still on the stack, the panic's trace shows where
				// the function panicked, not this line.
				panic(p)
			}
		}()
		r, err = compute()
		normal = true
	}()
	if err == nil {
		if fc.expires, err = store(r); err != nil {
			var zero R
			r = zero
		}
	}
	fc.val, fc.err = r, err
	return r, err
}

// trimStack drops the frames of the panic machinery above the panic site.
func trimStack(stack []byte) []byte {
	if i := bytes.Index(stack, []byte("panic(")); i >= 0 {
		if j := bytes.IndexByte(stack[i:], '\n'); j >= 0 {
			return stack[i+j+1:]
		}
	}
	return stack
}
