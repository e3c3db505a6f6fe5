package memory

import "sync/atomic"

// entry is one cached value. Readers find it without a lock, so what they
// read (key, value, expires) never changes once the entry is published:
// storing a new value under a key replaces the entry. Everything else is
// guarded by the store's mutex, except the access count in state, which
// readers raise with atomic operations.
type entry struct {
	key     string
	value   any
	expires int64 // Unix nanoseconds; 0 for never
	size    int64 // what the entry counts against Options.MaxBytes

	hnext atomic.Pointer[entry] // the next entry of its index bucket

	// prev and next link the entry into its table's small or main queue
	// (see policy.go); guarded by the store's mutex.
	prev, next *entry

	// state packs the access count (the low two bits, 0 to maxFreq),
	// whether the entry is in the main queue (bit 2) and its queue stamp
	// (the rest): the store-wide order in which entries joined the tail of
	// their queue, which merges every table's queues into one.
	state atomic.Uint64
}

const (
	freqMask = 3
	maxFreq  = 3
	inMain   = 1 << 2
	stampOne = 1 << 3
)

// touch counts an access. It is lossy: a racing update may win, and an
// entry already at maxFreq is only read, so that a hot entry's cache line
// stays shared among the cores that hit it.
func (e *entry) touch() {
	s := e.state.Load()
	if s&freqMask < maxFreq {
		e.state.CompareAndSwap(s, s+1)
	}
}

func (e *entry) freq() uint64 { return e.state.Load() & freqMask }
func (e *entry) main() bool   { return e.state.Load()&inMain != 0 }
func (e *entry) stamp() uint64 {
	return e.state.Load() / stampOne
}

// setState replaces the queue, stamp and access count at once; the caller
// holds the store's mutex. A concurrent touch is lost, which only makes
// the count lossier.
func (e *entry) setState(main bool, stamp, freq uint64) {
	s := stamp*stampOne | min(freq, maxFreq)
	if main {
		s |= inMain
	}
	e.state.Store(s)
}
