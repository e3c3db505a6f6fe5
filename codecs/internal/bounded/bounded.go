// Package bounded reads a decompressor's output within store.Limits: the
// shared half of the gzip and zstd compressors' DecompressLimited.
package bounded

import (
	"errors"
	"fmt"
	"io"

	"github.com/memogen/memogen/runtime/store"
)

// firstChunk is the capacity ReadAll starts with when the caller has no
// better hint; the buffer doubles from there.
const firstChunk = 4 << 10

// ReadAll reads r to its end into a buffer of at most lim.MaxBytes bytes.
// It fails with an error wrapping store.ErrTooLarge as soon as r yields a
// byte more, and with one wrapping context.DeadlineExceeded when
// lim.Deadline passes between two reads. hint, when positive, is the size r
// is expected to yield; it is clamped to lim.MaxBytes. Growing by doubling,
// ReadAll allocates less than twice what it returns, plus the hint.
func ReadAll(r io.Reader, lim store.Limits, hint int) ([]byte, error) {
	if hint <= 0 {
		hint = firstChunk
	}
	hint = min(hint, lim.MaxBytes+1) // +1: room to see the stream go on
	buf := make([]byte, 0, max(hint, 1))
	for {
		if err := lim.CheckDeadline(); err != nil {
			return nil, err
		}
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(2*cap(buf), lim.MaxBytes+1))
			copy(grown, buf)
			buf = grown
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if len(buf) > lim.MaxBytes {
			return nil, TooLarge(lim)
		}
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// TooLarge returns the error of a payload that decompresses to more than
// lim.MaxBytes.
func TooLarge(lim store.Limits) error {
	return fmt.Errorf("%w: decompresses to more than %d bytes", store.ErrTooLarge, lim.MaxBytes)
}
