package codecs_test

import (
	"bytes"
	stdgzip "compress/gzip"
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"

	kzstd "github.com/klauspost/compress/zstd"

	"github.com/memogen/memogen/codecs/gzip"
	"github.com/memogen/memogen/codecs/zstd"
	"github.com/memogen/memogen/runtime/store"
)

// These tests measure allocation, so none runs in parallel.

// testLimits are the limits of a reader with a 256 KiB MaxEntryBytes.
var testLimits = store.Limits{MaxBytes: 256 << 10, MaxAlloc: store.DecodeAllocFactor * 256 << 10}

// allocated returns the bytes f allocates on the heap.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// gzipped returns data compressed at gzip's best ratio.
func gzipped(data []byte) []byte {
	var buf bytes.Buffer
	w, _ := stdgzip.NewWriterLevel(&buf, stdgzip.BestCompression)
	_, _ = w.Write(data)
	_ = w.Close()
	return buf.Bytes()
}

// zstdStreamed returns data compressed as a stream, whose frame declares no
// content size, with a window of the given size.
func zstdStreamed(data []byte, window int) []byte {
	var buf bytes.Buffer
	w, _ := kzstd.NewWriter(&buf, kzstd.WithWindowSize(window))
	_, _ = w.Write(data)
	_ = w.Close()
	return buf.Bytes()
}

var zstdEncoder, _ = kzstd.NewWriter(nil)

// The bombs repeat a gzip member or a zstd frame of zeros, compressed once:
// gzip takes seconds to compress megabytes under the race detector.
var (
	gzipZeros = sync.OnceValue(func() []byte { return gzipped(make([]byte, 256<<10)) })
	zstdZeros = sync.OnceValue(func() []byte { return zstdStreamed(make([]byte, 1<<20), 64<<10) })
)

// gzipBomb returns gzip data that decompresses to prefix, then n × 256 KiB
// of zeros: one member after another, as gzip allows.
func gzipBomb(prefix []byte, n int) []byte {
	return append(gzipped(prefix), bytes.Repeat(gzipZeros(), n)...)
}

// zstdStreamBomb returns zstd frames that declare no content size and
// decompress to n MiB of zeros.
func zstdStreamBomb(n int) []byte { return bytes.Repeat(zstdZeros(), n) }

// compressionBombs decompress to 16 MiB each, 64 times testLimits.MaxBytes.
func compressionBombs() []struct {
	name string
	comp store.LimitedCompressor
	data []byte
} {
	return []struct {
		name string
		comp store.LimitedCompressor
		data []byte
	}{
		{"gzip", gzip.Compressor{}, gzipBomb(nil, 64)},
		{"zstd, content size declared", zstd.New(), zstdEncoder.EncodeAll(make([]byte, 16<<20), nil)},
		{"zstd, streamed with a small window", zstd.New(), zstdStreamBomb(16)},
		{"zstd, streamed with a window over the limit", zstd.New(), zstdStreamed(make([]byte, 1<<20), 8<<20)},
		{"zstd, a small frame then a streamed one", zstd.New(), append(zstdEncoder.EncodeAll([]byte("small"), nil), zstdStreamBomb(16)...)},
	}
}

func TestDecompressLimitedStopsBombs(t *testing.T) {
	for _, b := range compressionBombs() {
		var err error
		_, _ = b.comp.DecompressLimited(b.data, testLimits) // pools and decoders warm
		got := allocated(func() { _, err = b.comp.DecompressLimited(b.data, testLimits) })
		if !errors.Is(err, store.ErrTooLarge) {
			t.Errorf("%s bomb of %d bytes: DecompressLimited = %v; want store.ErrTooLarge", b.name, len(b.data), err)
		}
		// Twice the limit for a doubling buffer, and a streaming decoder's
		// own buffers.
		if bound := uint64(2*testLimits.MaxBytes + 1<<20); got > bound {
			t.Errorf("%s bomb of %d bytes: DecompressLimited allocated %d bytes; want at most %d", b.name, len(b.data), got, bound)
		}
	}
}

func TestDecompressLimitedUpToTheLimit(t *testing.T) {
	exact := bytes.Repeat([]byte("memo"), testLimits.MaxBytes/4)
	over := append(exact, '!')
	for _, c := range []struct {
		name     string
		comp     store.LimitedCompressor
		compress func([]byte) []byte
	}{
		{"gzip", gzip.Compressor{}, gzipped},
		{"zstd", zstd.New(), func(b []byte) []byte { return zstdEncoder.EncodeAll(b, nil) }},
		{"zstd streamed", zstd.New(), func(b []byte) []byte { return zstdStreamed(b, 64<<10) }},
	} {
		if out, err := c.comp.DecompressLimited(c.compress(exact), testLimits); err != nil || !bytes.Equal(out, exact) {
			t.Errorf("%s: DecompressLimited of exactly MaxBytes = %d bytes, %v; want them back", c.name, len(out), err)
		}
		if _, err := c.comp.DecompressLimited(c.compress(over), testLimits); !errors.Is(err, store.ErrTooLarge) {
			t.Errorf("%s: DecompressLimited of MaxBytes+1 = %v; want store.ErrTooLarge", c.name, err)
		}
	}
}

func TestDecompressLimitedDeadline(t *testing.T) {
	lim := testLimits
	lim.Deadline = time.Now().Add(-time.Millisecond)
	data := bytes.Repeat([]byte("memo"), 1000)
	for _, c := range []struct {
		name string
		comp store.LimitedCompressor
		src  []byte
	}{
		{"gzip", gzip.Compressor{}, gzipped(data)},
		{"zstd streamed", zstd.New(), zstdStreamed(data, 64<<10)},
	} {
		if _, err := c.comp.DecompressLimited(c.src, lim); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: DecompressLimited past the deadline = %v; want context.DeadlineExceeded", c.name, err)
		}
	}
}

// A chain undoes its compressors within the limits, and refuses a payload
// that decompresses to more.
func TestChainUnmarshalLimited(t *testing.T) {
	c, err := store.LookupCodec("msgpack+gzip")
	if err != nil {
		t.Fatal(err)
	}
	lc, ok := c.(store.LimitedCodec)
	if !ok {
		t.Fatalf("LookupCodec(msgpack+gzip) is a %T, not a store.LimitedCodec", c)
	}
	data, err := c.Marshal(make([]byte, 1<<20))
	if err != nil {
		t.Fatal(err)
	}
	var out []byte
	if err := lc.UnmarshalLimited(data, &out, testLimits); !errors.Is(err, store.ErrTooLarge) {
		t.Errorf("UnmarshalLimited of 1 MiB with MaxBytes 256 KiB = %v; want store.ErrTooLarge", err)
	}
	if err := lc.UnmarshalLimited(data, &out, store.DefaultLimits()); err != nil || len(out) != 1<<20 {
		t.Errorf("UnmarshalLimited of 1 MiB with the default limits = %d bytes, %v; want 1 MiB", len(out), err)
	}
}

// A chain refuses to encode what reading would refuse: a result whose
// codec output, or a compressed form of it, exceeds MaxBytes, however small
// it compresses to.
func TestChainMarshalLimited(t *testing.T) {
	for _, spec := range []string{"json+gzip", "msgpack+zstd", "msgpack+gzip+zstd", "msgpack"} {
		c, err := store.LookupCodec(spec)
		if err != nil {
			t.Fatal(err)
		}
		big := make([]byte, 300<<10) // compresses to a few hundred bytes
		if data, err := store.MarshalLimited(c, big, testLimits); !errors.Is(err, store.ErrTooLarge) {
			t.Errorf("MarshalLimited(%s, 300 KiB) = %d bytes, %v; want store.ErrTooLarge", spec, len(data), err)
		}
		small := make([]byte, 150<<10) // 200 KiB in JSON's base64
		data, err := store.MarshalLimited(c, small, testLimits)
		if err != nil {
			t.Errorf("MarshalLimited(%s, 150 KiB) = %v; want nil", spec, err)
			continue
		}
		var out []byte
		if err := store.UnmarshalLimited(c, data, &out, testLimits); err != nil || !bytes.Equal(out, small) {
			t.Errorf("UnmarshalLimited(%s, MarshalLimited(150 KiB)) = %d bytes, %v; want them back", spec, len(out), err)
		}
	}
}
