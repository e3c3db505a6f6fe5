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
