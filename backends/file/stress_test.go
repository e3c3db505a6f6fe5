package file_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/memogen/memogen/backends/file"
	"github.com/memogen/memogen/runtime/store"
)

// The bounds under load: stressProcs copies of the test binary and the test
// itself each run stressWriters goroutines that store stressSets entries of
// 1 to 4 KiB under fresh keys, all in one directory bounded to
// stressMaxBytes and stressMaxEntries: about nine times what it holds.
const (
	stressDirEnv     = "MEMOGEN_FILE_TEST_STRESS_DIR"
	stressProcs      = 3
	stressWriters    = 8
	stressSets       = 120
	stressMaxBytes   = 1 << 20
	stressMaxEntries = 400
)

// stressOptions are the options of every store of the stress test.
func stressOptions(dir string) file.Options {
	return file.Options{Dir: dir, MaxBytes: stressMaxBytes, MaxEntries: stressMaxEntries}
}

// stress runs stressWriters goroutines storing entries through one store
// over dir, and returns its counters and the number of Sets that failed
// otherwise than with ErrFull.
func stress(dir, who string) (file.Stats, int64, error) {
	s, err := file.New(stressOptions(dir))
	if err != nil {
		return file.Stats{}, 0, err
	}
	var failed atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	for w := range stressWriters {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(os.Getpid()), uint64(w)))
			for i := range stressSets {
				k := store.Key{Func: fnF, Digest: fmt.Sprintf("%08x%08x%016x", os.Getpid(), w, i), Codec: "json"}
				payload := strings.Repeat(who, (1024+r.IntN(3072))/len(who))
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second) // the runtime's default
				err := s.Set(ctx, k, entry(payload, time.Time{}), time.Time{})
				cancel()
				if err != nil && !errors.Is(err, file.ErrFull) {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err)
				}
			}
		})
	}
	wg.Wait()
	file.WaitEvictions(s)
	st := s.Stats()
	s.Close()
	if err, _ := firstErr.Load().(error); err != nil {
		return st, failed.Load(), err
	}
	return st, failed.Load(), nil
}

// runStressWriter is the stress test's writer process: it prints its
// counters for the test to add up.
func runStressWriter(dir string) error {
	st, failed, err := stress(dir, fmt.Sprint(os.Getpid()))
	if err != nil {
		return fmt.Errorf("%d Sets failed, the first with %w", failed, err)
	}
	fmt.Printf("evictions=%d scans=%d refused=%d\n", st.Evictions, st.Scans, st.Refused)
	return nil
}

// usageNow measures the entries of the function's directory and the
// temporary files together: it lists both directories, then looks at each
// file listed. A file it counts was there when listed and when looked at,
// so at the end of the listings, when every file counted was there at
// once: the sum is never more than the directory held at that moment.
func usageNow(dir string) (entries, bytes int64) {
	var listed []os.DirEntry
	for _, sub := range []string{filepath.Join(dir, ".memogen", "tmp"), filepath.Dir(pathOf(dir, key(fnF, 0, "json")))} {
		ents, _ := os.ReadDir(sub) // no stat: names and types only
		listed = append(listed, ents...)
	}
	for _, d := range listed {
		if fi, err := d.Info(); err == nil && fi.Mode().IsRegular() {
			entries++
			bytes += fi.Size()
		}
	}
	return entries, bytes
}

// TestBoundsUnderLoad writes about nine times what a store holds from many
// goroutines in several processes at once, while it measures the
// directory: entries and files being written never exceed the bounds by
// more than their slack, a tenth.
func TestBoundsUnderLoad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var peakEntries, peakBytes atomic.Int64
	done := make(chan struct{})
	monitored := make(chan int)
	go func() {
		samples := 0
		for {
			select {
			case <-done:
				monitored <- samples
				return
			default:
			}
			n, b := usageNow(dir)
			samples++
			if n > peakEntries.Load() {
				peakEntries.Store(n)
			}
			if b > peakBytes.Load() {
				peakBytes.Store(b)
			}
		}
	}()

	type result struct {
		out []byte
		err error
	}
	results := make(chan result, stressProcs)
	for range stressProcs {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), stressDirEnv+"="+dir)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		go func() {
			out, err := cmd.Output()
			if err != nil {
				err = fmt.Errorf("writer process: %v: %s", err, stderr.Bytes())
			}
			results <- result{out, err}
		}()
	}
	start := time.Now()
	st, failed, err := stress(dir, "parent")
	if err != nil {
		t.Errorf("%d Sets failed, the first with %v", failed, err)
	}
	var evictions, scans, refused = st.Evictions, st.Scans, st.Refused
	for range stressProcs {
		r := <-results
		if r.err != nil {
			t.Fatal(r.err)
		}
		var e, s, f uint64
		if _, err := fmt.Sscanf(string(r.out), "evictions=%d scans=%d refused=%d\n", &e, &s, &f); err != nil {
			t.Fatalf("writer process printed %q: %v", r.out, err)
		}
		evictions, scans, refused = evictions+e, scans+s, refused+f
	}
	elapsed := time.Since(start)
	close(done)
	samples := <-monitored

	const sets = (stressProcs + 1) * stressWriters * stressSets
	const maxBytes, maxEntries = stressMaxBytes + stressMaxBytes/10, stressMaxEntries + stressMaxEntries/10
	t.Logf("%d Sets by %d goroutines in %d processes in %v: peak %d entries, %d bytes (bounds %d, %d; with slack %d, %d) over %d samples; %d evictions, %d scans, %d Sets refused",
		sets, (stressProcs+1)*stressWriters, stressProcs+1, elapsed.Round(time.Millisecond), peakEntries.Load(), peakBytes.Load(),
		stressMaxEntries, stressMaxBytes, maxEntries, maxBytes, samples, evictions, scans, refused)
	if got := peakBytes.Load(); got > maxBytes {
		t.Errorf("the directory held %d bytes; want at most %d, max_bytes and its slack", got, maxBytes)
	}
	if got := peakEntries.Load(); got > maxEntries {
		t.Errorf("the directory held %d entries; want at most %d, max_entries and its slack", got, maxEntries)
	}
	if evictions < sets/2 {
		t.Errorf("%d evictions for %d Sets into a store holding about %d; want most evicted", evictions, sets, stressMaxEntries)
	}
	if n, b := usageNow(dir); n > stressMaxEntries || b > stressMaxBytes {
		t.Errorf("after the writers, %d entries of %d bytes; want eviction to have brought them within the bounds", n, b)
	}
	if stray := tempFiles(t, dir); len(stray) > 0 {
		t.Errorf("writers left temporary files %q", stray)
	}
}
