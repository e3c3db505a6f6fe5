// Package gzip is memogen's gzip compressor (compress/gzip), chained after a
// codec as in codec=json+gzip. Importing it registers the compressor "gzip".
package gzip

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"

	memo "github.com/memogen/memogen/runtime"
)

// Name is the compressor's name in a directive's codec=.
const Name = "gzip"

// Compressor compresses with gzip at the default level.
type Compressor struct{}

var _ memo.Compressor = Compressor{}

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

// Decompress returns src decompressed.
func (Compressor) Decompress(src []byte) ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(src))
	if err != nil {
		return nil, err
	}
	defer r.Close()
	out, err := io.ReadAll(io.LimitReader(r, maxDecodedSize+1))
	if err != nil {
		return nil, err
	}
	if len(out) > maxDecodedSize {
		return nil, errTooLarge
	}
	return out, nil
}

// maxDecodedSize bounds what one entry may decompress to, so that a corrupt
// or hostile entry (a gzip bomb) cannot exhaust memory.
const maxDecodedSize = 1 << 30

var errTooLarge = errors.New("gzip: entry decompresses to more than 1 GiB")

func init() { memo.RegisterCompressor(Name, Compressor{}) }
