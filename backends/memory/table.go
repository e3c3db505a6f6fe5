package memory

import (
	"hash/maphash"

	"github.com/memogen/memogen/runtime/store"
)

var _ store.SizedTable = (*table)(nil)

// table holds one function's entries: an index that hits read without a
// lock, and the small and main queues of the eviction policy (policy.go),
// which like every change are guarded by the store's mutex. Eviction
// callbacks run after the mutex is released.
type table struct {
	s       *Store
	idx     index
	small   queue       // guarded by s.mu
	main    queue       // guarded by s.mu
	salt    uint64      // tells this table's keys apart from others' in the ghost
	max     int         // per-function bound; 0 for none; guarded by s.mu
	onEvict func(n int) // guarded by s.mu
	bytes   int64       // the estimated bytes of t's entries; guarded by s.mu
}

// lookup returns the entry under key, or nil.
func (t *table) lookup(key []byte) *entry {
	h := maphash.Bytes(t.s.seed, key)
	e, sure := t.idx.find(h, key)
	if e != nil || sure {
		return e
	}
	t.s.mu.Lock()
	e = t.idx.findLocked(h, string(key))
	t.s.mu.Unlock()
	return e
}

// Get returns the value under key and counts the access for the eviction
// policy; it takes no lock.
func (t *table) Get(key []byte) (value any, expires int64, ok bool) {
	e := t.lookup(key)
	if e == nil {
		return nil, 0, false
	}
	e.touch()
	return e.value, e.expires, true
}

// Peek returns the value under key without counting the access.
func (t *table) Peek(key []byte) (value any, expires int64, ok bool) {
	if e := t.lookup(key); e != nil {
		return e.value, e.expires, true
	}
	return nil, 0, false
}

// Set stores value under key, evicting entries to stay within the table's
// and the store's bounds; the entry just stored always stays. size is the
// value's estimated size; the entry counts its key and the store's
// overhead too. Storing over an existing entry counts as an access.
func (t *table) Set(key string, value any, expires int64, size int64) {
	e := &entry{key: key, value: value, expires: expires, size: entrySize(key, size)}
	s := t.s
	h := maphash.String(s.seed, key)
	s.mu.Lock()
	if old := t.idx.findLocked(h, key); old != nil {
		st := old.state.Load()
		e.state.Store(st&^freqMask | min(st&freqMask+1, maxFreq))
		if old.main() {
			t.main.replace(old, e)
		} else {
			t.small.replace(old, e)
			s.smallBytes += e.size - old.size
		}
		t.idx.replaceLocked(h, old, e)
		s.bytes += e.size - old.size
		t.bytes += e.size - old.size
	} else {
		t.idx.insertLocked(s.seed, h, e)
		s.enqueueLocked(t, e, s.ghost.has(t.ghostHash(key)), 0)
		s.entries++
		s.bytes += e.size
		t.bytes += e.size
	}
	evicted := s.evictLocked(t, e)
	s.mu.Unlock()
	notify(evicted)
}

// Delete removes key.
func (t *table) Delete(key []byte) {
	h := maphash.Bytes(t.s.seed, key)
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	if e := t.idx.findLocked(h, string(key)); e != nil {
		t.s.removeLocked(t, e)
	}
}

// Clear removes every entry of the table.
func (t *table) Clear() {
	s := t.s
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, q := range []*queue{&t.small, &t.main} {
		for e := q.head; e != nil; e = q.head {
			s.unqueueLocked(t, e)
			s.entries--
			s.bytes -= e.size
			t.bytes -= e.size
		}
	}
	t.idx.resetLocked()
}

// Len returns the number of entries.
func (t *table) Len() int {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	return t.idx.n
}

// Bytes returns the estimated bytes of the table's entries, as
// Options.MaxBytes counts them.
func (t *table) Bytes() int64 {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	return t.bytes
}

// ghostHash is the hash under which the ghost remembers key of this table.
func (t *table) ghostHash(key string) uint64 {
	return maphash.String(t.s.seed, key) ^ t.salt
}

// enqueueLocked puts e at the tail of t's main or small queue with a new
// stamp.
func (s *Store) enqueueLocked(t *table, e *entry, main bool, freq uint64) {
	s.clock++
	e.setState(main, s.clock, freq)
	if main {
		t.main.push(e)
		return
	}
	t.small.push(e)
	s.smallN++
	s.smallBytes += e.size
}

// unqueueLocked takes e out of its queue.
func (s *Store) unqueueLocked(t *table, e *entry) {
	if e.main() {
		t.main.remove(e)
		return
	}
	t.small.remove(e)
	s.smallN--
	s.smallBytes -= e.size
}

// removeLocked takes e out of the store.
func (s *Store) removeLocked(t *table, e *entry) {
	s.unqueueLocked(t, e)
	t.idx.removeLocked(maphash.String(s.seed, e.key), e)
	s.entries--
	s.bytes -= e.size
	t.bytes -= e.size
}
