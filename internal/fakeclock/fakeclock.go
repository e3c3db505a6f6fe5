// Package fakeclock is a clock that tests move by hand, for memo.Config.Now
// and the backends' clocks, so that expiry, leases and cooldowns are tested
// without sleeping.
package fakeclock

import (
	"sync"
	"time"
)

// A Clock reads a time that only Advance and Set change. It is safe for
// concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time // guarded by mu
}

// New returns a Clock that reads now.
func New(now time.Time) *Clock { return &Clock{now: now} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock d forward (backward for a negative d).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
