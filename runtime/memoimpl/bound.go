package memoimpl

import (
	"fmt"
	"log/slog"

	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/internal/registry"
	"github.com/memogen/memogen/runtime/store"
)

// unreachableBound returns why the function's own bound (size=) can never
// be reached in vs, a store that evicts across all functions first, or nil
// when it can be or either bound is absent.
func (f *Func) unreachableBound(vs store.ValueStore) error {
	own := f.info.MaxEntries
	b, ok := vs.(store.EntryBounder)
	if own <= 0 || !ok {
		return nil
	}
	storeMax, param := b.EntryBound()
	if storeMax <= 0 || own <= storeMax {
		return nil
	}
	return fmt.Errorf("%w: size=%d, but backend %q keeps at most %d entries of all functions together; raise its URL parameter %s to %d or more, or to 0 for no bound (in %s, or in the Options the store was built with)",
		memo.ErrUnreachableBound, own, f.backendName(), storeMax, param, own, registry.EnvVar(f.backendName()))
}

// reportBound tells the hook and the logger, once per function (once for
// all instantiations of a generic one), that its size= bound can never be
// reached. The hook hears of it with the outcome of the call that first
// used the cache; the logger, or slog.Default when none is set, gets a
// warning record.
func (f *Func) reportBound(c *Call) {
	flag := &f.boundReported
	if f.generic != nil {
		flag = &f.generic.boundReported
	}
	if !flag.CompareAndSwap(false, true) {
		return
	}
	c.cacheErr = joinErrs(c.cacheErr, c.b.boundErr)
	logger := c.cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	logger.LogAttrs(c.ctx, slog.LevelWarn, "memo: size= bound never reached",
		slog.String("func", f.id.String()), slog.Any("error", c.b.boundErr))
}
