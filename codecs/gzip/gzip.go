// Package gzip is memogen's gzip compressor (compress/gzip), chained after a
// codec as in codec=json+gzip. Importing it registers the compressor "gzip".
package gzip

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"sync"

	"github.com/memogen/memogen/codecs/internal/bounded"
	"github.com/memogen/memogen/runtime/store"
)

// Name is the compressor's name in a directive's codec=.
const Name = "gzip"

// Compressor compresses with gzip at the default level.
type Compressor struct{}

var _ store.LimitedCompressor = Compressor{}

// Compress returns src compressed.
func (Compressor) Compress(src []byte) ([]byte, error) {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write(src); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Decompress returns src decompressed, within store.DefaultLimits.
func (c Compressor) Decompress(src []byte) ([]byte, error) {
	return c.DecompressLimited(src, store.DefaultLimits())
}

// maxRatio is the most that deflate can expand: 258 bytes from 2 bits.
const maxRatio = 1032

// DecompressLimited returns src decompressed. It streams, and stops as soon
// as the output exceeds lim.MaxBytes (a gzip bomb), or when lim.Deadline
// passes, so that a hostile entry costs at most lim.MaxBytes of output. The
// size the gzip trailer claims, clamped by what deflate can expand src to,
// sizes the first buffer.
func (Compressor) DecompressLimited(src []byte, lim store.Limits) ([]byte, error) {
	r := readers.Get().(*reader)
	defer readers.Put(r)
	r.src.Reset(src)
	if err := r.gz.Reset(&r.src); err != nil {
		return nil, err
	}
	hint := 0
	if len(src) >= 4 {
		hint = int(min(uint64(binary.LittleEndian.Uint32(src[len(src)-4:])), uint64(len(src))*maxRatio))
	}
	out, err := bounded.ReadAll(&r.gz, lim, hint)
	r.src.Reset(nil)
	return out, err
}

// reader is a gzip reader with the bytes.Reader it reads, reused across
// calls: a fresh one allocates the 32 KiB window and tables of inflate.
type reader struct {
	src bytes.Reader
	gz  gzip.Reader
}

var readers = sync.Pool{New: func() any { return new(reader) }}

func init() { store.RegisterCompressor(Name, Compressor{}) }
