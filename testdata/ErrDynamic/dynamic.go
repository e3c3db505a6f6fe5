// Package errdynamic misuses dynamic=, and leaves interface parameters
// without it.
package errdynamic

import (
	"context"
	"fmt"
	"io"
)

// NotIface names an int, which memogen keys statically.
//
//memo:cache dynamic=n
func NotIface(n int) int { return n }

// Unknown names a parameter the function does not have.
//
//memo:cache dynamic=vale
func Unknown(value any) int { return 0 }

// AlsoIgnored names one parameter in ignore= and in dynamic=.
//
//memo:cache ignore=v dynamic=v
func AlsoIgnored(v any) int { return 0 }

// Func names a func, which holds no interface.
//
//memo:cache dynamic=f
func Func(f func() int) int { return 0 }

// Ctx names the context.
//
//memo:cache dynamic=ctx
func Ctx(ctx context.Context, v any) int { return 0 }

// TypeParam names a value of a type parameter.
//
//memo:cache dynamic=v
func TypeParam[T any](v T) int { return 0 }

// Duplicate names v twice, and an empty name.
//
//memo:cache dynamic=v,v,
func Duplicate(v any) int { return 0 }

// NoOptIn takes interfaces without dynamic=: the messages name it.
//
//memo:cache
func NoOptIn(v any, s fmt.Stringer, args ...any) int { return 0 }

// Err takes an error without dynamic=.
//
//memo:cache
func Err(err error) int { return 0 }

// Nested holds an interface in a map without dynamic=.
//
//memo:cache
func Nested(m map[string]io.Reader) int { return 0 }
