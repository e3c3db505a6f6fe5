// Package zstd is memogen's Zstandard compressor
// (github.com/klauspost/compress/zstd), chained after a codec as in
// codec=msgpack+zstd. Importing it registers the compressor "zstd".
package zstd

import (
	"github.com/klauspost/compress/zstd"

	memo "github.com/memogen/memogen/runtime"
)

// Name is the compressor's name in a directive's codec=.
const Name = "zstd"

// maxDecodedSize bounds what one entry may decompress to, so that a corrupt
// or hostile entry cannot exhaust memory.
const maxDecodedSize = 1 << 30

// Compressor compresses with zstd at the default level. One encoder and
// one decoder serve every call; both are safe for concurrent use in
// stateless (EncodeAll/DecodeAll) mode.
type Compressor struct {
	enc *zstd.Encoder
	dec *zstd.Decoder
}

var _ memo.Compressor = (*Compressor)(nil)

// New returns a compressor.
func New() *Compressor {
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		panic(err) // only invalid options fail, and there are none
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderMaxMemory(maxDecodedSize), zstd.WithDecoderConcurrency(0))
	if err != nil {
		panic(err)
	}
	return &Compressor{enc: enc, dec: dec}
}

// Compress returns src compressed.
func (c *Compressor) Compress(src []byte) ([]byte, error) {
	return c.enc.EncodeAll(src, nil), nil
}

// Decompress returns src decompressed.
func (c *Compressor) Decompress(src []byte) ([]byte, error) {
	return c.dec.DecodeAll(src, nil)
}

func init() { memo.RegisterCompressor(Name, New()) }
