package writebehind

import (
	"context"

	"github.com/memogen/memogen/runtime/store"
)

// A Store records tags in its back at once, not queued: a tag must be
// recorded before the entries it reaches are written. It offers no lease
// (store.Locker): a result it stores reaches the back only later, after a
// lease would be released, so other processes could not find it there.
var _ store.Tagger = (*Store)(nil)

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
