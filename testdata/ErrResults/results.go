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

// NotFound is an error type.
type NotFound struct{ ID int }

func (e *NotFound) Error() string { return "not found" }

// Find returns an error of a concrete type, which memogen caches as a
// value: a warning.
//
//memo:cache
func Find(id int) (string, *NotFound) { return "", &NotFound{id} }

// FindErrTTL names errttl= on it: an error that says what the result is.
//
//memo:cache errttl=1m
func FindErrTTL(id int) (string, *NotFound) { return "", nil }
