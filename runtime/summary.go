package runtime

import "strconv"

// SummaryPolicy says which byte-level backends keep, in each stored entry,
// a readable summary of the call's keyed arguments (or a kv store's key),
// which `memocache ls` shows in its ARGS column. Arguments may be personal
// data (an email address, a session token): a summary is a copy of them in
// the clear, readable by anyone who can list the backend.
//
// A directive's summary=true keeps the summary of its function's entries
// under SummariesPrivate too, and summary=false never keeps it, whatever
// the policy; SummariesNever overrides summary=true. Without a summary,
// memocache ls shows the entry's key digest.
type SummaryPolicy uint8

// The summary policies. The zero value, SummariesPrivate, is the default.
const (
	// SummariesPrivate keeps summaries only in backends that report
	// themselves private to this machine (store.PrivateBackend): the file
	// backend, and tiered and write-behind stores over it. Redis, S3 and
	// backends that do not say are shared: their entries get none.
	SummariesPrivate SummaryPolicy = iota
	// SummariesAlways keeps summaries in every byte-level backend, unless
	// the directive says summary=false.
	SummariesAlways
	// SummariesNever keeps no summaries.
	SummariesNever
)

// String returns the policy's name: "private", "always" or "never".
func (p SummaryPolicy) String() string {
	switch p {
	case SummariesPrivate:
		return "private"
	case SummariesAlways:
		return "always"
	case SummariesNever:
		return "never"
	}
	return "SummaryPolicy(" + strconv.Itoa(int(p)) + ")"
}

// KeepsSummary reports whether, under p, an entry stored in a backend that
// is private or not (store.IsPrivate) keeps the summary of its keys;
// directive is the function's summary= option, "true", "false" or "" when
// it has none. The runtime and package kv decide by it.
func (p SummaryPolicy) KeepsSummary(directive string, private bool) bool {
	switch {
	case p == SummariesNever || directive == "false":
		return false
	case directive == "true" || p == SummariesAlways:
		return true
	}
	return private
}
