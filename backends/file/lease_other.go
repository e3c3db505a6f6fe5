//go:build !unix

package file

import (
	"context"
	"time"
)

// tryLease takes the lease at path by creating it exclusively, where there
// is no flock; a lease older than ttl is taken over.
func tryLease(path string, ttl time.Duration) (func(context.Context) error, bool, error) {
	return exclLease(path, ttl)
}
