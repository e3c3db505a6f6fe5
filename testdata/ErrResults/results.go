// Package errresults has functions with nothing to cache.
package errresults

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
