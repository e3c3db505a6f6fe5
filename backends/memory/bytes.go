package memory

import (
	"context"
	"time"

	"github.com/memogen/memogen/runtime/store"
)

// The byte-level methods make a Store usable wherever a [store.Backend] is,
// for instance as the fast tier in front of a shared store. Entries are
// keyed by digest in the function's table, and values are copied in and out.

// Get returns a copy of the bytes stored under key, or store.ErrNotFound.
func (s *Store) Get(ctx context.Context, key store.Key) ([]byte, error) {
	t := s.table(key.Func)
	v, expires, ok := t.Get([]byte(key.Digest))
	if !ok || (expires != 0 && time.Now().UnixNano() >= expires) {
		return nil, store.ErrNotFound
	}
	b, ok := v.([]byte)
	if !ok {
		return nil, store.ErrNotFound
	}
	return append([]byte(nil), b...), nil
}

// Set stores a copy of value under key until expires.
func (s *Store) Set(ctx context.Context, key store.Key, value []byte, expires time.Time) error {
	var exp int64
	if !expires.IsZero() {
		exp = expires.UnixNano()
	}
	b := append([]byte(nil), value...)
	s.table(key.Func).Set(key.Digest, b, exp, int64(len(b)))
	return nil
}

// Delete removes key.
func (s *Store) Delete(ctx context.Context, key store.Key) error {
	s.table(key.Func).Delete([]byte(key.Digest))
	return nil
}

// Clear removes every entry of fn.
func (s *Store) Clear(ctx context.Context, fn store.FuncID) error {
	s.table(fn).Clear()
	return nil
}

// table returns fn's table for byte-level use, leaving its bound alone.
func (s *Store) table(fn store.FuncID) *table {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tableLocked(fn, store.TableConfig{})
}
