// Package state holds what the runtime's packages share without importing
// one another: the settings in force and the backend openers by URL
// scheme. It declares no types of theirs, so that each can import it:
// package memo (the runtime) stores its *Config here, package store its
// openers, and package memoimpl and the registry read them.
package state

import (
	"sync"
	"sync/atomic"
)

// DefaultMaxEntryBytes is memo.DefaultMaxEntryBytes, which package store
// needs for its default decoding limits and cannot import; a test keeps
// the two equal.
const DefaultMaxEntryBytes = 32 << 20

// Settings are the shared settings in force.
type Settings struct {
	// Config is the *memo.Config that memo.Configure stored, or nil before
	// the first call.
	Config any
	// MaxEntryBytes is Config's bound on an encoded entry, its default
	// applied.
	MaxEntryBytes int
}

var (
	current  atomic.Pointer[Settings]
	defaults = Settings{MaxEntryBytes: DefaultMaxEntryBytes}
)

// Current returns the settings in force: one atomic load.
func Current() *Settings {
	if s := current.Load(); s != nil {
		return s
	}
	return &defaults
}

// Set replaces the settings in force.
func Set(s *Settings) { current.Store(s) }

var schemes struct {
	mu      sync.RWMutex
	openers map[string]any // store.Opener by scheme; guarded by mu
}

// RegisterScheme records open, a store.Opener, for scheme.
func RegisterScheme(scheme string, open any) {
	schemes.mu.Lock()
	defer schemes.mu.Unlock()
	if schemes.openers == nil {
		schemes.openers = make(map[string]any)
	}
	schemes.openers[scheme] = open
}

// Opener returns the store.Opener registered for scheme, or nil.
func Opener(scheme string) any {
	schemes.mu.RLock()
	defer schemes.mu.RUnlock()
	return schemes.openers[scheme]
}

// hookList is the hooks added with AddHook, replaced whole on every
// change, so that readers take no lock.
type hookList struct {
	ids []uint64 // ids[i] removes fns[i]
	fns []any    // each a func(memo.CallInfo)
}

var hooks struct {
	mu     sync.Mutex // serializes changes to list
	nextID uint64     // guarded by mu
	list   atomic.Pointer[hookList]
}

// AddHook adds fn, a func(memo.CallInfo), to the hooks every call reports
// to, and returns the function that removes it again; calling that more
// than once does nothing.
func AddHook(fn any) (remove func()) {
	hooks.mu.Lock()
	defer hooks.mu.Unlock()
	hooks.nextID++
	id := hooks.nextID
	next := &hookList{}
	if old := hooks.list.Load(); old != nil {
		next.ids = append(next.ids, old.ids...)
		next.fns = append(next.fns, old.fns...)
	}
	next.ids = append(next.ids, id)
	next.fns = append(next.fns, fn)
	hooks.list.Store(next)
	return func() { removeHook(id) }
}

func removeHook(id uint64) {
	hooks.mu.Lock()
	defer hooks.mu.Unlock()
	old := hooks.list.Load()
	if old == nil {
		return
	}
	next := &hookList{}
	for i, h := range old.ids {
		if h != id {
			next.ids = append(next.ids, h)
			next.fns = append(next.fns, old.fns[i])
		}
	}
	hooks.list.Store(next)
}

// Hooks returns the hooks added with AddHook, in the order added: one
// atomic load, no allocation. The caller must not modify the slice.
func Hooks() []any {
	if list := hooks.list.Load(); list != nil {
		return list.fns
	}
	return nil
}
