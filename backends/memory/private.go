package memory

import "github.com/memogen/memogen/runtime/store"

var _ store.PrivateBackend = (*Store)(nil)

// Private reports true: the store is this process's own.
func (s *Store) Private() bool { return true }
