package runtime

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
)

// A ContextCloser is a backend whose Close takes a context, to bound how
// long it may take; [Close] prefers it to io.Closer.
type ContextCloser interface {
	Close(ctx context.Context) error
}

// Close closes every bound backend that can be closed, the last bound
// first, so that a program drains write-behind queues and releases
// connections on its way out:
//
//	func main() {
//		defer memo.Close(context.Background())
//		…
//	}
//
// A backend that is a [ContextCloser] is closed with ctx; an io.Closer is
// closed on a goroutine of its own, and Close stops waiting for it when ctx
// ends. A backend bound under several names is closed once. Close is
// idempotent: it never closes a backend twice. Names stay bound, so calls
// made after Close reach closed backends; those that then fail, as a
// write-behind store refuses changes, run uncached. It returns the errors
// of every backend, joined.
//
// Close runs only when the program gets to it: a crash, os.Exit, log.Fatal
// or an unrecovered panic skips deferred calls, and whatever a backend had
// not written by then is lost.
func Close(ctx context.Context) error {
	registry.mu.Lock()
	var todo []Backend
	for _, name := range slices.Backward(registry.order) {
		b := registry.backends[name]
		if !closable(b) || slices.ContainsFunc(registry.closed, same(b)) || slices.ContainsFunc(todo, same(b)) {
			continue
		}
		todo = append(todo, b)
	}
	registry.closed = append(registry.closed, todo...)
	registry.mu.Unlock()
	var errs []error
	for _, b := range todo {
		if err := closeBackend(ctx, b); err != nil {
			errs = append(errs, fmt.Errorf("memo: closing %T: %w", b, err))
		}
	}
	return errors.Join(errs...)
}

func closable(b Backend) bool {
	switch b.(type) {
	case ContextCloser, io.Closer:
		return true
	}
	return false
}

// same returns a function reporting whether a backend is b itself. Values
// of types that cannot be compared are never the same.
func same(b Backend) func(Backend) bool {
	t := reflect.TypeOf(b)
	return func(c Backend) bool {
		return t == reflect.TypeOf(c) && t.Comparable() && any(b) == any(c)
	}
}

func closeBackend(ctx context.Context, b Backend) error {
	if c, ok := b.(ContextCloser); ok {
		return c.Close(ctx)
	}
	done := make(chan error, 1)
	go func() { done <- b.(io.Closer).Close() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}
