// Package errorsall has mistakes of every phase in two files; all of them
// are reported in one run.
package errorsall

import "context"

// Config is not a function.
//
//memo:cache
type Config struct{ Hook func() }

// Load has an option typo and a bad ttl.
//
//memo:cache tll=1m ttl=soon
func Load(ctx context.Context, id int) (string, error) { return "", nil }

// Save returns nothing.
//
//memo:cache
func Save(id int) {}

// Apply takes an unkeyable config and names a missing nocache parameter.
//
//memo:cache nocache=refesh
func Apply(cfg Config, refresh bool) int { return 0 }
