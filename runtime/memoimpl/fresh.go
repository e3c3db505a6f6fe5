package memoimpl

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"sync/atomic"
	"time"

	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/internal/state"
)

// This file serves functions with freshness options: stale=,
// stale_if_error=, early=, errttl= and ttl_refresh=true. Their entries
// carry their own logical expiry ("fresh until"), the time the function
// took (for early=) and, under errttl=, an error; the store keeps them until
// the logical expiry plus the longest stale window, so that an expired
// result can still be served. Functions without these options never reach
// this file: their hit path is unchanged.

// hasFreshness reports whether the function has a freshness option.
func (info FuncInfo) hasFreshness() bool {
	return info.Stale > 0 || info.StaleIfError > 0 || info.Early > 0 || info.ErrTTL > 0 || info.TTLRefresh
}

// freshValue is what a memory table holds for a function with freshness
// options.
type freshValue struct {
	val   any   // the result, an R; nil for an error
	err   error // the cached error (errttl=), or nil
	fresh int64 // the logical expiry, Unix nanoseconds; 0 for never
	delta int64 // how long the function took, in nanoseconds (early=)
	// slid is the logical expiry that hits extended it to under
	// ttl_refresh=true, or 0. Hits extend the value they found in place,
	// never by storing it again: a store would bring back a value that a
	// Forget, Clear or newer result replaced meanwhile.
	slid atomic.Int64
}

// expiry returns the value's logical expiry, as hits extended it.
func (v *freshValue) expiry() int64 {
	if s := v.slid.Load(); s > v.fresh {
		return s
	}
	return v.fresh
}

// freshEntry is a found entry of a function with freshness options.
type freshEntry[R any] struct {
	val     R
	err     error
	fresh   int64
	delta   int64
	payload []byte      // in a byte-level backend, the encoded result (ttl_refresh=true)
	fv      *freshValue // in a memory table, the value found (ttl_refresh=true)
	writes  uint64      // the function's write count when the entry was read
}

// staleEntry is an expired result a call may serve.
type staleEntry struct {
	val     any   // the result, an R
	expires int64 // its logical expiry
	// refresh says the entry is within stale= of its expiry: it is served
	// at once, and refreshed in the background. Otherwise it is within
	// stale_if_error=, and served only if the function fails.
	refresh bool
}

// TrackOutcome makes c write its outcome to *o when it ends: Hit, Miss,
// Shared, Refresh, Stale, or Uncached when the call ran without the cache.
// Generated WithOutcome handle methods call it right after Begin.
func (c *Call) TrackOutcome(o *memo.Outcome) {
	*o = memo.Uncached
	c.outcome = o
}

func (c *Call) setOutcome(o memo.Outcome) {
	if c.outcome != nil {
		*c.outcome = o
	}
}

// LookupFresh is [Lookup] for functions with freshness options. A cached
// error (errttl=) is a hit whose err is set. An entry past its expiry but
// within stale= or stale_if_error= is a miss for the caller, which then
// calls [RunFresh]: that serves it. Under early=, a live entry close to
// its expiry is a miss with a probability that grows as expiry nears, and
// RunFresh recomputes it (XFetch).
func LookupFresh[R any](c *Call, refresh bool) (result R, ok bool, err error) {
	if refresh {
		c.refresh = true
		return result, false, nil
	}
	if !c.usable() {
		return result, false, nil
	}
	if c.b.boundErr != nil {
		c.f.reportBound(c)
	}
	e, found := loadFresh[R](c)
	if c.b.table == nil {
		c.probed()
	}
	if !found {
		return result, false, nil
	}
	info := &c.f.info
	now := c.cfg.now().UnixNano()
	switch {
	case e.fresh == 0 || now < e.fresh:
		if e.err == nil && info.Early > 0 && e.fresh != 0 && earlyRefresh(now, e.fresh, e.delta, info.Early) {
			// The entry is still fresh: if recomputing it fails, the
			// caller gets it, not the failure (see leadCall).
			c.refresh = true
			c.stale = &staleEntry{val: e.val, expires: e.fresh}
			return result, false, nil
		}
		if info.TTLRefresh && e.err == nil && info.TTL > 0 {
			extend(c, &e, now)
		}
		c.hit(e.fresh)
		c.release()
		return e.val, true, e.err
	case e.err != nil:
	case now < e.fresh+int64(info.Stale):
		c.stale = &staleEntry{val: e.val, expires: e.fresh, refresh: true}
	case now < e.fresh+int64(info.StaleIfError):
		c.stale = &staleEntry{val: e.val, expires: e.fresh}
	}
	return result, false, nil
}

// RunFresh is [Run] for functions with freshness options. compute runs the
// original function with ctx as its context: the caller's, or for a
// background refresh one detached from the caller's cancellation and
// bounded by Config.RefreshTimeout.
func RunFresh[R any](c *Call, compute func(ctx context.Context) (R, error)) (R, error) {
	if st := c.stale; st != nil && st.refresh {
		val, _ := st.val.(R)
		c.f.stats.stale.Add(1)
		c.setOutcome(memo.Stale)
		c.outcome = nil // the background refresh must not write the caller's
		if c.cfg.observing() {
			c.f.report(c.ctx, c.cfg, c.keyBytes(), memo.Stale, c.start, st.expires, c.cacheErr)
		}
		startRefresh(c, compute)
		return val, nil
	}
	return Run(c, func() (R, error) { return compute(c.ctx) })
}

// serveStale returns c's expired result instead of err, the function's
// failure, under stale_if_error=; the hook sees the failure.
func serveStale[R any](c *Call, err error) (R, error) {
	val, _ := c.stale.val.(R)
	c.f.stats.stale.Add(1)
	c.setOutcome(memo.Stale)
	if c.cfg.observing() {
		c.f.report(c.ctx, c.cfg, c.keyBytes(), memo.Stale, c.start, c.stale.expires, joinErrs(err, c.cacheErr))
	}
	return val, nil
}

// refreshes counts the background refreshes running in the process.
var refreshes atomic.Int64

// startRefresh refreshes c's entry in the background, unless a run for its
// key is already in progress or Config.MaxRefreshes are running. It takes
// c over: c ends when the refresh does.
func startRefresh[R any](c *Call, compute func(ctx context.Context) (R, error)) {
	limit := int64(c.cfg.MaxRefreshes)
	if limit <= 0 {
		limit = memo.DefaultMaxRefreshes
	}
	if refreshes.Add(1) > limit {
		refreshes.Add(-1)
		c.release()
		return
	}
	fc, leader := c.f.flight.join(c.w.Bytes())
	if !leader {
		refreshes.Add(-1)
		c.release()
		return
	}
	timeout := c.cfg.RefreshTimeout
	if timeout <= 0 {
		timeout = memo.DefaultRefreshTimeout
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.ctx), timeout)
	// c.stale stays: a refresh that fails must not cache its error over
	// the value it was to replace (see leadFresh).
	c.ctx, c.refresh, c.cacheErr = ctx, true, nil
	if c.cfg.observing() {
		c.start, c.cold = time.Now(), true
	}
	state.StartBackground()
	go func() {
		defer state.EndBackground() // last, once the result is stored
		defer refreshes.Add(-1)
		defer cancel()
		defer c.release()
		var err error
		defer func() {
			if p := recover(); p != nil {
				// A panic of a background refresh has no caller to reach:
				// the hook sees it, and the process goes on.
				err = fc.panicked
			}
			c.f.stats.misses.Add(1)
			if err != nil {
				c.f.stats.errors.Add(1)
			}
			if c.cfg.observing() {
				c.f.report(ctx, c.cfg, c.keyBytes(), memo.Refresh, c.start, fc.expires, joinErrs(err, c.cacheErr))
			}
		}()
		_, err = leadFresh(c, string(c.w.Bytes()), fc, func() (R, error) { return compute(ctx) })
	}()
}

// leadFresh runs compute as the leader of fc, timing it, and stores its
// result, or under errttl= its error, before fc's waiters wake.
func leadFresh[R any](c *Call, key string, fc *flightCall, compute func() (R, error)) (R, error) {
	var delta int64
	timed := func() (R, error) {
		start := c.cfg.now()
		r, err := compute()
		delta = max(c.cfg.now().Sub(start).Nanoseconds(), 0)
		if err != nil && c.cachesError(err) && isZero(&r) {
			var zero R
			fc.expires, _ = storeLive(c, fc, func() (int64, error) { return keepFresh(c, key, zero, err, delta) })
		}
		return r, err
	}
	return lead(c.ctx, &c.f.flight, key, fc, timed, func(r R) (int64, error) {
		return storeLive(c, fc, func() (int64, error) { return keepFresh(c, key, r, nil, delta) })
	})
}

// cachesError reports whether err, the function's failure, is cached under
// errttl=. It is not when there is an expired or early-refreshed value to
// serve instead (stale=, stale_if_error=, early=): caching the error would
// replace that value. Nor is a context error, nor one errttl_if= refuses,
// nor, in a byte-level backend, one that wraps more than one of the
// package's error variables, since it would read back matching only one.
func (c *Call) cachesError(err error) bool {
	info := &c.f.info
	if info.ErrTTL <= 0 || c.stale != nil || isContextErr(err) || info.CacheError != nil && !info.CacheError(err) {
		return false
	}
	if c.b.table == nil {
		n := 0
		for _, s := range info.Sentinels {
			if err == s {
				return true
			}
			if errors.Is(err, s) {
				n++
			}
		}
		return n <= 1
	}
	return true
}

// isZero reports whether *r, the function's other results beside its
// error, are all zero values. An error is cached only then, as a cached
// error comes back with zero results: a function that returns a partial
// result with its error has that error returned, not cached.
func isZero[R any](r *R) bool { return reflect.ValueOf(r).Elem().IsZero() }

// keepFresh stores a result, or an error under errttl=, with its logical
// expiry, and returns that expiry. The store keeps a result for the
// longest of stale= and stale_if_error= past it.
func keepFresh[R any](c *Call, key string, r R, err error, delta int64) (int64, error) {
	info := &c.f.info
	ttl := info.TTL
	if err != nil {
		ttl = info.ErrTTL
	}
	var fresh, until int64
	if ttl > 0 {
		now := c.cfg.now()
		fresh = now.Add(ttl).UnixNano()
		until = fresh
		if err == nil {
			until = now.Add(ttl + max(info.Stale, info.StaleIfError)).UnixNano()
		}
	}
	if c.b.table != nil {
		v := &freshValue{err: err, fresh: fresh, delta: delta}
		size := int64(len("error"))
		if err == nil {
			v.val, size = r, resultSize(c.f, r)
		}
		if info.TTLRefresh {
			// Hits extend the value in place (see extend), past the
			// expiry the table would enforce: the table keeps it, and a
			// lookup past its stale windows is a miss.
			until = 0
		}
		c.b.table.Set(key, v, until, size)
		return fresh, nil
	}
	if !c.writable() {
		return 0, nil
	}
	var payload []byte
	if err != nil {
		payload = appendErrorEnvelope(nil, fresh, delta, err, info.Sentinels)
	} else {
		encoded, ok := encodeResult(c, r)
		if !ok {
			return fresh, nil
		}
		payload = append(appendEnvelope(make([]byte, 0, len(encoded)+24), envValue, fresh, delta), encoded...)
	}
	storeErr := storeEntry(c, payload, until)
	c.probed()
	return fresh, storeErr
}

// loadFresh returns the call's entry, live in the store though perhaps
// past its logical expiry.
func loadFresh[R any](c *Call) (e freshEntry[R], ok bool) {
	if c.b.table != nil {
		v, until, found := c.b.table.Get(c.w.Bytes())
		if !found || !c.live(until) {
			return e, false
		}
		fv, ok := v.(*freshValue)
		if !ok {
			return e, false
		}
		e.val, _ = fv.val.(R)
		e.err, e.fresh, e.delta, e.fv = fv.err, fv.expiry(), fv.delta, fv
		return e, true
	}
	e.writes = c.f.writes.Load()
	data, until, found := c.loadEntry()
	if !found || !c.live(until) {
		return e, false
	}
	env, err := parseEnvelope(data, c.f.info.Sentinels)
	if err != nil {
		c.discard(err)
		return e, false
	}
	e.fresh, e.delta, e.err = env.fresh, env.delta, env.err
	if env.err == nil {
		if e.val, ok = decodeEntry[R](c, env.payload); !ok {
			return e, false
		}
		e.payload = env.payload
	}
	return e, true
}

// extend makes a hit entry live for the function's ttl= from now
// (ttl_refresh=true). In a memory table it extends the value found in
// place. A byte-level entry is stored again, which could bring back a
// result that a Forget, Clear or newer result replaced since it was read;
// so it is rewritten only once half its ttl has passed, and only if, with
// the function's writes held off, this process wrote nothing to the
// function since the read and the entry read again is still the one found
// (another process's write in the instant between that check and the
// rewrite is the window left).
func extend[R any](c *Call, e *freshEntry[R], now int64) {
	info := &c.f.info
	fresh := now + int64(info.TTL)
	if e.fv != nil {
		for {
			old := e.fv.slid.Load()
			if old >= fresh || e.fv.slid.CompareAndSwap(old, fresh) {
				return
			}
		}
	}
	if c.b.table != nil || e.fresh-now > int64(info.TTL)/2 || !c.writable() || c.f.writes.Load() != e.writes {
		return
	}
	c.f.writeMu.Lock()
	defer c.f.writeMu.Unlock()
	if again, ok := loadFresh[R](c); !ok || again.fresh != e.fresh || !bytes.Equal(again.payload, e.payload) || c.f.writes.Load() != e.writes {
		return
	}
	e.fresh = fresh
	until := fresh + int64(max(info.Stale, info.StaleIfError))
	payload := append(appendEnvelope(make([]byte, 0, len(e.payload)+24), envValue, fresh, e.delta), e.payload...)
	_ = storeEntryLocked(c, payload, until) // a failure is counted and reported; the hit stands
	c.probed()
}

// containsFresh is [Call.Contains] for a function with freshness options:
// an entry past its logical expiry does not count.
func (c *Call) containsFresh() bool {
	var fresh int64
	if c.b.table != nil {
		v, until, ok := c.b.table.Peek(c.w.Bytes())
		fv, isFresh := v.(*freshValue)
		if !ok || !isFresh || !c.live(until) {
			return false
		}
		fresh = fv.expiry()
	} else {
		data, until, ok := c.loadEntry()
		c.probed()
		if !ok || !c.live(until) {
			return false
		}
		env, err := parseEnvelope(data, c.f.info.Sentinels)
		if err != nil {
			return false
		}
		fresh = env.fresh
	}
	return c.live(fresh)
}

// earlyRand draws the uniform number of XFetch; tests replace it.
var earlyRand = rand.Float64

// earlyRefresh reports whether a hit at now on an entry fresh until fresh,
// whose computation took delta, recomputes early: XFetch (Vattani,
// Chierichetti and Lowenstein, "Optimal Probabilistic Cache Stampede
// Prevention", VLDB 2015) recomputes when now - delta·beta·ln(rand) reaches
// the expiry, so that the closer expiry is, and the longer the function
// takes, the likelier one caller recomputes before every caller misses.
func earlyRefresh(now, fresh, delta int64, beta float64) bool {
	return float64(now)-float64(delta)*beta*math.Log(earlyRand()) >= float64(fresh)
}
