package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/memogen/memogen/runtime/internal/state"
)

// This file bounds what reading an entry costs: the limits the runtime
// passes to codecs and compressors, and how it applies them to those that
// do not take limits.

// A LimitedCodec is a Codec that can bound what decoding costs. The runtime
// decodes every entry it reads from a backend with UnmarshalLimited when the
// codec has it, and with Unmarshal otherwise; either way it first refuses a
// payload larger than lim.MaxBytes. UnmarshalLimited must fail, before
// allocating, with an error wrapping [ErrTooLarge] when decoding data could
// allocate more than lim.MaxAlloc.
//
// Limits reach codecs as an argument, not as settings read from a global,
// so that concurrent reads under different Configs each keep their own, and
// a codec that predates them keeps working unchanged.
type LimitedCodec interface {
	Codec
	UnmarshalLimited(data []byte, v any, lim Limits) error
}

// A BoundedCodec is a Codec that can stop encoding as soon as its output
// passes a size: MarshalWithin fails with an error wrapping [ErrTooLarge]
// once v's encoding exceeds max bytes, without encoding the rest. A result
// whose values share pointers (a DAG) is encoded once per path and may
// take exponential time and memory to encode whole, only to be refused
// for its size.
type BoundedCodec interface {
	Codec
	MarshalWithin(v any, max int) ([]byte, error)
}

// A LimitedCompressor is a Compressor that can bound its output while
// decompressing. DecompressLimited must stop, with an error wrapping
// [ErrTooLarge], as soon as the output would exceed lim.MaxBytes, and with an
// error wrapping context.DeadlineExceeded once lim.Deadline has passed. For
// a Compressor without it, the runtime checks the size only after
// Decompress returned.
type LimitedCompressor interface {
	Compressor
	DecompressLimited(src []byte, lim Limits) ([]byte, error)
}

// Limits bound the memory and the time that decoding one stored entry may
// take, so that a corrupt or hostile entry in a shared store cannot exhaust
// the processes that read it. The runtime derives them from memo.Config for
// every read: a decode that exceeds them fails, and the entry is deleted,
// counted in Stats.Corrupt and reported as a corrupt one is.
type Limits struct {
	// MaxBytes bounds the payload a codec decodes and every decompressed
	// form of it: Config.MaxEntryBytes.
	MaxBytes int
	// MaxAlloc bounds the bytes a codec may allocate to decode the payload
	// into a result: DecodeAllocFactor × MaxBytes.
	MaxAlloc int64
	// Deadline, when not zero, is when decompressing must give up:
	// Config.Timeout after the decode began.
	Deadline time.Time
}

// DecodeAllocFactor is how many times Config.MaxEntryBytes a codec may
// allocate to decode one entry. Decoding allocates more than the encoded
// size: a slice of small integers takes eight bytes per element where
// MessagePack takes one, and the decoder of package msgpack allocates a
// slice twice over. Sixteen lets results of ordinary shapes that fit
// MaxEntryBytes be read back (a degenerate one, such as millions of empty
// maps, is refused as a hostile one is), and keeps one read below
// 18 × MaxEntryBytes in all: the payload, one decompressed copy and the
// decoded result.
const DecodeAllocFactor = 16

// ErrTooLarge reports an entry that would decompress or decode to more than
// its Limits allow: corrupt or hostile. A [Backend] whose Get finds an entry
// larger than Limits.MaxBytes (see [DefaultLimits]) returns an error
// wrapping it instead of reading the entry whole; the runtime then deletes
// the entry and counts it in Stats.Corrupt, as it does a corrupt one, and
// does not take the backend for a failing one.
var ErrTooLarge = errors.New("memo: entry exceeds the decoding limits")

// EntryTooLarge returns the error, wrapping [ErrTooLarge], that a backend's
// Get returns for an entry of size bytes (or more: -1 when unknown) over
// the limit max.
func EntryTooLarge(size int64, max int) error {
	if size < 0 {
		return fmt.Errorf("%w: entry of more than %d bytes, the limit", ErrTooLarge, max)
	}
	return fmt.Errorf("%w: entry of %d bytes, over the limit of %d", ErrTooLarge, size, max)
}

// DefaultLimits returns the limits of the memo.Config in force, without a
// deadline: what codecs apply when called through Unmarshal and Decompress
// rather than by the runtime.
func DefaultLimits() Limits {
	n := state.Current().MaxEntryBytes
	return Limits{MaxBytes: n, MaxAlloc: DecodeAllocFactor * int64(n)}
}

// CheckDeadline returns an error wrapping context.DeadlineExceeded once the
// deadline has passed, else nil. Compressors call it between chunks.
func (l Limits) CheckDeadline() error {
	if !l.Deadline.IsZero() && !time.Now().Before(l.Deadline) {
		return errDecodeDeadline
	}
	return nil
}

var errDecodeDeadline = fmt.Errorf("memo: decoding took longer than Config.Timeout: %w", context.DeadlineExceeded)

// oversize returns an error wrapping ErrTooLarge for n bytes of what, over
// the limit max.
func oversize(what string, n, max int) error {
	return fmt.Errorf("%w: %s of %d bytes, over the limit of %d", ErrTooLarge, what, n, max)
}

// UnmarshalLimited decodes data into v with codec within lim, as the
// runtime decodes every entry it reads: a payload over lim.MaxBytes is
// refused with an error wrapping [ErrTooLarge], and a [LimitedCodec] bounds
// its own allocation.
func UnmarshalLimited(codec Codec, data []byte, v any, lim Limits) error {
	if len(data) > lim.MaxBytes {
		return oversize("payload", len(data), lim.MaxBytes)
	}
	if lc, ok := codec.(LimitedCodec); ok {
		return lc.UnmarshalLimited(data, v, lim)
	}
	return codec.Unmarshal(data, v)
}

// MarshalLimited encodes v with codec as the runtime encodes every result
// it stores: it fails with an error wrapping [ErrTooLarge] when the
// codec's output, or any compressed form of it, is larger than
// lim.MaxBytes, since reading refuses each of those forms past that size.
// A result that compresses well is thus refused for its uncompressed size,
// before it is compressed, rather than stored and then read as corrupt.
func MarshalLimited(codec Codec, v any, lim Limits) ([]byte, error) {
	if ch, ok := codec.(*chain); ok {
		return ch.marshalWithin(v, lim.MaxBytes)
	}
	b, err := marshalWithin(codec, v, lim.MaxBytes)
	if err == nil && len(b) > lim.MaxBytes {
		return nil, oversize("encoded result", len(b), lim.MaxBytes)
	}
	return b, err
}

// marshalWithin encodes v with codec, stopping past max bytes (when max is
// not negative) if the codec can.
func marshalWithin(codec Codec, v any, max int) ([]byte, error) {
	if bc, ok := codec.(BoundedCodec); ok && max >= 0 {
		return bc.MarshalWithin(v, max)
	}
	return codec.Marshal(v)
}

// decompressWithin decompresses src within lim.
func decompressWithin(comp Compressor, src []byte, lim Limits) ([]byte, error) {
	if lc, ok := comp.(LimitedCompressor); ok {
		return lc.DecompressLimited(src, lim)
	}
	out, err := comp.Decompress(src)
	if err == nil && len(out) > lim.MaxBytes {
		return nil, oversize("decompressed payload", len(out), lim.MaxBytes)
	}
	return out, err
}
