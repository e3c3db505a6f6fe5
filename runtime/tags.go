package runtime

import (
	"context"

	"github.com/memogen/memogen/runtime/internal/registry"
)

// InvalidateTags drops every cached result of every function whose
// directive carries one of tags (tags=users,billing), on every backend:
// the functions of this program, wherever their results live, and the
// functions that byte-level backends bound in this program record as
// tagged, which other programs sharing those backends store (files,
// Redis, S3 record them). Each function is cleared through its own keys,
// as its handle's Clear does: no entry of an untagged function is
// touched. Results of other processes held in their own memory are out
// of reach.
//
// It returns every error met, joined; the functions it could clear are
// cleared.
func InvalidateTags(ctx context.Context, tags ...string) error {
	return registry.InvalidateTags(ctx, tags...)
}
