package memoimpl

// This file keeps a failing byte-level backend from costing a timeout per
// call. The first failed operation starts a cooldown of the backend, for
// Config.Cooldown: calls that begin during it, of every function bound to
// the backend's name, run uncached without touching the backend. When the cooldown is over, the first call to come
// probes the backend and extends the cooldown for every other call by one
// more; its success ends the cooldown at once, its failure starts another.
// A call whose read failed does not also write, nor does one that finds
// the backend cooling down when its result is ready. So an outage costs
// each call at most one timeout, and once the first failure is recorded,
// costs one probe per cooldown in all, however many functions (and
// instances of generic functions) use the backend.
//
// Operations already under way when the first failure is recorded still
// run to their own deadline: a client blocked reading a socket honours its
// deadline, not a cancellation, so abandoning them would take a goroutine
// per operation, a cost every healthy call would pay.

// coolingDown reports whether the call must skip its backend, which failed
// less than a cooldown ago, or longer ago but another call is probing it.
// When the cooldown is over and no call probes yet, the call becomes the
// probe.
func (c *Call) coolingDown() bool {
	until := c.b.health.CooldownUntil.Load()
	if until == 0 {
		return false
	}
	now := c.cfg.now()
	if now.UnixNano() < until {
		return true
	}
	next := now.Add(c.cfg.cooldown()).UnixNano()
	if !c.b.health.CooldownUntil.CompareAndSwap(until, next) {
		return true // another call took the probe
	}
	c.probeUntil = next
	return false
}

// probed ends the cooldown the call extended as a probe, unless its
// operation failed, or another call's failure has started another since.
func (c *Call) probed() {
	if c.probeUntil != 0 && !c.backendDown {
		c.b.health.CooldownUntil.CompareAndSwap(c.probeUntil, 0)
	}
}

// writable reports whether the call may store its result: not after one of
// its operations failed, nor during the cooldown after another call's
// failure.
func (c *Call) writable() bool {
	if c.backendDown {
		return false
	}
	until := c.b.health.CooldownUntil.Load()
	return until == 0 || until == c.probeUntil || c.cfg.now().UnixNano() >= until
}
