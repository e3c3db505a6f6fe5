package memory

import (
	"hash/maphash"
	"sync/atomic"
)

// index maps one table's keys to entries. Lookups take no lock: they load
// the bucket array, a bucket's first entry and each entry's successor with
// atomic loads and compare keys. Changes are made under the store's mutex,
// in an order that keeps every chain a reader may be walking well formed:
// an entry is linked at the head of its bucket only once complete, and an
// unlinked entry keeps pointing at its old successor.
//
// Growing the array relinks entries into new chains, which can make a
// reader miss an entry that is there; seq is odd while that happens and
// changes when it ends, and a lookup that misses while it changed looks
// again under the mutex.
type index struct {
	buckets atomic.Pointer[buckets]
	seq     atomic.Uint64
	n       int // entries; guarded by the store's mutex
}

type buckets struct {
	mask  uint64
	slots []atomic.Pointer[entry]
}

// minBuckets is the size of a new table's bucket array.
const minBuckets = 8

// loadFactor is the mean chain length at which the array doubles, so that
// the array costs 4 to 8 bytes an entry.
const loadFactor = 2

func newBuckets(n int) *buckets {
	return &buckets{mask: uint64(n - 1), slots: make([]atomic.Pointer[entry], n)}
}

func (x *index) init() { x.buckets.Store(newBuckets(minBuckets)) }

// find returns the entry under key, or nil, without a lock; h is the key's
// hash. It reports whether the miss is certain: false when a resize ran
// during the lookup.
func (x *index) find(h uint64, key []byte) (e *entry, sure bool) {
	seq := x.seq.Load()
	b := x.buckets.Load()
	for e := b.slots[h&b.mask].Load(); e != nil; e = e.hnext.Load() {
		if e.key == string(key) {
			return e, true
		}
	}
	return nil, seq&1 == 0 && x.seq.Load() == seq
}

// findLocked is find for a caller holding the store's mutex.
func (x *index) findLocked(h uint64, key string) *entry {
	b := x.buckets.Load()
	for e := b.slots[h&b.mask].Load(); e != nil; e = e.hnext.Load() {
		if e.key == key {
			return e
		}
	}
	return nil
}

// insertLocked links e, whose key is absent, at the head of its bucket.
func (x *index) insertLocked(seed maphash.Seed, h uint64, e *entry) {
	if x.n >= loadFactor*len(x.buckets.Load().slots) {
		x.growLocked(seed)
	}
	b := x.buckets.Load()
	slot := &b.slots[h&b.mask]
	e.hnext.Store(slot.Load())
	slot.Store(e)
	x.n++
}

// replaceLocked puts e in old's place in its chain.
func (x *index) replaceLocked(h uint64, old, e *entry) {
	e.hnext.Store(old.hnext.Load())
	x.swapLocked(h, old, e)
}

// removeLocked unlinks e from its chain.
func (x *index) removeLocked(h uint64, e *entry) {
	x.swapLocked(h, e, e.hnext.Load())
	x.n--
}

// swapLocked makes whatever pointed at old point at repl.
func (x *index) swapLocked(h uint64, old, repl *entry) {
	b := x.buckets.Load()
	link := &b.slots[h&b.mask]
	for p := link.Load(); p != old; p = link.Load() {
		link = &p.hnext
	}
	link.Store(repl)
}

// growLocked doubles the bucket array, relinking every entry.
func (x *index) growLocked(seed maphash.Seed) {
	x.seq.Add(1)
	old := x.buckets.Load()
	b := newBuckets(2 * len(old.slots))
	for i := range old.slots {
		for e := old.slots[i].Load(); e != nil; {
			next := e.hnext.Load()
			slot := &b.slots[maphash.String(seed, e.key)&b.mask]
			e.hnext.Store(slot.Load())
			slot.Store(e)
			e = next
		}
	}
	x.buckets.Store(b)
	x.seq.Add(1)
}

// resetLocked empties the index.
func (x *index) resetLocked() {
	x.buckets.Store(newBuckets(minBuckets))
	x.n = 0
}
