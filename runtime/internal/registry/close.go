package registry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"

	"github.com/memogen/memogen/runtime/store"
)

// Close closes every bound backend that can be closed and was not closed
// yet, the last bound first; see memo.Close.
func Close(ctx context.Context) error {
	registry.mu.Lock()
	var todo []store.Backend
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

func closable(b store.Backend) bool {
	switch b.(type) {
	case store.ContextCloser, io.Closer:
		return true
	}
	return false
}

// same returns a function reporting whether a backend is b itself. Values
// of types that cannot be compared are never the same.
func same(b store.Backend) func(store.Backend) bool {
	t := reflect.TypeOf(b)
	return func(c store.Backend) bool {
		return t == reflect.TypeOf(c) && t.Comparable() && any(b) == any(c)
	}
}

func closeBackend(ctx context.Context, b store.Backend) error {
	if c, ok := b.(store.ContextCloser); ok {
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
