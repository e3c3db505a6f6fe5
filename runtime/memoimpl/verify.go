package memoimpl

import (
	"fmt"
	memo "github.com/memogen/memogen/runtime"
	"log/slog"
	"time"
)

// This file is store-time verification: a result goes into a byte-level
// backend only if decoding what was just encoded gives it back. What a
// codec loses cannot always be read from the types (an empty slice gob
// reads back as nil, invalid UTF-8 json replaces with U+FFFD, a named time
// zone json reduces to an offset, whatever a codec of the user's own
// does), and a result that comes back different would be a wrong answer
// served at cache speed. A result that fails the check is returned to the
// caller, which gets exactly what the function computed, and not stored;
// the next call with the same arguments runs the function again.

// readsBack reports whether payload, r's encoding, decodes to a value
// equal to r; when it does not, the result is counted, and the first such
// result of the function reported. It always holds when verification is
// off, for the function or for every one.
func readsBack[R any](c *Call, r *R, payload []byte) bool {
	if c.f.info.NoVerify || c.cfg.noVerify() {
		return true
	}
	d := newDiff(c.b.codecSpec, c.f.info.KeepsLocal)
	var back R
	if err := unmarshal(c.b.codec, payload, &back, c.cfg.limits(time.Time{})); err != nil {
		d.reason = "does not decode: " + err.Error()
	} else if equal(d, c.f.info.Equal, r, &back) {
		return true
	}
	if !c.f.mismatched.Load() {
		c.notStored(fmt.Errorf("%w: %s: codec %s: %s", memo.ErrUnstorable, c.f.backendName(), c.b.codecSpec, d))
	} else {
		c.f.stats.unstorable.Add(1)
	}
	return false
}

// notStored accounts for a result that is returned but not stored because
// err, an [memo.ErrUnstorable]: it holds a cycle, the codec cannot encode it, or
// it would read back different. The first such result of the function is
// reported.
func (c *Call) notStored(err error) {
	c.f.stats.unstorable.Add(1)
	c.f.reportMismatch(c, err)
}

// equal compares a with b by the function's generated comparison, or by
// reflection when it has none of the right type. A comparison that panics
// (a self-marshaling value's method, say) counts as a difference: the
// result is then not stored, and the caller still gets it.
func equal[R any](d *Diff, generated any, a, b *R) (same bool) {
	defer func() {
		if p := recover(); p != nil {
			same, d.reason, d.path = false, fmt.Sprintf("comparing panicked: %v", p), nil
		}
	}()
	if eq, ok := generated.(func(*Diff, *R, *R) bool); ok {
		return eq(d, a, b)
	}
	return d.Reflect(a, b)
}

// reportMismatch tells the hook and the logger, once per function, that a
// result was not stored because it would read back different. The hook
// hears of it with the call's own outcome; the logger, or slog.Default
// when none is set, gets an error record, so that the lost caching is
// never silent. Later results of the function are still checked, and
// stored when they read back equal: whether one does can depend on its
// value.
func (f *Func) reportMismatch(c *Call, err error) {
	if !f.mismatched.CompareAndSwap(false, true) {
		return
	}
	c.cacheErr = joinErrs(c.cacheErr, err)
	logger := c.cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	logger.LogAttrs(c.ctx, slog.LevelError, "memo: result not stored",
		slog.String("func", f.id.String()), slog.Any("error", err))
}
