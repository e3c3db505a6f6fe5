package memoimpl

import (
	"context"
	"encoding/hex"
	memo "github.com/memogen/memogen/runtime"
	"log/slog"
	"sync/atomic"
	"time"
)

// counters are the atomic form of Stats.
type counters struct {
	hits, misses, shared, errors, failures, corrupt, oversize, evictions, unstorable, stale atomic.Uint64
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
