package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// A SealedBackend seals every entry on its way to the backend it wraps,
// and opens every entry on its way back (see [Sealer]): Get returns an
// error wrapping [ErrCorrupt] for an entry that no key of its Sealer
// sealed, which the runtime deletes, counts in Stats.Corrupt and reports
// to hooks, and then treats as a miss. memo.Open returns one for a URL
// with a sign= or encrypt= parameter.
//
// Listing needs no key: metadata lines stay readable, but an encrypted
// entry's summary is empty, and List does not verify what it lists.
type SealedBackend struct {
	b Backend
	s *Sealer
}

var (
	_ Backend = (*SealedBackend)(nil)
	_ Lister  = (*SealedBackend)(nil)
	_ Pruner  = (*SealedBackend)(nil)
)

// NewSealedBackend returns b with its entries sealed by s.
func NewSealedBackend(b Backend, s *Sealer) *SealedBackend {
	return &SealedBackend{b: b, s: s}
}

// Unwrap returns the backend that sb wraps.
func (sb *SealedBackend) Unwrap() Backend { return sb.b }

// Get returns the opened entry stored under key.
func (sb *SealedBackend) Get(ctx context.Context, key Key) ([]byte, error) {
	data, err := sb.b.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	return sb.s.Open(data)
}

// Set seals value, an entry, and stores it under key.
func (sb *SealedBackend) Set(ctx context.Context, key Key, value []byte, expires time.Time) error {
	sealed, err := sb.s.Seal(value)
	if err != nil {
		return err
	}
	return sb.b.Set(ctx, key, sealed, expires)
}

// Delete deletes key from the wrapped backend.
func (sb *SealedBackend) Delete(ctx context.Context, key Key) error { return sb.b.Delete(ctx, key) }

// Clear clears fn's entries from the wrapped backend.
func (sb *SealedBackend) Clear(ctx context.Context, fn FuncID) error { return sb.b.Clear(ctx, fn) }

// List lists the wrapped backend's entries, or fails with an error wrapping
// errors.ErrUnsupported if it cannot list.
func (sb *SealedBackend) List(ctx context.Context, fn FuncID, yield func(StoredEntry) bool) error {
	l, ok := sb.b.(Lister)
	if !ok {
		return fmt.Errorf("memo: sealed backend %T cannot list its entries: %w", sb.b, errors.ErrUnsupported)
	}
	return l.List(ctx, fn, yield)
}

// Prune prunes the wrapped backend, or fails with an error wrapping
// errors.ErrUnsupported if it cannot.
func (sb *SealedBackend) Prune(ctx context.Context) (PruneStats, error) {
	p, ok := sb.b.(Pruner)
	if !ok {
		return PruneStats{}, fmt.Errorf("memo: sealed backend %T cannot prune: %w", sb.b, errors.ErrUnsupported)
	}
	return p.Prune(ctx)
}

// Close closes the wrapped backend, if it can be closed.
func (sb *SealedBackend) Close() error {
	switch c := sb.b.(type) {
	case ContextCloser:
		return c.Close(context.Background())
	case io.Closer:
		return c.Close()
	}
	return nil
}
