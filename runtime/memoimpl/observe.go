package memoimpl

import (
	"context"
	"encoding/hex"
	memo "github.com/memogen/memogen/runtime"
	"log/slog"
	"math/rand/v2"
	"sync/atomic"
	"time"
)

// counters are the atomic form of Stats. Hits, counted on every hit of
// every core, have stripes of their own (hitCounter); the others count
// rarer events.
type counters struct {
	hits                                                                       hitCounter
	misses, shared, errors, failures, corrupt, oversize, evictions, unstorable atomic.Uint64
	stale, canceled                                                            atomic.Uint64
}

// hitStripes is how many stripes a hitCounter spreads over.
const hitStripes = 8

// A hitCounter counts hits on stripes that each fill a cache line, so that
// cores serving hits of one function at once do not take turns owning one
// counter's line (which made two cores serve fewer hits than one). A call
// adds to the stripe its pooled Call was given; Load sums them.
type hitCounter struct {
	_       [64]byte // keeps the stripes off the line of the Func's fields before
	stripes [hitStripes]struct {
		n atomic.Uint64
		_ [56]byte
	}
}

// Add counts one hit on the stripe of *stripe (taken modulo hitStripes).
// When another core is adding to that stripe at the same moment, it moves
// *stripe, the pooled Call's own, to a random other stripe: as in Java's
// LongAdder, cores that collide on a stripe soon spread over different
// ones, whatever stripes their Calls were first given.
func (h *hitCounter) Add(stripe *uint32) {
	n := &h.stripes[*stripe%hitStripes].n
	if v := n.Load(); !n.CompareAndSwap(v, v+1) {
		n.Add(1)
		*stripe = rand.Uint32()
	}
}

// Load returns the hits counted.
func (h *hitCounter) Load() (n uint64) {
	for i := range h.stripes {
		n += h.stripes[i].n.Load()
	}
	return n
}

func (c *counters) snapshot() memo.Stats {
	return memo.Stats{
		Hits:       c.hits.Load(),
		Misses:     c.misses.Load(),
		Shared:     c.shared.Load(),
		Errors:     c.errors.Load(),
		Failures:   c.failures.Load(),
		Corrupt:    c.corrupt.Load(),
		Oversize:   c.oversize.Load(),
		Evictions:  c.evictions.Load(),
		Unstorable: c.unstorable.Load(),
		Stale:      c.stale.Load(),
		Canceled:   c.canceled.Load(),
	}
}

// report sends a finished call to the hook and the logger, when either is
// set. key is nil for a call whose key could not be built, which then has
// no label; an empty key, of a function without keyed arguments, is not
// nil (see Call.keyBytes).
func (f *Func) report(ctx context.Context, cfg *config, key []byte, o memo.Outcome, start time.Time, expires int64, err error) {
	info := memo.CallInfo{
		Func:     f.id,
		Outcome:  o,
		Duration: time.Since(start),
		Err:      err,
	}
	if key != nil {
		info.Key = keyLabel(key, cfg.FullKeys)
	}
	if expires != 0 {
		info.Expires = time.Unix(0, expires)
	}
	cfg.hook(info)
	if cfg.Logger != nil && cfg.Logger.Enabled(ctx, slog.LevelDebug) {
		attrs := []slog.Attr{
			slog.String("func", f.id.String()),
			slog.String("outcome", o.String()),
		}
		if key != nil {
			attrs = append(attrs, slog.String("key", info.Key))
		}
		attrs = append(attrs, slog.Duration("duration", info.Duration))
		if err != nil {
			attrs = append(attrs, slog.Any("error", err))
		}
		cfg.Logger.LogAttrs(ctx, slog.LevelDebug, "memo call", attrs...)
	}
}

func keyLabel(key []byte, full bool) string {
	if full {
		return hex.EncodeToString(key)
	}
	d := digestOf(nil, key)
	return hex.EncodeToString(d[:6])
}
