package store

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned by [Backend.Get] for a key that is absent or
// expired.
var ErrNotFound = errors.New("memo: not found")

// FuncID names a memoized function: its package's import path and its name,
// "Type.Method" for a method.
type FuncID struct {
	Package string
	Name    string
}

// String returns "import/path.Name".
func (id FuncID) String() string { return id.Package + "." + id.Name }

// Key addresses one stored result of a byte-level backend.
type Key struct {
	Func FuncID
	// Digest is 32 lowercase hex digits: a 128-bit hash of the function's
	// identity, its code fingerprint, its version, its type arguments and
	// its keyed arguments. Every stored [Entry] names the digest it
	// answers, and the runtime serves it under that key alone.
	Digest string
	// Codec is the codec spec of the entry, e.g. "msgpack+zstd"; a backend
	// that names files may use it as an extension.
	Codec string
}

// A Backend stores encoded results: the byte-level interface that persistent
// and shared stores (files, Redis, S3) implement. Every method is safe for
// concurrent use and returns promptly when ctx ends.
type Backend interface {
	// Get returns the value stored under key, or ErrNotFound.
	Get(ctx context.Context, key Key) ([]byte, error)
	// Set stores value under key until expires; a zero expires means never.
	Set(ctx context.Context, key Key, value []byte, expires time.Time) error
	// Delete removes key; deleting an absent key is not an error.
	Delete(ctx context.Context, key Key) error
	// Clear removes every entry of fn.
	Clear(ctx context.Context, fn FuncID) error
}

// StoredEntry describes one stored entry, for listings.
type StoredEntry struct {
	Key     Key
	Size    int64     // bytes stored
	Created time.Time // zero when the backend cannot tell cheaply
	Expires time.Time // zero for never
	Summary string    // the keyed arguments, when known
}

// Expired reports whether e has expired at now.
func (e StoredEntry) Expired(now time.Time) bool {
	return !e.Expires.IsZero() && !now.Before(e.Expires)
}

// A Lister can enumerate its entries. The cache CLI needs it; wrappers do
// not.
type Lister interface {
	// List calls yield for each entry of fn, or of every function when fn is
	// the zero FuncID, until yield returns false.
	List(ctx context.Context, fn FuncID, yield func(StoredEntry) bool) error
}

// PruneStats reports what a prune removed.
type PruneStats struct {
	Entries int   // entries removed
	Bytes   int64 // bytes freed
}

// A Pruner can remove its expired entries on demand; backends whose server
// expires entries itself need not.
type Pruner interface {
	Prune(ctx context.Context) (PruneStats, error)
}

// A ValueStore is a Backend that also keeps values as they are, in this
// process, without encoding them. Wrappers bound to one use its tables, one
// per function.
type ValueStore interface {
	Backend
	// Table returns the table of cfg.Func, creating it on first use.
	Table(cfg TableConfig) Table
}

// TableConfig describes the table of one function in a [ValueStore].
type TableConfig struct {
	Func FuncID
	// MaxEntries bounds this function's entries, evicted by the store's
	// policy (least recently used, or, for package memory, S3-FIFO); 0
	// means only the store's own bounds apply.
	MaxEntries int
	// OnEvict, if not nil, is called with the number of entries the store
	// evicted to make room, outside any lock.
	OnEvict func(n int)
}

// A Table holds the values of one function in a [ValueStore]. Keys are
// what memo.KeyWriter.Bytes returns: the exact encoding of the arguments,
// so distinct arguments never collide, or, for an encoding of
// memo.MaxKeyBytes or more, its head and 128-bit digest, so that a key
// takes at most MaxKeyBytes. Expiry is a Unix time in nanoseconds, 0 for never; the table
// stores it and the caller decides what has expired, so that a test clock
// governs expiry.
type Table interface {
	// Get returns the value under key and marks it recently used.
	Get(key []byte) (value any, expires int64, ok bool)
	// Peek is Get without marking the entry used.
	Peek(key []byte) (value any, expires int64, ok bool)
	// Set stores value under key; size is the bytes the value keeps
	// alive, estimated: its own size and what it references. The store
	// adds what it spends on the key and the entry.
	Set(key string, value any, expires int64, size int64)
	// Delete removes key.
	Delete(key []byte)
	// Clear removes every entry of this table.
	Clear()
	// Len returns the number of entries.
	Len() int
}

// A SizedTable is a [Table] that knows what its entries cost, as its store
// counts them against a byte bound: [memo.Functions] reports it.
type SizedTable interface {
	Table
	// Bytes returns the estimated bytes of the table's entries.
	Bytes() int64
}
