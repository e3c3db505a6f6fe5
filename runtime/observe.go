package runtime

import (
	"time"

	"github.com/memogen/memogen/runtime/store"
)

// Outcome says how a call was served.
type Outcome int

// The outcomes of a call.
const (
	// Hit: served from the cache.
	Hit Outcome = iota + 1
	// Miss: the function ran and, unless it failed, its result was stored.
	Miss
	// Shared: the call waited for a concurrent call with the same key and
	// shared its result.
	Shared
	// Refresh: a nocache argument skipped the read; the function ran and its
	// result was stored.
	Refresh
	// Uncached: the function ran without the cache: caching is disabled,
	// the backend is unbound or failed, or the key could not be built; or
	// the call's context ended while it waited for a concurrent identical
	// call (Stats.Canceled), and it returned the context's error.
	Uncached
	// Stale: served an expired result, within stale= of its expiry while a
	// background refresh runs, or within stale_if_error= because the
	// function failed (CallInfo.Err holds the failure).
	Stale
)

var outcomeNames = [...]string{Hit: "hit", Miss: "miss", Shared: "shared", Refresh: "refresh", Uncached: "uncached", Stale: "stale"}

// String returns the outcome's name in lower case.
func (o Outcome) String() string {
	if o > 0 && int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return "unknown"
}

// CallInfo describes one call, for [Config.Hook].
type CallInfo struct {
	Func    store.FuncID
	Outcome Outcome
	// Key identifies the argument set: 12 hex digits of its digest, or the
	// whole encoded key in hex when Config.FullKeys is set. It is empty
	// when the arguments could not be keyed, and for an unbound backend.
	Key string
	// Expires is when the entry served or stored expires; zero for never,
	// or when nothing was stored.
	Expires time.Time
	// Duration is the time the call took, the function's run included.
	Duration time.Duration
	// Err is the function's error, the cache's own (a failed backend, a
	// key that could not be built, a corrupt entry, the first result of a
	// function that would not read back equal, the first call of a
	// function whose size= the store's bound makes unreachable, as
	// [ErrUnreachableBound]), which reaches the caller only under
	// Config.Strict, or both joined.
	Err error
}

// Stats are a function's counters since the program started.
type Stats struct {
	Hits      uint64 // calls served from the cache
	Misses    uint64 // calls that ran the function to fill the cache
	Shared    uint64 // calls that waited for a concurrent identical call
	Errors    uint64 // runs whose function returned an error (not cached)
	Failures  uint64 // cache failures: unbound or failing backend, unkeyable arguments
	Corrupt   uint64 // stored entries that failed to decode, deleted and recomputed
	Oversize  uint64 // results larger than Config.MaxEntryBytes, compressed or not, not stored
	Evictions uint64 // entries evicted to make room
	// Unstorable counts results returned but not stored because they
	// would not read back equal (decoding what was encoded gave a
	// different value), the codec could not encode them, or they hold a
	// cycle.
	Unstorable uint64
	Stale      uint64 // calls served an expired result (stale=, stale_if_error=)
	// Canceled counts calls whose context ended while they waited for a
	// concurrent identical call: they returned the context's error, or,
	// for a function without an error result, ran the function uncached.
	Canceled uint64
}
