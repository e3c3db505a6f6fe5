package store

import "context"

// A Tagger is a [Backend] that records which functions carry a tag (the
// directive's tags=), so that memo.InvalidateTags reaches the entries of
// functions that other processes sharing the backend store, and not only
// those of the functions this process knows. The runtime records a
// function's tags before it first stores one of its results, and
// invalidating a tag clears each recorded function with [Backend.Clear],
// so that no entry of an untagged function is read or scanned on a
// backend whose Clear does not (files, S3).
type Tagger interface {
	// AddTag records that fn carries tag. Recording it again changes
	// nothing.
	AddTag(ctx context.Context, tag string, fn FuncID) error
	// Tagged returns the functions recorded as carrying tag, in no
	// particular order.
	Tagged(ctx context.Context, tag string) ([]FuncID, error)
}
