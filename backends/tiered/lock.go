package tiered

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/memogen/memogen/runtime/store"
)

var (
	_ store.Locker = (*Store)(nil)
	_ store.Tagger = (*Store)(nil)
)

// TryLock takes the lease of key in the back, which the processes sharing
// it see. It fails with an error wrapping errors.ErrUnsupported if the back
// offers no lease; the runtime then computes without one.
func (s *Store) TryLock(ctx context.Context, key store.Key, ttl time.Duration) (func(context.Context) error, bool, error) {
	l, ok := s.back.(store.Locker)
	if !ok {
		return nil, false, fmt.Errorf("tiered: back %T offers no lease: %w", s.back, errors.ErrUnsupported)
	}
	return l.TryLock(ctx, key, ttl)
}

// AddTag records the tag in the back, if the back records tags.
func (s *Store) AddTag(ctx context.Context, tag string, fn store.FuncID) error {
	if t, ok := s.back.(store.Tagger); ok {
		return t.AddTag(ctx, tag, fn)
	}
	return nil
}

// Tagged returns the functions the back records with tag, none if the back
// records no tags.
func (s *Store) Tagged(ctx context.Context, tag string) ([]store.FuncID, error) {
	if t, ok := s.back.(store.Tagger); ok {
		return t.Tagged(ctx, tag)
	}
	return nil, nil
}
