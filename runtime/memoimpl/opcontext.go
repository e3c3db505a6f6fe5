package memoimpl

import (
	"context"
	"sync"
	"time"
)

// opContext is the context of one backend operation: the caller's values,
// not its cancellation, and a deadline Config.Timeout away. It behaves as
// context.WithTimeout(context.WithoutCancel(parent), timeout) does, but
// starts no timer until a backend asks for Done: in-memory stores and a
// tiered store's front answer without ever blocking, and for them the timer
// was most of the cost of a hit.
type opContext struct {
	parent   context.Context // for Value only
	deadline time.Time

	mu    sync.Mutex
	done  chan struct{} // made on the first Done
	timer *time.Timer   // closes done at the deadline, once made
	err   error         // set when done closes, or when the deadline passed
}

// newOpContext returns the context of one operation and its cancel, which
// the operation must call when it ends.
func newOpContext(parent context.Context, timeout time.Duration) (*opContext, context.CancelFunc) {
	c := startOp(parent, timeout)
	return c, c.cancel
}

// startOp returns the context of one operation, whose cancel method the
// operation must call when it ends: the runtime calls the method, rather
// than a CancelFunc, which would cost an allocation per operation.
func startOp(parent context.Context, timeout time.Duration) *opContext {
	if parent.Done() != nil {
		// Hide the caller's cancellation from Value too, so that
		// context.Cause reports this operation's own end, not the caller's.
		// A parent that can never be cancelled has nothing to hide.
		parent = context.WithoutCancel(parent)
	}
	return &opContext{parent: parent, deadline: time.Now().Add(timeout)}
}

// Deadline returns the operation's deadline.
func (c *opContext) Deadline() (time.Time, bool) { return c.deadline, true }

// Value returns the caller's value for key.
func (c *opContext) Value(key any) any { return c.parent.Value(key) }

// Done returns a channel closed at the deadline or when the operation ends,
// starting the timer on first use.
func (c *opContext) Done() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done != nil {
		return c.done
	}
	c.done = make(chan struct{})
	if c.err == nil {
		if d := time.Until(c.deadline); d > 0 {
			c.timer = time.AfterFunc(d, func() { c.end(context.DeadlineExceeded) })
			return c.done
		}
		c.err = context.DeadlineExceeded
	}
	close(c.done)
	return c.done
}

// Err returns nil until the deadline passes or the operation ends.
func (c *opContext) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err == nil && !time.Now().Before(c.deadline) {
		c.endLocked(context.DeadlineExceeded)
	}
	return c.err
}

// String names the context as context.WithTimeout's do, for debugging.
func (c *opContext) String() string {
	return "memo.opContext.WithDeadline(" + c.deadline.String() + ")"
}

func (c *opContext) cancel() { c.end(context.Canceled) }

func (c *opContext) end(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.endLocked(err)
}

// endLocked records err unless the context has ended already, closing done
// and stopping the timer if they exist.
func (c *opContext) endLocked(err error) {
	if c.err != nil {
		return
	}
	c.err = err
	if c.timer != nil {
		c.timer.Stop()
	}
	if c.done != nil {
		close(c.done)
	}
}
