package memoimpl

import (
	"context"
	"errors"
	"fmt"
	"time"

	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/store"
)

// This file keeps processes that share a byte-level backend from computing
// the same missing key at once (the directive's lock=), and records the
// function's tags in such a backend (tags=).
//
// The in-process flight already makes one call per key and process the
// leader. When the backend offers a lease ([store.Locker]), the leader
// takes it before computing, reads the key once more, computes only if it
// is still missing, and releases the lease after storing. A leader that
// finds the lease held waits, polling the key with backoff, until the
// result appears, the lease comes free (it then takes it and goes on as
// above) or memo.Config.LockWait has passed by the configured clock; then
// it computes the result itself, without the lease. Locking never fails a
// call: a lease that cannot be taken, or a backend that fails while
// waiting, leaves the leader computing on its own, as without lock=.
//
// Locking is on by default wherever the backend offers a lease, because a
// lease is cheap next to the miss it guards: a flock for files, one SET NX
// and one compare-and-delete for Redis, against a read, a computation and a
// write. lock=false turns it off for a function, lock=true documents that
// the function relies on it.

// Polling intervals of a leader waiting for another process's result: the
// first, doubled after every poll up to the last.
const (
	lockPollMin = 2 * time.Millisecond
	lockPollMax = 100 * time.Millisecond
)

// leadShared computes c's result as fc's leader, holding the lease of its
// key in a backend that offers one, and sharing instead the result another
// process stores meanwhile.
func leadShared[R any](c *Call, fc *flightCall, compute func() (R, error)) (R, error) {
	if c.b.backend == nil {
		return leadCall(c, fc, compute)
	}
	c.recordTags()
	// A refresh recomputes on purpose: another process's result is not
	// the one it asked for.
	l, ok := c.b.backend.(store.Locker)
	if !ok || c.f.info.NoLock || c.refresh {
		return leadCall(c, fc, compute)
	}
	unlock, r, expires, err, found := awaitLease[R](c, l)
	if found {
		fc.val, fc.err, fc.expires = r, err, expires
		c.f.flight.finish(string(c.w.Bytes()), fc)
		c.f.stats.shared.Add(1)
		c.setOutcome(memo.Shared)
		if c.cfg.observing() {
			c.f.report(c.ctx, c.cfg, c.keyBytes(), memo.Shared, c.start, expires, joinErrs(err, c.cacheErr))
		}
		return r, err
	}
	if unlock != nil {
		defer c.releaseLease(unlock)
	}
	return leadCall(c, fc, compute)
}

// awaitLease takes the lease of c's key, or waits for the result of the
// process holding it. It returns the release of the lease it took, or the
// result another process stored (found), or neither when c is to compute
// without the lease.
func awaitLease[R any](c *Call, l store.Locker) (unlock func(context.Context) error, result R, expires int64, shared error, found bool) {
	wait := c.cfg.lockWait()
	deadline := c.cfg.now().Add(wait)
	key := c.byteKey()
	poll := lockPollMin
	for {
		if c.backendDown || !c.writable() {
			return nil, result, 0, nil, false // the backend is failing: no lease worth waiting for
		}
		ctx := c.opContext()
		unlock, ok, err := l.TryLock(ctx, key, wait)
		ctx.cancel()
		if errors.Is(err, errors.ErrUnsupported) {
			return nil, result, 0, nil, false // a wrapper whose inner backend offers no lease
		}
		if err != nil {
			c.f.stats.failures.Add(1)
			c.cacheErr = joinErrs(c.cacheErr, fmt.Errorf("memo: %s: lock: %w", c.f.backendName(), err))
			return nil, result, 0, nil, false
		}
		// With the lease or without it, a result stored since the missed
		// Lookup is the one to share.
		result, expires, shared, found = loadStored[R](c)
		switch {
		case ok && found:
			c.releaseLease(unlock)
			return nil, result, expires, shared, true
		case ok:
			return unlock, result, 0, nil, false
		case found:
			return nil, result, expires, shared, true
		case !c.cfg.now().Before(deadline):
			return nil, result, 0, nil, false
		}
		t := time.NewTimer(poll)
		select {
		case <-t.C:
		case <-c.ctx.Done():
			t.Stop()
			return nil, result, 0, nil, false
		}
		poll = min(2*poll, lockPollMax)
	}
}

// releaseLease releases a lease within Config.Timeout; a lease that cannot be
// released expires on its own.
func (c *Call) releaseLease(unlock func(context.Context) error) {
	ctx := c.opContext()
	defer ctx.cancel()
	_ = unlock(ctx)
}

// recordTags records the function's tags in its backend, once per binding,
// before the function stores its first result there, so that invalidating
// a tag from another process reaches it. A failure is tried again on the
// next miss.
func (c *Call) recordTags() {
	tg, ok := c.b.backend.(store.Tagger)
	if !ok || len(c.f.info.Tags) == 0 || c.f.tagsRecorded.Load() == c.b || c.backendDown {
		return
	}
	ctx := c.opContext()
	defer ctx.cancel()
	for _, t := range c.f.info.Tags {
		if err := tg.AddTag(ctx, t, c.f.id); err != nil {
			c.f.stats.failures.Add(1)
			c.cacheErr = joinErrs(c.cacheErr, fmt.Errorf("memo: %s: tag %q: %w", c.f.backendName(), t, err))
			return
		}
	}
	c.f.tagsRecorded.Store(c.b)
}

// DropTagged implements registry.TaggedFunc: memo.InvalidateTags clears a
// table at once, and a byte-level backend through clear.
func (f *Func) DropTagged(_ context.Context, clear func(store.Backend, store.FuncID)) {
	f.flight.invalidateAll() // before the clear: see invalidate.go
	b := f.bind()
	switch {
	case b.err != nil:
	case b.table != nil:
		b.table.Clear()
	default:
		clear(b.backend, f.id)
	}
}

// loadStored reads the result another process stored under c's key, as a
// lookup would read it: a function with freshness options stores an
// envelope (see envelope.go), whose result is shared only while it is
// fresh, and whose error (errttl=) is shared as the result is.
func loadStored[R any](c *Call) (result R, expires int64, err error, found bool) {
	if !c.f.fresh {
		result, expires, found = loadBytes[R](c)
		return result, expires, nil, found
	}
	e, ok := loadFresh[R](c)
	if !ok || e.fresh != 0 && c.cfg.now().UnixNano() >= e.fresh {
		return result, 0, nil, false
	}
	return e.val, e.fresh, e.err, true
}
