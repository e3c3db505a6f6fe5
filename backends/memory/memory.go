// Package memory is memogen's in-process backend: a store bounded by entry
// count and by bytes, whose hits take no lock.
//
// Importing it registers the "mem" URL scheme, so that
//
//	MEMO_BACKEND_<NAME>=mem://?max_entries=1000&max_bytes=64MiB
//
// binds a backend from the environment; see [ParseURL] for the parameters.
// Generated code imports it, because the backend named "default" is a
// memory store unless rebound.
//
// # Values are shared, not copied
//
// Wrappers bound to a memory store keep each result as it is, without
// encoding or copying it, as Python's functools.lru_cache does: a hit costs
// a map lookup and returns the very value the function returned. Results
// that hold pointers, slices or maps therefore share memory with the cache,
// and every caller must treat them as read-only. A function whose callers
// mutate its results should return copies, or use a byte-level backend.
//
// # Eviction
//
// A hit reads the entry through a lock-free index and counts the access
// on the entry, so hits on many cores do not wait for each other; storing,
// deleting and evicting take the store's mutex. When a bound is reached
// the store evicts by S3-FIFO: a new entry waits in a small queue, which
// keeps a tenth of the room, and moves to the main queue only if it is
// used again before it reaches the small queue's end; the main queue keeps
// an entry as long as it is used between two passes of the queue. An
// entry used since it was stored survives the next eviction, as under
// LRU, but keys seen once, such as a scan over every key, pass through
// the small queue without pushing out the entries that are used again.
// See docs/benchmarks.md for hit ratios against LRU.
//
// # What max_bytes counts
//
// A store bounded by bytes counts, for each entry, an estimate of the
// memory the entry keeps alive: its key as the table stores it (the
// encoded arguments, or a byte-level entry's digest), [EntryOverhead] for
// the entry and its map slot, and the value's size. A result's size is
// its own size plus everything it references: the backing arrays of its
// strings, slices and maps, what its pointers point to and its interfaces
// hold. Generated code estimates it without reflection from the result
// types (memoimpl.FuncInfo.Size); the runtime estimates by reflection the
// results of generic functions, interfaces' dynamic values, types that
// hold themselves and other packages' unexported fields, walking at most
// 16384 values and sampling long slices and maps. An encoded value counts
// its bytes. Estimates leave out allocators' rounding, a func's closure
// and a channel's buffer, and count memory a result shares with the rest
// of the program as its own, so the heap a full store holds is of the
// order of max_bytes, not exactly it: filled with results that each hold a kilobyte, or under keys of a
// kilobyte, a store bounded to 10 MB holds 10 to 11 MB.
package memory

import (
	"hash/maphash"
	"math"
	"net/url"
	"sync"

	"github.com/memogen/memogen/backends/internal/urlopt"
	"github.com/memogen/memogen/runtime/store"
)

// DefaultMaxEntries bounds a store whose Options leave MaxEntries zero.
const DefaultMaxEntries = 100_000

// Options configure a Store.
type Options struct {
	// MaxEntries bounds the entries of all functions together (see
	// "Eviction" for which go first). 0 means DefaultMaxEntries; negative
	// means no bound.
	MaxEntries int
	// MaxBytes bounds the estimated bytes of all entries together, keys
	// and overhead included (see "What max_bytes counts"); the latest
	// entry always stays, however large. 0 means no bound.
	MaxBytes int64
}

// A Store is an in-memory [store.ValueStore]. It is safe for concurrent use.
type Store struct {
	mu         sync.Mutex
	opts       Options
	seed       maphash.Seed
	tables     map[store.FuncID]*table // guarded by mu
	list       []*table                // the tables, in creation order; guarded by mu
	entries    int                     // guarded by mu
	bytes      int64                   // guarded by mu
	smallN     int                     // entries in small queues; guarded by mu
	smallBytes int64                   // their bytes; guarded by mu
	clock      uint64                  // the last queue stamp given; guarded by mu
	ghost      ghost                   // guarded by mu
}

var (
	_ store.ValueStore   = (*Store)(nil)
	_ store.EntryBounder = (*Store)(nil)
	_ store.Table        = (*table)(nil)
)

// New returns an empty store.
func New(opts Options) *Store {
	if opts.MaxEntries == 0 {
		opts.MaxEntries = DefaultMaxEntries
	}
	return &Store{opts: opts, seed: maphash.MakeSeed(), tables: make(map[store.FuncID]*table)}
}

// ParseURL returns the options that a URL of the form
//
//	mem://?max_entries=N&max_bytes=N
//
// describes. Both parameters are optional: max_entries sets
// Options.MaxEntries, DefaultMaxEntries when absent and no bound when 0;
// max_bytes sets Options.MaxBytes, a size such as 1048576 or 64MiB, no
// bound when absent or 0. An unknown, repeated or malformed parameter is an
// error.
func ParseURL(rawURL string) (Options, error) {
	u, q, err := urlopt.Parse("memory", rawURL, "mem")
	if err != nil {
		return Options{}, err
	}
	if err := urlopt.QueryOnly("memory", u, "mem://?max_entries=N&max_bytes=N"); err != nil {
		return Options{}, err
	}
	var opts Options
	opts.MaxEntries = q.Int("max_entries", 0, math.MaxInt)
	if opts.MaxEntries == 0 && q.Has("max_entries") {
		opts.MaxEntries = -1 // the URL's 0, no bound, is Options' negative
	}
	opts.MaxBytes = q.Bytes("max_bytes")
	if err := q.Err(); err != nil {
		return Options{}, err
	}
	return opts, nil
}

// open is the opener of mem:// URLs.
func open(u *url.URL) (store.Backend, error) {
	opts, err := ParseURL(u.String())
	if err != nil {
		return nil, err
	}
	return New(opts), nil
}

func init() { store.RegisterScheme("mem", open) }

// Table returns the table of cfg.Func, creating it on first use. A later
// call for the same function updates its bound and eviction callback.
func (s *Store) Table(cfg store.TableConfig) store.Table {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tableLocked(cfg.Func, cfg)
}

func (s *Store) tableLocked(fn store.FuncID, cfg store.TableConfig) *table {
	t := s.tables[fn]
	if t == nil {
		t = &table{s: s, salt: maphash.String(s.seed, fn.String())}
		t.idx.init()
		s.tables[fn] = t
		s.list = append(s.list, t)
	}
	if cfg.Func == fn {
		t.max, t.onEvict = cfg.MaxEntries, cfg.OnEvict
	}
	return t
}

// EntryBound returns the store's bound on the entries of all functions
// together, 0 for none, and "max_entries", the URL parameter that sets it.
// A function's own bound (TableConfig.MaxEntries, the directive's size=)
// above it can never be reached: the store evicts first.
func (s *Store) EntryBound() (n int, param string) {
	return max(s.opts.MaxEntries, 0), "max_entries"
}

// Len returns the number of entries of all functions.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.entries
}

// Bytes returns the estimated bytes of all entries, as Options.MaxBytes
// counts them.
func (s *Store) Bytes() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bytes
}
