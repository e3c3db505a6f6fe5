package store

import (
	"context"
	"time"
)

// A Locker is a [Backend] that can hold a lease on one key for the
// processes sharing it, so that one of them computes a missing result
// while the others wait for it. The runtime takes the lease on a miss,
// reads the key again, computes and stores the result only if it is still
// missing, and releases the lease; a process that finds the lease taken
// reads the key until the result appears or the lease is free, for a
// bounded time (memo.Config.LockWait), and then computes the result
// itself. A Locker's failures never fail a call: the runtime computes
// without the lease.
//
// Implement it only where a lease is cheap next to a miss (a flock, one
// Redis command): the runtime takes one on every miss of every function
// bound to the backend, unless its directive says lock=false.
type Locker interface {
	// TryLock takes the lease of key without waiting, for ttl at most: a
	// holder that dies, or forgets to release, stops holding it after ttl
	// (a backend whose leases end with their holder, such as a flock, may
	// ignore ttl). It reports false, with no error, when another holder
	// has the lease, and an error wrapping errors.ErrUnsupported when it
	// cannot lease at all (a wrapper whose inner backend offers none),
	// which the runtime does not count as a failure. unlock releases the
	// lease if this holder still has it, and never another holder's.
	TryLock(ctx context.Context, key Key, ttl time.Duration) (unlock func(context.Context) error, ok bool, err error)
}
