// Package errresults has functions with nothing to cache.
package errresults

import "sync"

// Nothing returns nothing.
//
//memo:cache
func Nothing(n int) {}

// OnlyError returns only an error.
//
//memo:cache
func OnlyError(n int) error { return nil }

// NamedOnlyError returns only a named error.
//
//memo:cache
func NamedOnlyError(n int) (err error) { return nil }

// Guarded holds a lock by value.
type Guarded struct {
	mu sync.Mutex
	N  int
}

// Locked returns a value holding a lock: each hit would copy it.
//
//memo:cache
func Locked(n int) Guarded { return Guarded{N: n} }

// LockedPtr returns a pointer, which is fine.
//
//memo:cache
func LockedPtr(n int) *Guarded { return &Guarded{N: n} }
