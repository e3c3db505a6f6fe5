package kv

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"unsafe"

	"github.com/memogen/memogen/runtime/store"
)

// An Iter walks a store's live entries, in the backend's order, each one
// read as Get reads it: a corrupt entry is deleted, counted and skipped,
// and so is an expired one. Entries set or deleted while it walks may or
// may not be seen. Err reports what ended a walk early. An Iter is for one
// goroutine.
type Iter[K comparable, V any] struct {
	s   *Store[K, V]
	ctx context.Context
	err error
}

// Iter returns an iterator over the store's live entries:
//
//	it := sessions.Iter(ctx)
//	for token, s := range it.All() {
//		...
//	}
//	if err := it.Err(); err != nil {
//		...
//	}
//
// ctx bounds the whole walk; memo.Config.Timeout bounds each read.
func (s *Store[K, V]) Iter(ctx context.Context) *Iter[K, V] {
	return &Iter[K, V]{s: s, ctx: ctx}
}

// Err returns the error that ended the last walk, nil if it ended because
// the entries did or the loop stopped. It wraps [ErrUnsupported] when the
// backend cannot list its entries.
func (it *Iter[K, V]) Err() error { return it.err }

// All yields each live entry's key and value.
func (it *Iter[K, V]) All() iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		it.walk(true, yield)
	}
}

// Keys yields each live entry's key, without decoding its value.
func (it *Iter[K, V]) Keys() iter.Seq[K] {
	return func(yield func(K) bool) {
		it.walk(false, func(k K, _ V) bool { return yield(k) })
	}
}

// walk lists the store's entries and yields those that are live and
// intact, with their values when values is set.
func (it *Iter[K, V]) walk(values bool, yield func(K, V) bool) {
	s := it.s
	it.err = nil
	l, ok := s.backend.(store.Lister)
	if !ok {
		it.err = fmt.Errorf("kv: %s: %s: %w", s.id.Name, s.backendName, ErrUnsupported)
		return
	}
	c := currentConfig()
	stopped := false
	err := l.List(it.ctx, s.id, func(e store.StoredEntry) bool {
		if e.Key.Codec != s.codecSpec || e.Expired(c.now()) {
			return true // another codec's store of this name, or expired
		}
		k, v, ok, err := it.read(c, e.Key, values)
		switch {
		case err != nil:
			it.err = err
			return false
		case !ok:
			return true
		case !yield(k, v):
			stopped = true
			return false
		}
		return true
	})
	if err != nil && !stopped && it.err == nil {
		if errors.Is(err, errors.ErrUnsupported) {
			err = fmt.Errorf("%w: %w", ErrUnsupported, err)
		}
		it.err = fmt.Errorf("kv: %s: %s: list: %w", s.id.Name, s.backendName, err)
	}
}

// read returns the key and, with values set, the value of the listed entry
// under key; ok is false for an entry that is gone, expired, corrupt, or of
// another incarnation of the store (other key or value types).
func (it *Iter[K, V]) read(c config, key store.Key, values bool) (k K, v V, ok bool, err error) {
	s := it.s
	opCtx, cancel := opContext(it.ctx, c)
	data, err := s.backend.Get(opCtx, key)
	cancel()
	switch {
	case errors.Is(err, store.ErrNotFound):
		return k, v, false, nil
	case errors.Is(err, store.ErrTooLarge), errors.Is(err, store.ErrCorrupt):
		s.discard(it.ctx, c, key)
		return k, v, false, nil
	case err != nil:
		return k, v, false, fmt.Errorf("kv: %s: %s: get: %w", s.id.Name, s.backendName, err)
	case len(data) > c.maxBytes:
		s.discard(it.ctx, c, key)
		return k, v, false, nil
	}
	payload, expires, err := store.CheckEntry(data, key)
	switch {
	case errors.Is(err, store.ErrOldEntry):
		return k, v, false, nil
	case err != nil:
		s.discard(it.ctx, c, key)
		return k, v, false, nil
	case !expires.IsZero() && !c.now().Before(expires):
		return k, v, false, nil
	}
	enc, value, err := splitPayload(payload)
	if err != nil {
		s.discard(it.ctx, c, key)
		return k, v, false, nil
	}
	if digestHex(s.prefix, enc) != key.Digest {
		// Intact, but written by a store of this name with other key or
		// value types: not this store's, and not damage.
		return k, v, false, nil
	}
	if err := s.keys.decode(enc, unsafe.Pointer(&k)); err != nil {
		s.discard(it.ctx, c, key)
		return k, v, false, nil
	}
	if values && !s.decode(it.ctx, c, key, value, &v) {
		var zero K
		return zero, v, false, nil
	}
	return k, v, true, nil
}

// Len returns the number of the store's live entries. It lists them, and
// reads each one that the listing cannot vouch for, so it costs as much as
// iterating over the keys; it fails with [ErrUnsupported] when the backend
// cannot list its entries.
func (s *Store[K, V]) Len(ctx context.Context) (int, error) {
	it := s.Iter(ctx)
	n := 0
	for range it.Keys() {
		n++
	}
	return n, it.Err()
}
