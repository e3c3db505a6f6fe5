// Package errunkeyable has parameters that cannot be part of a key.
package errunkeyable

import (
	"bufio"
	"io"
	"net/http"
	"net/url"
	"sync"
	"unsafe"
)

// Chan takes a channel.
//
//memo:cache
func Chan(c chan int) int { return 0 }

// Func takes a func.
//
//memo:cache
func Func(f func() int) int { return 0 }

// Iface takes an interface without MemoKey.
//
//memo:cache
func Iface(r io.Reader) int { return 0 }

// Any takes an empty interface.
//
//memo:cache
func Any(v any) int { return 0 }

// Pointer takes an unsafe.Pointer.
//
//memo:cache
func Pointer(p unsafe.Pointer) int { return 0 }

// Mutex takes a struct of another package with unexported fields.
//
//memo:cache
func Mutex(mu *sync.Mutex) int { return 0 }

// User takes a *url.Userinfo, whose fields are unexported.
//
//memo:cache
func User(u *url.Userinfo) int { return 0 }

// Options has a func deep inside.
type Options struct {
	Name  string
	Hooks []Hook
}

// Hook holds a func.
type Hook struct {
	Label string
	Run   func()
}

// Nested takes a struct with a func field inside a slice of structs.
//
//memo:cache
func Nested(opts Options) int { return 0 }

// InMap takes a map whose values are channels.
//
//memo:cache
func InMap(m map[string]chan int) int { return 0 }

// Several has two unkeyable parameters; both are reported.
//
//memo:cache
func Several(c chan int, f func()) int { return 0 }

// node is a recursive generic list with unexported fields.
type node[T any] struct {
	val  T
	next *node[T]
}

// SumList takes a recursive generic type that only reflection could key.
//
//memo:cache
func SumList[T int | float64](n *node[T]) T { return n.val }

// Unnamed has an unnamed parameter that cannot be keyed, which ignore=
// cannot name.
//
//memo:cache
func Unnamed(io.Reader, int) int { return 0 }

// Report writes its report to w: a hit would write nothing.
//
//memo:cache
func Report(w io.Writer, n int) int { return n }

// Buffered writes to a *bufio.Writer, a concrete writer.
//
//memo:cache
func Buffered(w *bufio.Writer, n int) int { return n }

// Fetch takes an *http.Client, whose CheckRedirect func keying at run time
// refuses: dynamic= is not suggested.
//
//memo:cache
func Fetch(c *http.Client, url string) int { return 0 }
