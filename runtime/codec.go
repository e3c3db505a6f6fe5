package runtime

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// DefaultCodec is the codec of byte-level backends for a directive without
// codec=. Generated code imports its package.
const DefaultCodec = "msgpack"

// A Codec turns results into bytes and back. Unmarshal receives a pointer to
// a zero value of the result type. Codec packages register one by name with
// [RegisterCodec]; a directive's codec= names it.
type Codec interface {
	Marshal(v any) ([]byte, error)
	Unmarshal(data []byte, v any) error
}

// A Compressor compresses what a codec produced. A codec spec chains
// compressors after the codec: "msgpack+zstd", "json+gzip".
type Compressor interface {
	Compress(src []byte) ([]byte, error)
	Decompress(src []byte) ([]byte, error)
}

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
// the processes that read it. The runtime derives them from [Config] for
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
// slice twice over. Sixteen lets every result that fits MaxEntryBytes be
// read back, and keeps one read below 18 × MaxEntryBytes in all: the
// payload, one decompressed copy and the decoded result.
const DecodeAllocFactor = 16

// ErrTooLarge reports an entry that would decompress or decode to more than
// its Limits allow: corrupt or hostile.
var ErrTooLarge = errors.New("memo: entry exceeds the decoding limits")

// DefaultLimits returns the limits of the Config in force, without a
// deadline: what codecs apply when called through Unmarshal and Decompress
// rather than by the runtime.
func DefaultLimits() Limits { return currentConfig().limits(time.Time{}) }

// limits returns the limits of a decode; deadline is zero for none.
func (c *Config) limits(deadline time.Time) Limits {
	n := c.maxEntryBytes()
	return Limits{MaxBytes: n, MaxAlloc: DecodeAllocFactor * int64(n), Deadline: deadline}
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

var codecs struct {
	mu          sync.RWMutex
	codecs      map[string]Codec      // guarded by mu
	compressors map[string]Compressor // guarded by mu
}

// RegisterCodec makes c available under name, replacing any earlier codec of
// that name. Users register their own this way.
func RegisterCodec(name string, c Codec) {
	codecs.mu.Lock()
	defer codecs.mu.Unlock()
	if codecs.codecs == nil {
		codecs.codecs = make(map[string]Codec)
	}
	codecs.codecs[name] = c
}

// RegisterCompressor makes c available under name for codec specs.
func RegisterCompressor(name string, c Compressor) {
	codecs.mu.Lock()
	defer codecs.mu.Unlock()
	if codecs.compressors == nil {
		codecs.compressors = make(map[string]Compressor)
	}
	codecs.compressors[name] = c
}

// LookupCodec returns the codec a spec names: a registered codec, optionally
// followed by registered compressors joined with "+".
func LookupCodec(spec string) (Codec, error) {
	parts := strings.Split(spec, "+")
	codecs.mu.RLock()
	defer codecs.mu.RUnlock()
	base, ok := codecs.codecs[parts[0]]
	if !ok {
		return nil, fmt.Errorf("memo: codec %q is not registered; import _ \"github.com/memogen/memogen/codecs/%s\" or call memo.RegisterCodec", parts[0], parts[0])
	}
	if len(parts) == 1 {
		return base, nil
	}
	ch := &chain{base: base}
	for _, name := range parts[1:] {
		c, ok := codecs.compressors[name]
		if !ok {
			return nil, fmt.Errorf("memo: compressor %q is not registered; import _ \"github.com/memogen/memogen/codecs/%s\" or call memo.RegisterCompressor", name, name)
		}
		ch.compressors = append(ch.compressors, c)
	}
	return ch, nil
}

// chain is a codec followed by compressors.
type chain struct {
	base        Codec
	compressors []Compressor
}

func (c *chain) Marshal(v any) ([]byte, error) {
	b, err := c.base.Marshal(v)
	for _, comp := range c.compressors {
		if err != nil {
			break
		}
		b, err = comp.Compress(b)
	}
	return b, err
}

func (c *chain) Unmarshal(data []byte, v any) error {
	return c.UnmarshalLimited(data, v, DefaultLimits())
}

// UnmarshalLimited undoes the compressors right to left, each within lim,
// and decodes the result within lim.
func (c *chain) UnmarshalLimited(data []byte, v any, lim Limits) error {
	var err error
	for i := len(c.compressors) - 1; i >= 0; i-- {
		if data, err = decompressWithin(c.compressors[i], data, lim); err != nil {
			return err
		}
	}
	return unmarshalWithin(c.base, data, v, lim)
}

// unmarshalWithin decodes data into v within lim: a payload over lim.MaxBytes
// is refused, and a LimitedCodec bounds its own allocation.
func unmarshalWithin(codec Codec, data []byte, v any, lim Limits) error {
	if len(data) > lim.MaxBytes {
		return oversize("payload", len(data), lim.MaxBytes)
	}
	if lc, ok := codec.(LimitedCodec); ok {
		return lc.UnmarshalLimited(data, v, lim)
	}
	return codec.Unmarshal(data, v)
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
