//go:build unix

package file

import (
	"context"
	"time"
)

// tryLease takes the lease at path with a flock, which ends with its
// holder: ttl is not needed.
func tryLease(path string, _ time.Duration) (func(context.Context) error, bool, error) {
	return flockLease(path)
}
