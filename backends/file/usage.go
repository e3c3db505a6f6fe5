package file

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// The count of a directory's entries is shared by every process using it:
// a small file, <dir>/.memogen/usage, read and rewritten under an exclusive
// flock by each change. A Set reserves its bytes there before it writes, so
// that the bounds hold across processes, and settles the reservation after
// the rename. A reservation that is not settled within a minute or two,
// because its process crashed, is dropped. A scan, which the evictor makes
// now and then, corrects what the deltas missed: entries written by
// processes that crashed, files removed by hand. While it walks, Sets
// record what they add, and the scan adds that to what it found: what the
// walk both saw and was told of is counted twice, which errs toward
// evicting, never toward overflowing.

// counts is what the count file holds.
type counts struct {
	entries, bytes int64 // entry files
	// writing holds the reservations of Sets still writing, by the minute
	// they were made: [0] in writingMinute, [1] in the minute before.
	// Older ones are dropped.
	writing                  [2]reservation
	writingMinute            int64 // Unix minutes
	addedEntries, addedBytes int64 // entries written since the current scan began
	sets                     int64 // Sets done since the last scan
	scanned                  int64 // 1 once a scan has set the counts
}

// A reservation is room taken by files being written.
type reservation struct{ entries, bytes int64 }

// add adds the changes to entries that d describes; reservations are not
// changes but taken and released under the lock.
func (c *counts) add(d counts) {
	c.entries += d.entries
	c.bytes += d.bytes
	c.addedEntries += d.addedEntries
	c.addedBytes += d.addedBytes
	c.sets += d.sets
}

// writingEntries returns the entries reserved by Sets still writing.
func (c *counts) writingEntries() int64 { return c.writing[0].entries + c.writing[1].entries }

// writingBytes returns the bytes reserved by Sets still writing.
func (c *counts) writingBytes() int64 { return c.writing[0].bytes + c.writing[1].bytes }

// age moves the reservations on to minute, dropping those made before the
// minute before it. A clock that went back changes nothing.
func (c *counts) age(minute int64) {
	switch d := minute - c.writingMinute; {
	case d <= 0:
		return
	case d == 1:
		c.writing = [2]reservation{{}, c.writing[0]}
	default:
		c.writing = [2]reservation{}
	}
	c.writingMinute = minute
}

// release ends r, reserved in minute, unless it was dropped.
func (c *counts) release(minute int64, r reservation) {
	if i := c.writingMinute - minute; i == 0 || i == 1 {
		c.writing[i].entries = max(0, c.writing[i].entries-r.entries)
		c.writing[i].bytes = max(0, c.writing[i].bytes-r.bytes)
	}
}

// The count file is usageMagic, then the fields of counts in order, each a
// little-endian int64. A file of another size or magic counts as fresh.
var usageMagic = binary.LittleEndian.Uint64([]byte("memocnt1"))

const usageSize = 8 * 12

func (c *counts) words() []*int64 {
	return []*int64{&c.entries, &c.bytes,
		&c.writing[0].entries, &c.writing[0].bytes, &c.writing[1].entries, &c.writing[1].bytes, &c.writingMinute,
		&c.addedEntries, &c.addedBytes, &c.sets, &c.scanned}
}

func (c *counts) decode(buf []byte) {
	if binary.LittleEndian.Uint64(buf) != usageMagic {
		*c = counts{}
		return
	}
	for i, w := range c.words() {
		*w = int64(binary.LittleEndian.Uint64(buf[8*(i+1):]))
	}
}

func (c *counts) encode(buf []byte) {
	clear(buf)
	binary.LittleEndian.PutUint64(buf, usageMagic)
	for i, w := range c.words() {
		binary.LittleEndian.PutUint64(buf[8*(i+1):], uint64(*w))
	}
}

// minute returns the current Unix minute, by which reservations age.
func minute() int64 { return time.Now().Unix() / 60 }

// usage is this process's handle on the count file.
type usage struct {
	token chan struct{} // held, capacity 1, by the goroutine using file
	file  *os.File      // the open count file, or nil; guarded by token

	mu      sync.Mutex
	pending counts // changes not yet in the file; guarded by mu
	last    counts // as last read or written; guarded by mu
}

// update applies this process's pending changes and then change, if not
// nil, to the shared counts, and returns them. change may decline by
// returning false: the counts then stay as they were but for the pending
// changes. update waits for the lock until ctx ends.
func (s *Store) update(ctx context.Context, change func(*counts) bool) (c counts, ok bool, err error) {
	u := &s.usage
	select {
	case u.token <- struct{}{}:
	case <-ctx.Done():
		return c, false, ctx.Err()
	}
	defer func() { <-u.token }()
	f, err := s.lockCounts(ctx)
	if err != nil {
		return c, false, err
	}
	defer unlock(f)
	var buf [usageSize]byte
	n, err := f.ReadAt(buf[:], 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return c, false, err
	}
	if n < usageSize {
		clear(buf[:]) // new or torn: start afresh, for a scan to recount
	}
	c.decode(buf[:])
	u.mu.Lock()
	pending := u.pending
	u.pending = counts{}
	u.mu.Unlock()
	c.add(pending)
	c.age(minute())
	ok = change == nil || change(&c)
	c.encode(buf[:])
	if _, err := f.WriteAt(buf[:], 0); err != nil {
		u.mu.Lock()
		u.pending.add(pending)
		u.mu.Unlock()
		return c, false, err
	}
	u.mu.Lock()
	u.last = c
	u.mu.Unlock()
	return c, ok, nil
}

// lockCounts opens the count file if need be and locks it. A file that
// was removed since it was opened, with the directory, is opened afresh.
func (s *Store) lockCounts(ctx context.Context) (*os.File, error) {
	u := &s.usage
	for range 2 {
		if u.file == nil {
			if err := s.checkOwn(); err != nil {
				return nil, err
			}
			f, err := os.OpenFile(filepath.Join(s.dir, ownDir, usageFile), os.O_RDWR|os.O_CREATE|noFollow, 0o600)
			if err != nil {
				s.ownReady.Store(false)
				return nil, err
			}
			u.file = f
		}
		if err := lockContext(ctx, u.file); err != nil {
			return nil, err
		}
		if !unlinked(u.file) {
			return u.file, nil
		}
		unlock(u.file)
		u.file.Close()
		u.file = nil
		s.ownReady.Store(false)
	}
	return nil, errors.New("file: the count file keeps vanishing")
}

// lockContext takes an exclusive flock on f, polling until ctx ends, so
// that a process stopped while holding it delays others no longer than
// their deadline.
func lockContext(ctx context.Context, f *os.File) error {
	for delay := 10 * time.Microsecond; ; delay = min(2*delay, 2*time.Millisecond) {
		ok, err := tryLock(f)
		if ok || err != nil {
			return err
		}
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}

// change adds d to the shared counts: now, if the lock comes before ctx
// ends, else with the next update.
func (s *Store) change(ctx context.Context, d counts) counts {
	s.usage.mu.Lock()
	s.usage.pending.add(d)
	s.usage.mu.Unlock()
	c, _, err := s.update(ctx, nil)
	if err != nil {
		return s.lastCounts()
	}
	return c
}

// lastCounts returns the counts as this process last saw them.
func (s *Store) lastCounts() counts {
	s.usage.mu.Lock()
	defer s.usage.mu.Unlock()
	return s.usage.last
}

// closeCounts writes the pending changes, waiting for the lock a second at
// most, and closes the count file.
func (s *Store) closeCounts() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	s.usage.mu.Lock()
	dirty := s.usage.pending != counts{}
	s.usage.mu.Unlock()
	if dirty {
		_, _, _ = s.update(ctx, nil)
	}
	select {
	case s.usage.token <- struct{}{}:
	case <-ctx.Done():
		return
	}
	if s.usage.file != nil {
		s.usage.file.Close()
		s.usage.file = nil
	}
	<-s.usage.token
}

// reserve reserves room for a file of size bytes about to be written,
// which adds entries entries (0 when it replaces one), if it fits under the
// ceilings; ok is false when it does not. It returns the minute of the
// reservation, for settle.
func (s *Store) reserve(ctx context.Context, entries, size int64) (c counts, ok bool, err error) {
	return s.update(ctx, func(c *counts) bool {
		if !s.fits(*c, entries, size) {
			return false
		}
		c.writing[0].entries += entries
		c.writing[0].bytes += size
		return true
	})
}

// settle ends the reservation, made in minute, of a file of size bytes
// adding entries entries: written reports whether it became an entry,
// replacing one of old bytes, or none if old is negative. A scan finds the
// old file or the new one at the path, never neither, so only a new entry,
// and bytes beyond the old ones, count as added. If the lock does not come
// before ctx ends, the reservation is left to age out.
func (s *Store) settle(ctx context.Context, minute, entries, size, old int64, written bool) counts {
	var d counts
	if written {
		d.entries, d.bytes = 1, size
		d.addedEntries, d.addedBytes = 1, size
		d.sets = 1
		if old >= 0 {
			d.entries, d.bytes = 0, size-old
			d.addedEntries, d.addedBytes = 0, max(0, size-old)
		}
	}
	c, _, err := s.update(ctx, func(c *counts) bool {
		c.release(minute, reservation{entries, size})
		c.add(d)
		return true
	})
	if err != nil {
		s.usage.mu.Lock()
		s.usage.pending.add(d)
		s.usage.mu.Unlock()
		return s.lastCounts()
	}
	return c
}

// removed counts n entries of size bytes out.
func (s *Store) removed(ctx context.Context, n int, size int64) {
	if n != 0 || size != 0 {
		s.change(ctx, counts{entries: -int64(n), bytes: -size})
	}
}
