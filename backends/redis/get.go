package redis

import (
	"context"
	"strconv"
	"sync/atomic"

	goredis "github.com/redis/go-redis/v9"
)

// getRequest holds one GETRANGE, its command included, in a single
// allocation, with the key's bytes when they fit. go-redis writes a
// *keyBytes by its MarshalBinary and a []byte as it is; pointers and the
// shared range arguments go into the arguments' interfaces without
// allocating, where a string and an int64 would each be copied to the
// heap, and the int64 formatted on every read.
type getRequest struct {
	cmd  goredis.StringCmd
	ctx  deadlineOnly
	key  keyBytes
	args [4]any
	buf  [128]byte // key's storage, unless the key is longer
}

// keyBytes is a key as go-redis writes it. String gives a cluster the key
// to route the command by (go-redis formats arguments that are neither
// strings nor byte slices with fmt).
type keyBytes []byte

// MarshalBinary returns the key.
func (k *keyBytes) MarshalBinary() ([]byte, error) { return *k, nil }

// String returns the key.
func (k *keyBytes) String() string { return string(*k) }

// rangeStart is GETRANGE's first offset, formatted once.
var rangeStart any = []byte("0")

// rangeEnd is GETRANGE's last offset as last formatted, with its value.
type rangeEnd struct {
	end int64
	arg any // []byte
}

var lastRangeEnd atomic.Pointer[rangeEnd]

// rangeEndArg returns end formatted as a GETRANGE argument: the limit it
// comes from changes only when memo.Configure sets MaxEntryBytes, so it is
// formatted once per limit, not per read.
func rangeEndArg(end int64) any {
	if r := lastRangeEnd.Load(); r != nil && r.end == end {
		return r.arg
	}
	r := &rangeEnd{end: end, arg: strconv.AppendInt(nil, end, 10)}
	lastRangeEnd.Store(r)
	return r.arg
}

// getRange reads bytes 0 to end of the value under keyPrefix+digest:
// GETRANGE, which reads like GET, an expired key being absent, but within
// a bound.
func (s *Store) getRange(ctx context.Context, keyPrefix, digest string, end int64) ([]byte, error) {
	req := &getRequest{ctx: deadlineOnly{ctx}}
	req.key = append(append(req.buf[:0], keyPrefix...), digest...)
	req.args = [4]any{"getrange", &req.key, rangeStart, rangeEndArg(end)}
	req.cmd = *goredis.NewStringCmd(&req.ctx, req.args[:]...)
	_ = s.rdb.Process(&req.ctx, &req.cmd) // the error is cmd's too
	return req.cmd.Bytes()                // no copy: the reply was read into bytes of its own
}

// deadlineOnly is a context with its parent's deadline and values but no
// Done channel. go-redis asks every command's context for Done, and a
// context with a deadline then starts a timer: one timer per read, which
// doubled the CPU time of a loopback round trip in bench/ and slowed hits
// by a fifth to a third. A command under it is bounded by the deadline
// through its connection's read and write deadlines and the dial's
// (ContextTimeoutEnabled), not by Done; see the package doc's "Time
// limits".
type deadlineOnly struct{ context.Context }

// Done returns nil: the context is never cancelled but through its
// deadline.
func (deadlineOnly) Done() <-chan struct{} { return nil }
