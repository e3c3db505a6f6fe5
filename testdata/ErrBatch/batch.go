// Package errbatch has //memo:batch directives on functions that do not fit.
package errbatch

import "context"

// NotSlice takes one ID, not a slice.
//
//memo:batch
func NotSlice(ctx context.Context, id int) (map[int]string, error) { return nil, nil }

// WrongKey returns a map keyed by another type than the IDs.
//
//memo:batch
func WrongKey(ctx context.Context, ids []int) (map[string]string, error) { return nil, nil }

// NoError returns no error.
//
//memo:batch
func NoError(ctx context.Context, ids []int) map[int]string { return nil }

// IDsFirst has the IDs before another parameter.
//
//memo:batch
func IDsFirst(ids []int, ctx context.Context) (map[int]string, error) { return nil, nil }

// Generic has type parameters.
//
//memo:batch
func Generic[K comparable](ctx context.Context, ids []K) (map[K]string, error) { return nil, nil }

// Store is a generic type.
type Store[K comparable] struct{}

// Many is a method of a generic type: its receiver has the type
// parameters.
//
//memo:batch receiver=ignore
func (s *Store[K]) Many(ctx context.Context, ids []K) (map[K]string, error) { return nil, nil }

// SliceErrTTL cannot leave IDs out of its results.
//
//memo:batch errttl=1m
func SliceErrTTL(ctx context.Context, ids []int) ([]string, error) { return nil, nil }

// NotComparable has IDs that cannot index a map.
//
//memo:batch
func NotComparable(ctx context.Context, ids [][]int) ([]string, error) { return nil, nil }

// IgnoredIDs leaves the IDs out of the key.
//
//memo:batch ignore=ids
func IgnoredIDs(ctx context.Context, ids []int) (map[int]string, error) { return nil, nil }

// CacheErrTTL is not a batch function.
//
//memo:cache errttl=1m
func CacheErrTTL(ctx context.Context, id int) (string, error) { return "", nil }

// Misspelt options are suggested.
//
//memo:batch errtll=1m
func Misspelt(ctx context.Context, ids []int) (map[int]string, error) { return nil, nil }

// BadErrTTL has an errttl that is not a positive duration.
//
//memo:batch errttl=0s
func BadErrTTL(ctx context.Context, ids []int) (map[int]string, error) { return nil, nil }

// Twice has two directives.
//
//memo:cache
//memo:batch
func Twice(ctx context.Context, ids []int) (map[int]string, error) { return nil, nil }

// Typo misspells the directive.
//
//memo:bacth
func Typo(ctx context.Context, ids []int) (map[int]string, error) { return nil, nil }
