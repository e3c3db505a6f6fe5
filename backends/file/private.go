package file

import "github.com/memogen/memogen/runtime/store"

var _ store.PrivateBackend = (*Store)(nil)

// Private reports true: a directory is read by this machine's processes,
// so entries keep the summary of their arguments by default (see
// memo.SummaryPolicy). A directory shared over the network is not; set
// memo.Config.Summaries to memo.SummariesNever for one.
func (s *Store) Private() bool { return true }
