package file

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/memogen/memogen/runtime/store"
)

// ErrFull reports a Set refused because the store stayed at its ceiling,
// a bound plus its slack, while it waited for eviction, or because the
// entry alone is larger than Options.MaxBytes. It wraps store.ErrFull, which
// tells the runtime that the backend is not failing.
var ErrFull = fmt.Errorf("file: %w", store.ErrFull)

// rescanEvery is the fewest Sets, by every process sharing the directory,
// between two scans that correct the count.
const rescanEvery = 1000

// maxWaits is how many eviction rounds a Set that finds the store full
// waits for, each begun after it asked, before it gives up.
const maxWaits = 3

// evictBatch is how many evictions the evictor makes before it publishes
// the room they freed.
const evictBatch = 32

// slack is how far the count may exceed a bound: a tenth of it, and at
// least one entry or byte.
func slack(bound int64) int64 { return max(1, bound/10) }

// bounded reports whether the store has bounds to keep.
func (s *Store) bounded() bool { return s.opts.MaxBytes > 0 || s.opts.MaxEntries > 0 }

// fits reports whether a file of size bytes, adding entries entries (1 for
// a new key, 0 for one replaced), can be written without the entries and
// the files being written exceeding a bound by more than its slack.
func (s *Store) fits(c counts, entries, size int64) bool {
	e, b := int64(s.opts.MaxEntries), s.opts.MaxBytes
	return (e == 0 || c.entries+c.writingEntries()+entries <= e+slack(e)) &&
		(b == 0 || c.bytes+c.writingBytes()+size <= b+slack(b))
}

// over reports whether the entries and the files being written exceed a
// bound.
func (s *Store) over(c counts) bool {
	e, b := int64(s.opts.MaxEntries), s.opts.MaxBytes
	return e > 0 && c.entries+c.writingEntries() > e || b > 0 && c.bytes+c.writingBytes() > b
}

// underTarget reports whether the count is within the level eviction
// brings a full store down to: a tenth below each bound, so that a full
// store does not scan on every write (ccache cleans up to a fraction of
// its limit for the same reason).
func (s *Store) underTarget(c counts) bool {
	e, b := int64(s.opts.MaxEntries), s.opts.MaxBytes
	return (e == 0 || c.entries+c.writingEntries() <= e-e/10) &&
		(b == 0 || c.bytes+c.writingBytes() <= b-b/10)
}

// wantsRound reports whether the count calls for an eviction round: it is
// over a bound, or due for a correcting scan.
func (s *Store) wantsRound(c counts) bool {
	return s.bounded() && (c.scanned == 0 || s.over(c) || c.sets >= max(rescanEvery, c.entries) ||
		c.entries < 0 || c.bytes < 0)
}

// admit reserves room for a file of size bytes adding entries entries,
// and returns the minute of the reservation. When the store is full it asks
// for eviction and waits, for up to maxWaits rounds and no longer than ctx
// allows, then refuses with ErrFull.
func (s *Store) admit(ctx context.Context, entries, size int64) (minute int64, err error) {
	if b := s.opts.MaxBytes; b > 0 && size > b {
		s.stats.refused.Add(1)
		return 0, fmt.Errorf("%w: an entry of %d bytes is larger than max_bytes, %d", ErrFull, size, b)
	}
	for waits := 0; ; waits++ {
		c, ok, err := s.reserve(ctx, entries, size)
		if err != nil {
			return 0, fmt.Errorf("file: set: counting: %w", err)
		}
		if ok {
			// Eviction is asked for once the write is done and counted,
			// so that a scan does not both find it and hear of it.
			return c.writingMinute, nil
		}
		if waits == maxWaits {
			s.stats.refused.Add(1)
			return 0, fmt.Errorf("%w: %d entries and %d bytes stored or being written, after %d eviction rounds", ErrFull,
				c.entries+c.writingEntries(), c.bytes+c.writingBytes(), maxWaits)
		}
		select {
		case <-s.kick(size):
		case <-ctx.Done():
			s.stats.refused.Add(1)
			return 0, fmt.Errorf("%w: waiting for eviction: %w", ErrFull, context.Cause(ctx))
		}
	}
}

// evictor runs eviction rounds on a goroutine of its own, started when a
// Set asks for one and ending when none is asked for.
type evictor struct {
	mu      sync.Mutex
	running bool               // a goroutine runs rounds; guarded by mu
	again   bool               // a round was asked for since the running one began; guarded by mu
	next    chan struct{}      // closed when the next round to begin ends; guarded by mu
	want    int64              // the most bytes a waiting Set needs room for; guarded by mu
	stop    context.CancelFunc // ends the goroutine's rounds; guarded by mu
	exited  chan struct{}      // closed when the goroutine returns; guarded by mu
}

// kick asks for an eviction round that makes room for a file of want
// bytes, if not 0, and returns a channel closed when a round begun after
// the call ends.
func (s *Store) kick(want int64) <-chan struct{} {
	e := &s.evictor
	e.mu.Lock()
	defer e.mu.Unlock()
	e.want = max(e.want, want)
	if e.next == nil {
		e.next = make(chan struct{})
	}
	next := e.next
	if e.running {
		e.again = true
		return next
	}
	e.running = true
	ctx, stop := context.WithCancel(context.Background())
	e.stop, e.exited = stop, make(chan struct{})
	go s.evictLoop(ctx, e.exited)
	return next
}

func (s *Store) evictLoop(ctx context.Context, exited chan struct{}) {
	defer close(exited)
	e := &s.evictor
	for {
		e.mu.Lock()
		done, want := e.next, e.want
		e.next, e.want, e.again = nil, 0, false
		e.mu.Unlock()
		// A round that fails leaves the store as it was: Sets that
		// find it full wait for the next, and refuse in the end.
		_ = s.evictRound(ctx, want)
		e.mu.Lock()
		close(done)
		if !e.again || ctx.Err() != nil {
			e.running = false
			if e.next != nil { // wake those who asked after Close stopped us
				close(e.next)
				e.next = nil
			}
			e.mu.Unlock()
			return
		}
		e.mu.Unlock()
	}
}

// stopEvicting ends the evictor's rounds and waits for its goroutine.
func (s *Store) stopEvicting() {
	e := &s.evictor
	e.mu.Lock()
	stop, exited := e.stop, e.exited
	e.mu.Unlock()
	if stop != nil {
		stop()
		<-exited
	}
}

// storedFile is an entry file found by a scan.
type storedFile struct {
	path string
	info fs.FileInfo
}

// evictRound scans the directory if the count is due for a check, over a
// bound or too high for a waiting Set of want bytes, and then removes the
// least recently used entries until the count is under target and want
// fits. One process evicts at a time.
func (s *Store) evictRound(ctx context.Context, want int64) error {
	if !s.bounded() {
		return nil
	}
	release, err := s.lockEvict(ctx)
	if err != nil {
		return err
	}
	defer release()
	c, _, err := s.update(ctx, nil)
	if err != nil {
		return err
	}
	needsRoom := func(c counts) bool { return want > 0 && !s.fits(c, 1, want) }
	if !s.wantsRound(c) && !needsRoom(c) {
		return nil // another process did it while we waited
	}
	if _, _, err := s.update(ctx, func(c *counts) bool {
		c.addedEntries, c.addedBytes = 0, 0
		return true
	}); err != nil {
		return err
	}
	files, found, err := s.scan(ctx)
	if err != nil {
		return err
	}
	s.stats.scans.Add(1)
	c, _, err = s.update(ctx, func(c *counts) bool {
		c.entries, c.bytes = found.entries+c.addedEntries, found.bytes+c.addedBytes
		c.sets, c.scanned = 0, 1
		return true
	})
	if err != nil {
		return err
	}
	if !s.over(c) && !needsRoom(c) {
		return nil
	}
	done := func(c counts) bool { return s.underTarget(c) && !needsRoom(c) }
	slices.SortFunc(files, func(a, b storedFile) int {
		return cmp.Or(a.info.ModTime().Compare(b.info.ModTime()), strings.Compare(a.path, b.path))
	})
	var freed counts // not yet published
	var firstErr error
	for i, f := range files {
		if err := ctx.Err(); err != nil {
			s.change(ctx, freed) // kept pending, for the next update
			return err
		}
		counted, evicted, err := s.evictFile(f)
		if err != nil {
			firstErr = cmp.Or(firstErr, err)
			continue
		}
		if counted {
			freed.entries--
			freed.bytes -= f.info.Size()
			c.entries--
			c.bytes -= f.info.Size()
		}
		if evicted {
			s.stats.evictions.Add(1)
		}
		if done(c) || (i+1)%evictBatch == 0 {
			c = s.change(ctx, freed)
			freed = counts{}
			if done(c) {
				return nil
			}
		}
	}
	s.change(ctx, freed)
	return firstErr
}

// evictFile removes the entry file f if it has not changed since the scan.
// counted reports whether it leaves the count: evicted, or found not to be
// an entry at all, which the store then leaves alone and counts no more.
func (s *Store) evictFile(f storedFile) (counted, evicted bool, err error) {
	cur, err := os.Lstat(f.path)
	if absent(err) {
		return false, false, nil // removed by whoever counted it out
	}
	if err != nil {
		return false, false, err
	}
	if !os.SameFile(f.info, cur) || !cur.ModTime().Equal(f.info.ModTime()) {
		return false, false, nil // used or replaced since the scan: no longer the least recent
	}
	e, err := readEntry(f.path, store.Key{})
	if err != nil {
		return false, false, err
	}
	if !e.isEntry {
		s.foreign.Store(f.path, f.info)
		return true, false, nil
	}
	removed, err := removeIfUnchanged(f.path, f.info)
	return removed, removed, err
}

// scan walks the directory and returns its entry files, with their number
// and size.
func (s *Store) scan(ctx context.Context) (files []storedFile, found counts, err error) {
	err = s.walk(ctx, s.dir, true, func(path string, _ store.Key, d fs.DirEntry) error {
		fi, err := d.Info()
		if absent(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if s.isForeign(path, fi) {
			return nil
		}
		files = append(files, storedFile{path, fi})
		found.entries++
		found.bytes += fi.Size()
		return nil
	})
	if err != nil {
		return nil, found, err
	}
	return files, found, nil
}

// isForeign reports whether fi describes a file at path that an earlier
// eviction found not to be an entry, unchanged since.
func (s *Store) isForeign(path string, fi fs.FileInfo) bool {
	v, ok := s.foreign.Load(path)
	if !ok {
		return false
	}
	old := v.(fs.FileInfo)
	return os.SameFile(old, fi) && old.ModTime().Equal(fi.ModTime()) && old.Size() == fi.Size()
}

// lockEvict takes the lock that lets one process at a time evict, waiting
// until ctx ends, and returns its release.
func (s *Store) lockEvict(ctx context.Context) (release func(), err error) {
	if err := s.checkOwn(); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(s.dir, ownDir, evictLock), os.O_RDWR|os.O_CREATE|noFollow, 0o600)
	if err != nil {
		s.ownReady.Store(false)
		return nil, err
	}
	if err := lockContext(ctx, f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		unlock(f)
		f.Close()
	}, nil
}

// Stats are a store's counters.
type Stats struct {
	// Entries and Bytes are the entries in the directory and their total
	// size, as this process last read them from the count that every
	// process sharing the directory keeps.
	Entries int64
	Bytes   int64
	// Writing is the size of the files being written, reserved by Sets.
	Writing   int64
	Evictions uint64 // entries this Store evicted
	Scans     uint64 // directory scans this Store made to correct the count
	Refused   uint64 // Sets this Store refused with ErrFull
}

// Stats returns the store's counters. It does no I/O.
func (s *Store) Stats() Stats {
	c := s.lastCounts()
	return Stats{
		Entries:   c.entries,
		Bytes:     c.bytes,
		Writing:   c.writingBytes(),
		Evictions: s.stats.evictions.Load(),
		Scans:     s.stats.scans.Load(),
		Refused:   s.stats.refused.Load(),
	}
}
