package memory

// The store evicts by S3-FIFO (Yang et al., "FIFO queues are all you need
// for cache eviction", SOSP 2023), so that a hit changes nothing but the
// entry's access count and takes no lock:
//
//   - A new entry joins the small queue, or the main queue if the ghost
//     remembers its key as evicted from the small queue a short while ago.
//   - The small queue's oldest entry leaves first while the small queue
//     holds a tenth of the bound (of the entries or of the bytes,
//     whichever it is closer to): to the main queue if it was used since
//     it joined, else out of the store, its key to the ghost.
//   - Otherwise the main queue's oldest entry leaves: back to the main
//     queue's tail, its count lowered by one, if used since it was last
//     looked at, else out of the store.
//
// Keys seen once (a scan) thus pass through the small queue without
// pushing out what is used again, and an entry used since it was stored
// survives the next eviction, as under LRU.
//
// Queues belong to tables, so that a function's bound (TableConfig's
// MaxEntries) evicts among its own entries by the same rule; the store's
// bounds evict among all tables, in the store-wide order that queue stamps
// record: the oldest entry of a queue of all tables is the oldest head.

// smallShare is the part of a bound the small queue holds before it is
// evicted from first: 1/10.
const smallShare = 10

// oldestOf returns the oldest entry of one kind of queue among tables,
// skipping keep.
func oldestOf(tables []*table, main bool, keep *entry) (*table, *entry) {
	var bt *table
	var best *entry
	for _, t := range tables {
		q := &t.small
		if main {
			q = &t.main
		}
		if e := q.oldest(keep); e != nil && (best == nil || e.stamp() < best.stamp()) {
			bt, best = t, e
		}
	}
	return bt, best
}

// evictOneLocked evicts one entry of tables, or moves entries between
// queues until it can; smallOver says whether the small queues hold their
// share. keep, the entry just stored, stays. It returns the evicted
// entry's table, or nil when only keep is left.
func (s *Store) evictOneLocked(tables []*table, smallOver bool, keep *entry) *table {
	for {
		t, e := oldestOf(tables, false, keep)
		mt, me := oldestOf(tables, true, keep)
		switch {
		case e == nil && me == nil:
			return nil
		case e != nil && (smallOver || me == nil):
			if e.freq() > 0 {
				s.unqueueLocked(t, e)
				s.enqueueLocked(t, e, true, 0)
				continue
			}
			s.ghost.add(t.ghostHash(e.key), s.entries)
			s.removeLocked(t, e)
			return t
		default:
			if f := me.freq(); f > 0 {
				s.unqueueLocked(mt, me)
				s.enqueueLocked(mt, me, true, f-1)
				continue
			}
			s.removeLocked(mt, me)
			return mt
		}
	}
}

// evictLocked enforces t's bound, then the store's, keeping keep, and
// returns the callbacks to run once the lock is released.
func (s *Store) evictLocked(t *table, keep *entry) []eviction {
	var evicted []eviction
	note := func(t *table) {
		if t.onEvict != nil {
			evicted = append(evicted, eviction{t.onEvict, 1})
		}
	}
	one := []*table{t}
	for t.max > 0 && t.idx.n > t.max {
		victim := s.evictOneLocked(one, t.small.n*smallShare >= t.max, keep)
		if victim == nil {
			break
		}
		note(victim)
	}
	for (s.opts.MaxEntries > 0 && s.entries > s.opts.MaxEntries) ||
		(s.opts.MaxBytes > 0 && s.bytes > s.opts.MaxBytes && s.entries > 1) {
		smallOver := (s.opts.MaxEntries > 0 && s.smallN*smallShare >= s.opts.MaxEntries) ||
			(s.opts.MaxBytes > 0 && s.smallBytes*smallShare >= s.opts.MaxBytes)
		victim := s.evictOneLocked(s.list, smallOver, keep)
		if victim == nil {
			break
		}
		note(victim)
	}
	return evicted
}

// eviction is the news for one table's eviction callback.
type eviction struct {
	onEvict func(n int)
	n       int
}

// notify runs eviction callbacks; the caller has released the lock.
func notify(evicted []eviction) {
	for _, e := range evicted {
		e.onEvict(e.n)
	}
}
