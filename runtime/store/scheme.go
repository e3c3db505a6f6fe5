package store

import (
	"context"
	"net/url"

	"github.com/memogen/memogen/runtime/internal/state"
)

// An Opener opens a backend from a URL such as "mem://?max_entries=100";
// backend packages register one per scheme with [RegisterScheme].
type Opener func(u *url.URL) (Backend, error)

// RegisterScheme makes URLs of scheme openable by memo.Open and by
// MEMO_BACKEND_<NAME> bindings. Backend packages call it from init. An
// opener may itself call memo.Open, to wrap the backend another URL names.
func RegisterScheme(scheme string, open Opener) { state.RegisterScheme(scheme, open) }

// A ContextCloser is a backend whose Close takes a context, to bound how
// long it may take; memo.Close prefers it to io.Closer.
type ContextCloser interface {
	Close(ctx context.Context) error
}
