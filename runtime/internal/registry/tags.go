package registry

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/memogen/memogen/runtime/store"
)

// A TaggedFunc is a memoized function of this process that carries tags.
type TaggedFunc interface {
	// DropTagged removes the function's results from an in-memory table
	// itself, and passes each byte-level backend holding them, with the
	// function's identity there, to clear, which clears each backend and
	// function once, however many tags and processes name them.
	DropTagged(ctx context.Context, clear func(store.Backend, store.FuncID))
}

var tagged struct {
	mu    sync.Mutex
	funcs map[string][]TaggedFunc // by tag; guarded by mu
}

// Tag records that fn carries tags, for [InvalidateTags].
func Tag(tags []string, fn TaggedFunc) {
	tagged.mu.Lock()
	defer tagged.mu.Unlock()
	if tagged.funcs == nil {
		tagged.funcs = make(map[string][]TaggedFunc)
	}
	for _, t := range tags {
		tagged.funcs[t] = append(tagged.funcs[t], fn)
	}
}

// target is one function's entries in one byte-level backend.
type target struct {
	b  store.Backend
	fn store.FuncID
}

// InvalidateTags drops every result of every function carrying one of
// tags: those of this process, wherever they live, and those that the
// byte-level backends bound here record as tagged (see store.Tagger),
// which may be functions of other programs.
func InvalidateTags(ctx context.Context, tags ...string) error {
	var targets []target
	add := func(b store.Backend, fn store.FuncID) {
		if !slices.ContainsFunc(targets, func(t target) bool { return t.fn == fn && same(b)(t.b) }) {
			targets = append(targets, target{b, fn})
		}
	}
	tagged.mu.Lock()
	var local []TaggedFunc
	for _, t := range tags {
		local = append(local, tagged.funcs[t]...)
	}
	tagged.mu.Unlock()
	for _, f := range local {
		f.DropTagged(ctx, add)
	}
	var errs []error
	for _, b := range boundBackends() {
		tg, ok := b.(store.Tagger)
		if !ok {
			continue
		}
		for _, t := range tags {
			fns, err := tg.Tagged(ctx, t)
			if err != nil {
				errs = append(errs, fmt.Errorf("memo: tag %q: %w", t, err))
			}
			for _, fn := range fns {
				add(b, fn)
			}
		}
	}
	for _, t := range targets {
		if err := t.b.Clear(ctx, t.fn); err != nil {
			errs = append(errs, fmt.Errorf("memo: clearing %s: %w", t.fn, err))
		}
	}
	return errors.Join(errs...)
}

// boundBackends returns the backends bound to a name, each once.
func boundBackends() []store.Backend {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	var bs []store.Backend
	for _, name := range registry.order {
		b := registry.backends[name]
		if !slices.ContainsFunc(bs, same(b)) {
			bs = append(bs, b)
		}
	}
	return bs
}
