package memoimpl

import (
	"encoding/hex"
)

// This file is the path of byte-level backends that keep decoded results
// in front of their bytes (store.DecodedFront: a tiered store with an
// in-memory front). A hit in the front costs a digest and a table lookup:
// no copy, checksum or decode. What the front keeps is the result decoded
// from the entry the back holds, never the result as the function
// returned it, so a front hit returns what a read of the back would; like
// the memory backend's, the value is shared by every hit.

// kept is what the runtime keeps in a front: a decoded result and the
// expiry of its entry (Unix nanoseconds, 0 for never), which the front's
// own TTL may cut short.
type kept[R any] struct {
	result  R
	expires int64
}

// frontDigest returns the hex digest of the call's key, for looking the
// front up: in the Call, since a buffer of its own would escape to the
// heap through the front's interface.
func (c *Call) frontDigest() []byte {
	if c.key.Digest != "" {
		return append(c.hexKey[:0], c.key.Digest...)
	}
	d := digestOf(c.f.prefix, c.w.Bytes())
	hex.Encode(c.hexKey[:], d[:])
	return c.hexKey[:]
}

// frontHolds reports whether the front keeps a live result of the call.
func frontHolds(c *Call) bool {
	_, until, ok := c.b.front.Get(c.frontDigest())
	return ok && c.live(until)
}

// loadFront returns the call's live result from the front, or else reads
// and decodes the back's entry and keeps the result in the front until
// the sooner of the entry's expiry and the front's TTL, counted from
// before the read: a result the back no longer holds is served at most
// that long.
func loadFront[R any](c *Call) (result R, expires int64, ok bool) {
	if v, until, found := c.b.front.Get(c.frontDigest()); found && c.live(until) {
		if k, isKept := v.(*kept[R]); isKept {
			return k.result, k.expires, true
		}
	}
	now := c.cfg.now()
	ctx := c.opContext()
	data, ticket, err := c.b.front.Load(ctx, c.byteKey())
	ctx.cancel()
	payload, expires, ok := c.checkEntry(data, err)
	if !ok || !c.live(expires) {
		return result, 0, false
	}
	if result, ok = decodeEntry[R](c, payload); !ok {
		return result, 0, false
	}
	until := now.Add(c.b.front.TTL()).UnixNano()
	if expires != 0 && expires < until {
		until = expires
	}
	c.b.front.Keep(c.key, ticket, &kept[R]{result, expires}, until, resultSize(c.f, result))
	return result, expires, true
}
