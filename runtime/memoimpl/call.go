package memoimpl

import (
	"context"
	"errors"
	"fmt"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/internal/registry"
	"github.com/memogen/memogen/runtime/store"
	"reflect"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// A Call carries one invocation of a memoized function through the cache.
// Generated code takes one from [Func.Begin], writes the keyed arguments to
// [Call.Key], then either finds a result with [Lookup] or computes it with
// [Run]; the handle methods end a Call with [Call.Forget] or
// [Call.Contains]. Each of these ends the Call: it must not be used after.
type Call struct {
	callState
	// Calls are written on every use by the core using them. Padded to a
	// whole number of cache lines (TestCallFillsCacheLines), which makes
	// them a size class of Go's allocator that is one too (448 bytes on
	// 64-bit platforms, 320 on 32-bit ones), Calls lie on lines of their
	// own, so that two cores using two Calls never write one line (which
	// made two cores serve fewer hits than one).
	// The padding is never empty: a zero-size last field would make the
	// compiler add a word after it.
	_ [cacheLine - unsafe.Sizeof(callState{})%cacheLine]byte
}

// cacheLine is the size of a CPU cache line on the platforms Go runs on
// most.
const cacheLine = 64

// callState is a Call's state: see Call.
type callState struct {
	// The fields every call reads or writes, hit or miss, come first, so
	// that a hit touches as few cache lines as it can; release reads the
	// miss path's fields below them to see whether they need clearing.
	f       *Func
	cfg     *config
	b       *binding
	ctx     context.Context
	stripe  uint32 // which stripe of a hitCounter the call counts on; kept across uses
	refresh bool
	// observed is whether the hook or the logger sees the call, as the
	// settings said when it began.
	observed bool
	// cold is whether start or key, below, were set, for release to clear:
	// a hit on an in-memory table touches neither's cache lines.
	cold bool

	backendDown bool          // an operation of this call on its backend failed
	outcome     *memo.Outcome // where [Call.TrackOutcome] wants the outcome, or nil
	summary     func() string // describes the keyed arguments, for byte-level entries
	cacheErr    error         // the cache's own failure during this call, for the hook
	strictErr   error         // a backend failure to return instead of failing open
	probeUntil  int64         // when probing a backend cooling down, the cooldown it extended; see cooldown.go
	stale       *staleEntry   // an expired entry a function with freshness options may serve; see fresh.go

	w memo.KeyWriter

	// The fields only observed calls and byte-level backends use.
	start  time.Time // set when the call is observed
	key    store.Key // the byte-level key, once computed
	hexKey [32]byte  // the digest's hex digits, for a decoded front's lookups
}

// keyBufferSize is the capacity a pooled Call's key buffer starts with: a
// multiple of 64 bytes, so that the buffer too has cache lines of its own.
const keyBufferSize = 128

var callPool = sync.Pool{New: func() any {
	c := &Call{callState: callState{stripe: callStripes.Add(1)}}
	c.w.Grow(keyBufferSize)
	return c
}}

// callStripes numbers the Calls the pool makes: a Call counts its hits on
// the stripe of its number (see hitCounter). The pool keeps Calls per P,
// so that cores tend to count on different stripes.
var callStripes atomic.Uint32

// Begin starts a call. ctx is the wrapper's context argument, or
// context.Background() when the function takes none (nil counts as that);
// a waiter on a concurrent identical call stops waiting when ctx ends.
func (f *Func) Begin(ctx context.Context) *Call {
	c := callPool.Get().(*Call)
	if ctx == nil {
		ctx = context.Background()
	}
	c.f, c.ctx, c.cfg = f, ctx, currentConfig()
	if c.observed = c.cfg.observing(); c.observed {
		c.start, c.cold = time.Now(), true
	}
	return c
}

// release returns c to the pool. It clears fields one by one rather than
// assigning a zero Call: that keeps the hit path cheap.
func (c *Call) release() {
	c.w.Reset()
	c.f, c.ctx, c.cfg, c.b = nil, nil, nil, nil
	c.refresh, c.observed = false, false
	if c.cold {
		c.start, c.key, c.cold = time.Time{}, store.Key{}, false
	}
	if c.summary != nil || c.cacheErr != nil || c.strictErr != nil || c.probeUntil != 0 || c.outcome != nil || c.stale != nil {
		c.summary, c.cacheErr, c.strictErr = nil, nil, nil
		c.backendDown, c.probeUntil = false, 0
		c.outcome, c.stale = nil, nil
	}
	callPool.Put(c)
}

// Key returns the writer for the call's keyed arguments.
func (c *Call) Key() *memo.KeyWriter { return &c.w }

// BeginKey returns a [memo.Key] that writes the call's keyed arguments,
// for generated code, which ends it with [Call.EndKey].
func (c *Call) BeginKey() memo.Key { return c.w.Key() }

// EndKey stores what k, from [Call.BeginKey], wrote into the call's key,
// for generated code: [Lookup] and [Run] see the bytes from then on.
func (c *Call) EndKey(k memo.Key) { k.Flush() }

// keyBytes returns the call's encoded key for reports: never nil, so that
// the empty key of a function without keyed arguments has a label.
func (c *Call) keyBytes() []byte {
	if key := c.w.Bytes(); key != nil {
		return key
	}
	return emptyKey
}

var emptyKey = []byte{}

// Summarize sets how to describe the call's keyed arguments in a stored
// entry's metadata. Generated code calls it after a missed Lookup, so that
// describing costs nothing on a hit.
func (c *Call) Summarize(describe func() string) { c.summary = describe }

// usable reports whether the call can go through the cache, binding the
// backend if need be. An unusable call is counted and reported, and then
// runs uncached.
func (c *Call) usable() bool {
	if c.b != nil {
		return c.b.err == nil
	}
	if c.cfg.disabled() {
		return false
	}
	c.b = c.f.bind()
	if c.b.err != nil {
		c.f.stats.failures.Add(1)
		c.f.reportUnbound(c.ctx, c.cfg, c.b.err)
		return false
	}
	err := c.w.Err()
	if err == nil && c.b.table == nil {
		if local := c.w.LocalErr(); local != nil {
			err = fmt.Errorf("%s: %w", c.f.backendName(), local)
		}
	}
	if err == nil && c.b.backend != nil && c.coolingDown() {
		err = memo.ErrCoolingDown
		c.strict(err)
	}
	if err != nil {
		c.f.stats.failures.Add(1)
		c.b = &binding{err: err, health: c.b.health}
		if c.cfg.observing() {
			var key []byte // none when the arguments could not be keyed
			if err == memo.ErrCoolingDown {
				key = c.keyBytes()
			}
			c.f.report(c.ctx, c.cfg, key, memo.Uncached, c.start, 0, err)
		}
		return false
	}
	return true
}

// live reports whether an entry expiring at expires (Unix nanoseconds, 0
// for never) is still valid.
func (c *Call) live(expires int64) bool {
	return expires == 0 || c.cfg.now().UnixNano() < expires
}

// Lookup returns the cached result of c's key, ending c on a hit. With
// refresh set it skips the read, so that [Run] recomputes and stores a fresh
// result.
func Lookup[R any](c *Call, refresh bool) (result R, ok bool) {
	if refresh {
		c.refresh = true
		return result, false
	}
	if b := c.f.bound.Load(); c.b == nil && b != nil && b.plainTable && b.gen == registry.Gen() && c.w.Err() == nil && !c.cfg.disabled() {
		// The common case, checked inline: what usable would find.
		c.b = b
	} else if !c.usable() {
		return result, false
	}
	if c.b.boundErr != nil {
		c.f.reportBound(c)
	}
	var expires int64
	if c.b.table != nil {
		result, expires, ok = loadTable[R](c)
	} else if c.b.front != nil {
		result, expires, ok = loadFront[R](c)
		c.probed()
	} else {
		result, expires, ok = loadBytes[R](c)
		c.probed()
	}
	if !ok {
		return result, false
	}
	c.hit(expires)
	c.release()
	return result, true
}

// loadTable returns the call's live result from an in-memory table.
func loadTable[R any](c *Call) (result R, expires int64, ok bool) {
	v, expires, found := c.b.table.Get(c.w.Bytes())
	if !found || !c.live(expires) {
		return result, 0, false
	}
	result, ok = v.(R)
	if !ok && v == nil && reflect.TypeFor[R]().Kind() == reflect.Interface {
		// A nil interface result is stored as a nil any, which no type
		// assertion accepts: it is R's zero value, and a hit.
		ok = true
	}
	return result, expires, ok
}

// hit accounts for a call served from the cache.
func (c *Call) hit(expires int64) {
	c.f.stats.hits.Add(&c.stripe)
	c.setOutcome(memo.Hit)
	if c.observed {
		c.f.report(c.ctx, c.cfg, c.keyBytes(), memo.Hit, c.start, expires, c.cacheErr)
	}
}

// Run computes c's result, once for all concurrent calls with the same key,
// stores it unless compute fails, and ends c. compute runs the original
// function with the caller's own arguments.
func Run[R any](c *Call, compute func() (R, error)) (R, error) {
	defer c.release()
	// Under Config.Strict a failed read, or a backend cooling down, is the
	// call's error instead of a plain run.
	usable := c.usable()
	if c.strictErr != nil {
		var zero R
		return zero, c.strictErr
	}
	if !usable {
		return compute()
	}
	if c.b.boundErr != nil {
		c.f.reportBound(c)
	}
	f := c.f
	if c.refresh {
		// A refresh wants a result computed after it began: it leads a run
		// of its own, whose result replaces the entry, and an older run in
		// progress no longer stores or shares its result.
		return leadShared(c, f.flight.replace(c.w.Bytes()), compute)
	}
	for {
		fc, leader := f.flight.join(c.w.Bytes())
		if leader {
			if r, ok := recheck[R](c, fc); ok {
				return r, nil
			}
			return leadShared(c, fc, compute)
		}
		select {
		case <-fc.done:
		case <-c.ctx.Done():
			return waitCanceled(c, compute)
		}
		if fc.panicked != nil {
			panic(fc.panicked)
		}
		if fc.goexit || (fc.abandoned && isContextErr(fc.err) && c.ctx.Err() == nil) {
			continue // the leader gave up for its own reasons; take over
		}
		result, _ := fc.val.(R)
		if fc.err != nil && c.stale != nil {
			return serveStale[R](c, fc.err)
		}
		f.stats.shared.Add(1)
		c.setOutcome(memo.Shared)
		if c.cfg.observing() {
			// The waiter's own read may have failed, or found a corrupt entry.
			f.report(c.ctx, c.cfg, c.keyBytes(), memo.Shared, c.start, fc.expires, joinErrs(fc.err, c.cacheErr))
		}
		return result, fc.err
	}
}

// waitCanceled ends a call whose context ended while it waited for a
// concurrent identical call: it returns the context's error, or, for a
// function without an error result, runs the function uncached. The call
// is counted (Stats.Canceled) and reported as uncached, with the context's
// error.
func waitCanceled[R any](c *Call, compute func() (R, error)) (r R, err error) {
	c.f.stats.canceled.Add(1)
	c.setOutcome(memo.Uncached)
	cause := c.ctx.Err()
	if c.f.info.Errors {
		err = cause
	} else {
		r, err = compute()
	}
	if c.observed {
		c.f.report(c.ctx, c.cfg, c.keyBytes(), memo.Uncached, c.start, 0, joinErrs(cause, c.cacheErr))
	}
	return r, err
}

// recheck looks in an in-memory table once more after c became fc's leader:
// a run that finished between c's missed Lookup and its joining the flight
// has stored its result, which c and fc's waiters then share instead of
// running the function again. Byte stores are not read twice: a second
// round trip on every miss would cost more than the rare duplicate run.
func recheck[R any](c *Call, fc *flightCall) (result R, ok bool) {
	if c.refresh || c.b.table == nil || c.f.fresh {
		return result, false
	}
	result, expires, ok := loadTable[R](c)
	if !ok {
		return result, false
	}
	fc.val, fc.expires = result, expires
	c.f.flight.finish(string(c.w.Bytes()), fc)
	c.hit(expires)
	return result, true
}

// leadCall runs compute as the leader of fc, stores a successful result and
// accounts for the outcome.
func leadCall[R any](c *Call, fc *flightCall, compute func() (R, error)) (R, error) {
	f := c.f
	key := string(c.w.Bytes())
	var r R
	var err error
	if f.fresh {
		r, err = leadFresh(c, key, fc, compute)
		if err != nil && c.stale != nil {
			f.stats.misses.Add(1)
			f.stats.errors.Add(1)
			return serveStale[R](c, err)
		}
	} else {
		r, err = lead(c.ctx, &f.flight, key, fc, compute, func(r R) (int64, error) {
			return storeLive(c, fc, func() (int64, error) { return keep(c, key, r) })
		})
	}
	outcome := memo.Miss
	if c.refresh {
		outcome = memo.Refresh
	}
	f.stats.misses.Add(1)
	if err != nil {
		f.stats.errors.Add(1)
	}
	c.setOutcome(outcome)
	if c.cfg.observing() {
		f.report(c.ctx, c.cfg, c.keyBytes(), outcome, c.start, fc.expires, joinErrs(err, c.cacheErr))
	}
	return r, err
}

// keep stores a fresh result and returns its expiry. Its error is a
// backend failure under Config.Strict; otherwise failures are only counted.
func keep[R any](c *Call, key string, r R) (int64, error) {
	var expires int64
	if ttl := c.f.info.TTL; ttl > 0 {
		expires = c.cfg.now().Add(ttl).UnixNano()
	}
	if c.b.table != nil {
		c.b.table.Set(key, r, expires, resultSize(c.f, r))
		return expires, nil
	}
	if !c.writable() {
		return 0, nil
	}
	err := storeBytes(c, r, expires)
	c.probed()
	return expires, err
}

// Forget removes the cached result of c's key, and ends c.
func (c *Call) Forget() error {
	defer c.release()
	if !c.usable() {
		return c.bindErr()
	}
	c.f.flight.invalidate(c.w.Bytes()) // before the delete: see invalidate.go
	return c.deleteStored()
}

// deleteStored deletes c's entry from its table or backend.
func (c *Call) deleteStored() error {
	if c.b.table != nil {
		c.b.table.Delete(c.w.Bytes())
		return nil
	}
	ctx := c.opContext()
	defer ctx.cancel()
	if c.f.info.TTLRefresh {
		c.f.writeMu.Lock()
		defer c.f.writeMu.Unlock()
	}
	c.f.writes.Add(1)
	err := c.b.backend.Delete(ctx, c.byteKey())
	if err == nil {
		c.probed()
	}
	return err
}

// Contains reports, without calling the function, whether a live result is
// cached for c's key, and ends c.
func (c *Call) Contains() bool {
	defer c.release()
	if !c.usable() {
		return false
	}
	if c.f.fresh {
		return c.containsFresh()
	}
	if c.b.table != nil {
		_, expires, ok := c.b.table.Peek(c.w.Bytes())
		return ok && c.live(expires)
	}
	if c.b.front != nil && frontHolds(c) {
		return true
	}
	_, expires, ok := c.loadEntry()
	c.probed()
	return ok && c.live(expires)
}

// bindErr is why an unusable call cannot reach the cache, nil when caching is
// merely disabled.
func (c *Call) bindErr() error {
	if c.b == nil {
		return nil
	}
	return c.b.err
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
