package memoimpl

import (
	"context"
	"errors"
	"fmt"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/store"
	"reflect"
	"time"
)

// This file is the path of byte-level backends: results are encoded by the
// function's codec into an Entry, addressed by a digest Key, and every fault
// (an unreachable backend, a corrupt entry, a result that does not decode)
// degrades to a miss instead of reaching the caller.

// byteKey returns the call's key for byte-level backends.
func (c *Call) byteKey() store.Key {
	if c.key.Digest == "" {
		c.key = store.Key{Func: c.f.id, Digest: digestHex(c.f.prefix, c.w.Bytes()), Codec: c.b.codecSpec}
		c.cold = true
	}
	return c.key
}

// opContext bounds one backend operation by Config.Timeout. It keeps the
// caller's values but not its cancellation, so that a result computed just
// before the caller gave up is still stored.
func (c *Call) opContext() *opContext {
	return startOp(c.ctx, c.cfg.timeout())
}

// joinErrs joins errors, returning one of them unwrapped when the other is
// nil, so that the hook sees the error itself whenever there is only one.
func joinErrs(a, b error) error {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return errors.Join(a, b)
}

// fail records a backend failure: counted, reported, and under
// Config.Strict returned by Run for functions that return errors.
func (c *Call) fail(err error) {
	c.f.stats.failures.Add(1)
	c.cacheErr = joinErrs(c.cacheErr, err)
	c.strict(err)
}

// strict makes err the call's error under Config.Strict, for functions that
// return errors.
func (c *Call) strict(err error) {
	if c.cfg.Strict && c.f.info.Errors {
		c.strictErr = err
	}
}

// backendFailed records a failed backend operation and starts the
// backend's cooldown: for Config.Cooldown, calls skip it and run uncached,
// so that a dead server costs one timeout, not one per call.
func (c *Call) backendFailed(err error) {
	c.fail(err)
	c.backendDown = true
	if d := c.cfg.cooldown(); d > 0 {
		c.b.health.CooldownUntil.Store(c.cfg.now().Add(d).UnixNano())
	}
}

// discard deletes an entry that cannot be used and counts it as corrupt; the
// call goes on as a miss.
func (c *Call) discard(err error) {
	c.f.stats.corrupt.Add(1)
	c.cacheErr = err
	ctx := c.opContext()
	defer ctx.cancel()
	_ = c.b.backend.Delete(ctx, c.byteKey())
}

// loadEntry fetches the call's entry, checks it and returns its payload
// and expiry (Unix nanoseconds, 0 for never); a missing entry, a failing
// backend and a corrupt or foreign entry all report false. It parses only
// what a hit needs, allocating nothing beyond what the backend returned.
func (c *Call) loadEntry() (payload []byte, expires int64, ok bool) {
	ctx := c.opContext()
	data, err := c.b.backend.Get(ctx, c.byteKey())
	ctx.cancel()
	return c.checkEntry(data, err)
}

// checkEntry is loadEntry once the backend answered with data and err.
func (c *Call) checkEntry(data []byte, err error) (payload []byte, expires int64, ok bool) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, 0, false
	case errors.Is(err, store.ErrCorrupt):
		// The backend found something that is not an entry at its place (a
		// Redis list), and says so: the entry is corrupt or hostile, not a
		// sign that the backend is down, which would cool it down for every
		// function.
		c.discard(fmt.Errorf("memo: %s: get: %w", c.f.backendName(), err))
		return nil, 0, false
	case errors.Is(err, store.ErrTooLarge):
		// The backend refused to read an entry over the limit whole: as
		// above.
		c.discard(fmt.Errorf("%w: %s: get: %w", store.ErrCorrupt, c.f.backendName(), err))
		return nil, 0, false
	case err != nil:
		c.backendFailed(fmt.Errorf("memo: %s: get: %w", c.f.backendName(), err))
		return nil, 0, false
	case len(data) > c.cfg.maxEntryBytes():
		c.discard(fmt.Errorf("%w: %w", store.ErrCorrupt, store.EntryTooLarge(int64(len(data)), c.cfg.maxEntryBytes())))
		return nil, 0, false
	}
	payload, expiry, err := store.CheckEntry(data, c.key)
	switch {
	case errors.Is(err, store.ErrOldEntry):
		return nil, 0, false // not damage: the fresh result replaces it
	case err != nil:
		c.discard(err)
		return nil, 0, false
	case !expiry.IsZero():
		expires = expiry.UnixNano()
	}
	return payload, expires, true
}

// loadBytes returns the call's live, decoded result from a byte-level
// backend.
func loadBytes[R any](c *Call) (result R, expires int64, ok bool) {
	payload, expires, ok := c.loadEntry()
	if !ok || !c.live(expires) {
		return result, 0, false
	}
	result, ok = decodeEntry[R](c, payload)
	return result, expires, ok
}

// decodeEntry decodes the payload of the call's entry; an entry that does
// not decode is discarded.
func decodeEntry[R any](c *Call, payload []byte) (result R, ok bool) {
	lim := c.cfg.limits(time.Now().Add(c.cfg.timeout()))
	if err := unmarshal(c.b.codec, payload, &result, lim); err != nil {
		var zero R
		if errors.Is(err, context.DeadlineExceeded) {
			// A slow decode of an entry within the limits says the process
			// is loaded, not that the entry is bad: keep it.
			c.fail(fmt.Errorf("memo: %s: decoding a result of %s: %w", c.f.backendName(), c.f.id, err))
			return zero, false
		}
		c.discard(fmt.Errorf("%w: decoding: %w", store.ErrCorrupt, err))
		return zero, false
	}
	return result, true
}

// storeBytes encodes and stores a fresh result, unless it would not read
// back equal.
func storeBytes[R any](c *Call, r R, expires int64) error {
	payload, ok := encodeResult(c, r)
	if !ok {
		return nil
	}
	return storeEntry(c, payload, expires)
}

// encodeResult encodes a result, reporting false for one that is not to
// be stored: too large, unencodable, or not reading back equal. A result
// that holds a cycle, or nests too deep for the codec, is not encoded:
// that would overflow the stack.
func encodeResult[R any](c *Call, r R) (payload []byte, ok bool) {
	if c.f.info.Recursive {
		if err := checkNesting(r, nestingLimit(c.b.codecSpec)); err != nil {
			c.notStored(fmt.Errorf("%w: %s: %w", memo.ErrUnstorable, c.f.backendName(), err))
			return nil, false
		}
	}
	payload, err := marshal(c.b.codec, encodable(&r), c.cfg.limits(time.Time{}))
	switch {
	case errors.Is(err, store.ErrTooLarge):
		// Too large to store, and to read back within the decoding limits,
		// before or after compression.
		c.f.stats.oversize.Add(1)
		return nil, false
	case err != nil:
		c.notStored(fmt.Errorf("%w: %s: codec %s cannot encode the result: %w", memo.ErrUnstorable, c.f.backendName(), c.b.codecSpec, err))
		return nil, false
	}
	return payload, readsBack(c, &r, payload)
}

// storeEntry stores an encoded payload as the call's entry until expires
// (Unix nanoseconds, 0 for never).
func storeEntry(c *Call, payload []byte, expires int64) error {
	if c.f.info.TTLRefresh {
		// A ttl_refresh= hit stores its entry again only if no write came
		// since it read it; see extend.
		c.f.writeMu.Lock()
		defer c.f.writeMu.Unlock()
	}
	return storeEntryLocked(c, payload, expires)
}

// storeEntryLocked is storeEntry with Func.writeMu held, if need be.
func storeEntryLocked(c *Call, payload []byte, expires int64) error {
	c.recordTags() // every byte-level store comes here: plain, fresh and batch
	c.f.writes.Add(1)
	e := store.Entry{Codec: c.b.codecSpec, Created: c.cfg.now(), Digest: c.byteKey().Digest, Payload: payload}
	if expires != 0 {
		e.Expires = time.Unix(0, expires)
	}
	if c.summary != nil && c.cfg.Summaries.KeepsSummary(c.f.info.Summary, c.b.private) {
		e.Summary = c.summary()
	}
	data := store.EncodeEntry(e)
	if len(data) > c.cfg.maxEntryBytes() {
		c.f.stats.oversize.Add(1)
		return nil
	}
	ctx := c.opContext()
	defer ctx.cancel()
	if err := c.b.backend.Set(ctx, c.byteKey(), data, e.Expires); err != nil {
		err = fmt.Errorf("memo: %s: set: %w", c.f.backendName(), err)
		if errors.Is(err, store.ErrCorrupt) || errors.Is(err, store.ErrFull) {
			// Something that is not an entry holds this key's place, or a
			// bounded store refused the entry: a failure of this call, not
			// an outage of the backend, whose other calls go on.
			c.fail(err)
		} else {
			c.backendFailed(err)
		}
		return c.strictErr
	}
	return nil
}

// encodable returns what a codec's Marshal receives for the result *r: the
// result, or r itself when R is an interface type. Boxed in an any, an
// interface result would keep its dynamic type alone, and a codec that
// keeps interfaces (gob) must see the interface type to write the dynamic
// type's name, which decoding into *R reads back. Codecs that do not keep
// interfaces encode the pointer as they would the dynamic value.
func encodable[R any](r *R) any {
	if reflect.TypeFor[R]().Kind() == reflect.Interface {
		return r
	}
	return *r
}

// marshal and unmarshal turn a codec's panic on odd data into an error.
func marshal(codec store.Codec, v any, lim store.Limits) (b []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("codec panicked: %v", p)
		}
	}()
	return store.MarshalLimited(codec, v, lim)
}

func unmarshal(codec store.Codec, data []byte, v any, lim store.Limits) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("codec panicked: %v", p)
		}
	}()
	return store.UnmarshalLimited(codec, data, v, lim)
}
