package store

// A PrivateBackend says whether its entries stay where only this machine
// reads them. The runtime stores the summary of a call's keyed arguments
// (what memocache ls shows) in the entries of a backend that reports
// itself private, and by default not in others: arguments may be personal
// data, and a backend that does not say it is private (Redis, S3, or one
// of the user's own) is taken for a shared one. memo.Config.Summaries and
// the directive's summary= override the default.
//
// A backend that wraps others is private when every backend it writes to
// is.
type PrivateBackend interface {
	// Private reports whether only processes of this machine read the
	// backend's entries.
	Private() bool
}

// IsPrivate reports whether b says it is a [PrivateBackend] whose entries
// stay on this machine.
func IsPrivate(b Backend) bool {
	p, ok := b.(PrivateBackend)
	return ok && p.Private()
}
