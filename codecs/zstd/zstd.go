// Package zstd is memogen's Zstandard compressor
// (github.com/klauspost/compress/zstd), chained after a codec as in
// codec=msgpack+zstd. Importing it registers the compressor "zstd".
package zstd

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/klauspost/compress/zstd"

	"github.com/memogen/memogen/codecs/internal/bounded"
	"github.com/memogen/memogen/runtime/store"
)

// Name is the compressor's name in a directive's codec=.
const Name = "zstd"

// Compressor compresses with zstd at the default level. One encoder and
// one decoder serve every call; both are safe for concurrent use in
// stateless (EncodeAll/DecodeAll) mode.
type Compressor struct {
	enc *zstd.Encoder
	dec *zstd.Decoder // decodes into a buffer of the declared size, and no further
}

var _ store.LimitedCompressor = (*Compressor)(nil)

// New returns a compressor.
func New() *Compressor {
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		panic(err) // only invalid options fail, and there are none
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecodeAllCapLimit(true), zstd.WithDecoderConcurrency(0))
	if err != nil {
		panic(err)
	}
	return &Compressor{enc: enc, dec: dec}
}

// Compress returns src compressed. The frame declares its content size, so
// that decompressing allocates exactly that.
func (c *Compressor) Compress(src []byte) ([]byte, error) {
	return c.enc.EncodeAll(src, nil), nil
}

// Decompress returns src decompressed, within store.DefaultLimits.
func (c *Compressor) Decompress(src []byte) ([]byte, error) {
	return c.DecompressLimited(src, store.DefaultLimits())
}

// DecompressLimited returns src decompressed, in at most lim.MaxBytes.
//
// A frame that declares its content size, as Compress writes, is refused
// if that size is over the limit, and otherwise decoded into a buffer of
// exactly that size, which the decoder may not outgrow: frames that follow
// or lie about their size fail. A frame without a declared size is
// streamed, with a window of at most lim.MaxBytes, and stops at the first
// byte over the limit or when lim.Deadline passes between blocks. Past
// lim.Deadline, nothing is decoded.
func (c *Compressor) DecompressLimited(src []byte, lim store.Limits) ([]byte, error) {
	if len(src) == 0 {
		return nil, nil // the empty stream
	}
	if err := lim.CheckDeadline(); err != nil {
		return nil, err
	}
	var h zstd.Header
	if err := h.Decode(src); err != nil {
		return nil, fmt.Errorf("zstd: %w", err)
	}
	if !h.HasFCS {
		return c.stream(src, lim)
	}
	if h.FrameContentSize > uint64(lim.MaxBytes) {
		return nil, bounded.TooLarge(lim)
	}
	out, err := c.dec.DecodeAll(src, make([]byte, 0, h.FrameContentSize))
	return out, limitErr(err, lim)
}

// limitErr marks the decoder's refusals to grow past its bounds as
// store.ErrTooLarge.
func limitErr(err error, lim store.Limits) error {
	for _, tooLarge := range []error{zstd.ErrDecoderSizeExceeded, zstd.ErrWindowSizeExceeded, zstd.ErrFrameSizeExceeded} {
		if errors.Is(err, tooLarge) {
			return fmt.Errorf("%w: %w", bounded.TooLarge(lim), err)
		}
	}
	return err
}

// stream decodes src, whose first frame does not declare its size, with a
// decoder of its own whose window fits the limit.
func (c *Compressor) stream(src []byte, lim store.Limits) ([]byte, error) {
	window := uint64(max(lim.MaxBytes, zstd.MinWindowSize))
	d, err := zstd.NewReader(bytes.NewReader(src),
		zstd.WithDecoderConcurrency(1), // synchronous: no goroutines
		zstd.WithDecoderLowmem(true),
		zstd.WithDecoderMaxWindow(window),
		zstd.WithDecoderMaxMemory(window))
	if err != nil {
		return nil, fmt.Errorf("zstd: %w", err)
	}
	defer d.Close()
	out, err := bounded.ReadAll(d, lim, 0)
	return out, limitErr(err, lim)
}

func init() { store.RegisterCompressor(Name, New()) }
