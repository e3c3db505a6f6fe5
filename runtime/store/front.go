package store

import (
	"context"
	"time"
)

// A DecodedFront is a Backend that keeps, in this process, the decoded
// results of the entries it serves, so that a hit costs neither a copy, a
// checksum nor a decode: a tiered store with an in-memory front. The
// runtime decodes an entry it read through [FrontTable.Load] and hands the
// decoded result back with [FrontTable.Keep]: what a front keeps is what
// the backend's own bytes decode to, never a result as its function
// returned it, so that a front hit returns the value a read of the
// backend would.
type DecodedFront interface {
	Backend
	// DecodedFront returns the table of fn's decoded results, or nil when
	// the backend keeps none (its front is not a [ValueStore]).
	DecodedFront(fn FuncID) FrontTable
}

// A FrontTable holds the decoded results of one function in a
// [DecodedFront]. Values are addressed by their entry's [Key.Digest]. A
// write, delete or clear through the backend drops the values it
// replaces, and a value read before such a write is not kept after it;
// changes that reach the backend by another way (another process) stay
// unseen while a value is kept, at most [FrontTable.TTL]. Expiry is a
// Unix time in nanoseconds that the caller computes and checks, so that a
// test clock governs it, as in a [Table].
type FrontTable interface {
	// Get returns the value kept for digest and until when it may be
	// served.
	Get(digest []byte) (value any, until int64, ok bool)
	// Load reads the entry under key from behind the front, and a ticket
	// that [FrontTable.Keep] needs to keep the entry's decoded value.
	Load(ctx context.Context, key Key) (data []byte, ticket uint64, err error)
	// Keep keeps value, the decoded result of the entry that Load
	// returned with ticket, until until, unless a write to key through
	// the backend has finished since. size is what value keeps alive, as
	// [Table.Set] counts it.
	Keep(key Key, ticket uint64, value any, until, size int64)
	// TTL is how long a value may be kept after its entry was read: the
	// staleness that changes made by another process may have.
	TTL() time.Duration
}
