package writebehind

import "github.com/memogen/memogen/runtime/store"

var _ store.PrivateBackend = (*Store)(nil)

// Private reports whether the back is private to this machine (see
// memo.SummaryPolicy).
func (s *Store) Private() bool { return store.IsPrivate(s.back) }
