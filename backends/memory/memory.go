// Package memory is memogen's in-process backend: a least-recently-used
// store bounded by entry count and, where sizes are known, by bytes.
//
// Importing it registers the "mem" URL scheme, so that
//
//	MEMO_BACKEND_<NAME>=mem://?size=1000&max_bytes=67108864
//
// binds a backend from the environment. Generated code imports it, because
// the backend named "default" is a memory store unless rebound.
//
// # Values are shared, not copied
//
// Wrappers bound to a memory store keep each result as it is, without
// encoding or copying it, as Python's functools.lru_cache does: a hit costs
// a map lookup and returns the very value the function returned. Results
// that hold pointers, slices or maps therefore share memory with the cache,
// and every caller must treat them as read-only. A function whose callers
// mutate its results should return copies, or use a byte-level backend.
package memory

import (
	"fmt"
	"net/url"
	"strconv"
	"sync"

	memo "github.com/memogen/memogen/runtime"
)

// DefaultMaxEntries bounds a store whose Options leave MaxEntries zero.
const DefaultMaxEntries = 100_000

// Options configure a Store.
type Options struct {
	// MaxEntries bounds the entries of all functions together; the least
	// recently used is evicted first. 0 means DefaultMaxEntries; negative
	// means no bound.
	MaxEntries int
	// MaxBytes bounds the total size of entries whose size is known
	// (strings, byte slices, encoded values); 0 means no bound.
	MaxBytes int64
}

// A Store is an in-memory [memo.ValueStore]. It is safe for concurrent use.
type Store struct {
	mu      sync.Mutex
	opts    Options
	tables  map[memo.FuncID]*table // guarded by mu
	lru     ring                   // every entry, most recently used first; guarded by mu
	entries int                    // guarded by mu
	bytes   int64                  // guarded by mu
}

var (
	_ memo.ValueStore = (*Store)(nil)
	_ memo.Table      = (*table)(nil)
)

// New returns an empty store.
func New(opts Options) *Store {
	if opts.MaxEntries == 0 {
		opts.MaxEntries = DefaultMaxEntries
	}
	s := &Store{opts: opts, tables: make(map[memo.FuncID]*table)}
	s.lru.init(global)
	return s
}

// Open returns a store configured by a URL of the form
// mem://?size=N&max_bytes=M, both optional.
func Open(u *url.URL) (memo.Backend, error) {
	if u.Scheme != "mem" {
		return nil, fmt.Errorf("memory: scheme %q, want mem", u.Scheme)
	}
	var opts Options
	q := u.Query()
	for name := range q {
		if name != "size" && name != "max_bytes" {
			return nil, fmt.Errorf("memory: unknown URL parameter %q (want size, max_bytes)", name)
		}
	}
	if v := q.Get("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("memory: size=%q: want a positive integer", v)
		}
		opts.MaxEntries = n
	}
	if v := q.Get("max_bytes"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("memory: max_bytes=%q: want a positive integer", v)
		}
		opts.MaxBytes = n
	}
	return New(opts), nil
}

func init() { memo.RegisterScheme("mem", Open) }

// Table returns the table of cfg.Func, creating it on first use. A later
// call for the same function updates its bound and eviction callback.
func (s *Store) Table(cfg memo.TableConfig) memo.Table {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tableLocked(cfg.Func, cfg)
}

func (s *Store) tableLocked(fn memo.FuncID, cfg memo.TableConfig) *table {
	t := s.tables[fn]
	if t == nil {
		t = &table{s: s, m: make(map[string]*entry)}
		t.lru.init(local)
		s.tables[fn] = t
	}
	if cfg.Func == fn {
		t.max, t.onEvict = cfg.MaxEntries, cfg.OnEvict
	}
	return t
}

// Len returns the number of entries of all functions.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.entries
}

// Bytes returns the total known size of the entries.
func (s *Store) Bytes() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bytes
}
