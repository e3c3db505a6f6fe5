package tiered

import "github.com/memogen/memogen/runtime/store"

var _ store.PrivateBackend = (*Store)(nil)

// Private reports whether both the front and the back are private to this
// machine: entries written to a shared back keep no summary of their
// arguments by default (see memo.SummaryPolicy).
func (s *Store) Private() bool { return store.IsPrivate(s.front) && store.IsPrivate(s.back) }
