package backendtest

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/memogen/memogen/runtime/store"
)

// A Recorder is an instrumented map, a store.Backend, store.Lister and
// store.Pruner, for the tests of a backend that wraps another: it counts its
// calls, and fails or pauses them at a chosen moment, which a real server
// cannot be made to do. It stands for no real backend; [RealBackends] are
// those. The zero value is an empty Recorder.
type Recorder struct {
	mu      sync.Mutex
	entries map[store.Key]recordedEntry // guarded by mu
	calls   map[string]int              // by method name; guarded by mu

	// Set these before the calls they affect, not while any is running;
	// the Recorder reads them without locking.
	SetErr    error                   // returned by Set, which then stores nothing
	BeforeSet func(store.Key, []byte) // runs at the start of Set
	AfterSet  func(store.Key, []byte) // runs after Set has stored the value
	AfterGet  func(store.Key)         // runs after Get has read the map
}

type recordedEntry struct {
	value   []byte
	expires time.Time
}

var (
	_ store.Backend = (*Recorder)(nil)
	_ store.Lister  = (*Recorder)(nil)
	_ store.Pruner  = (*Recorder)(nil)
)

// count counts a call of method and returns how many there have been.
func (r *Recorder) count(method string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.calls == nil {
		r.calls = make(map[string]int)
	}
	r.calls[method]++
	return r.calls[method]
}

// Calls returns how many times method, such as "Get" or "Close", was called.
func (r *Recorder) Calls(method string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls[method]
}

// Stored returns what the map holds under key, expired or not.
func (r *Recorder) Stored(key store.Key) (value []byte, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.entries[key]
	return e.value, ok
}

// Get returns a copy of the value stored under key unless it has expired.
func (r *Recorder) Get(ctx context.Context, key store.Key) ([]byte, error) {
	r.count("Get")
	r.mu.Lock()
	e, ok := r.entries[key]
	r.mu.Unlock()
	if r.AfterGet != nil {
		r.AfterGet(key)
	}
	if !ok || (!e.expires.IsZero() && !time.Now().Before(e.expires)) {
		return nil, store.ErrNotFound
	}
	return append([]byte(nil), e.value...), nil
}

// Set stores a copy of value under key, or returns SetErr if it is set.
func (r *Recorder) Set(ctx context.Context, key store.Key, value []byte, expires time.Time) error {
	r.count("Set")
	if r.BeforeSet != nil {
		r.BeforeSet(key, value)
	}
	if r.SetErr != nil {
		return r.SetErr
	}
	r.mu.Lock()
	if r.entries == nil {
		r.entries = make(map[store.Key]recordedEntry)
	}
	r.entries[key] = recordedEntry{append([]byte(nil), value...), expires}
	r.mu.Unlock()
	if r.AfterSet != nil {
		r.AfterSet(key, value)
	}
	return nil
}

// Delete removes the entry under key.
func (r *Recorder) Delete(ctx context.Context, key store.Key) error {
	r.count("Delete")
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.entries, key)
	return nil
}

// Clear removes every entry of fn.
func (r *Recorder) Clear(ctx context.Context, fn store.FuncID) error {
	r.count("Clear")
	r.mu.Lock()
	defer r.mu.Unlock()
	for k := range r.entries {
		if k.Func == fn {
			delete(r.entries, k)
		}
	}
	return nil
}

// List yields the entries of fn, or every entry if fn is zero, in no
// particular order.
func (r *Recorder) List(ctx context.Context, fn store.FuncID, yield func(store.StoredEntry) bool) error {
	r.count("List")
	r.mu.Lock()
	var list []store.StoredEntry
	for k, e := range r.entries {
		if fn == (store.FuncID{}) || k.Func == fn {
			list = append(list, store.StoredEntry{Key: k, Size: int64(len(e.value)), Expires: e.expires})
		}
	}
	r.mu.Unlock()
	for _, e := range list {
		if !yield(e) {
			break
		}
	}
	return nil
}

// Prune removes the entries that have expired.
func (r *Recorder) Prune(ctx context.Context) (store.PruneStats, error) {
	r.count("Prune")
	r.mu.Lock()
	defer r.mu.Unlock()
	var stats store.PruneStats
	now := time.Now()
	for k, e := range r.entries {
		if !e.expires.IsZero() && !now.Before(e.expires) {
			delete(r.entries, k)
			stats.Entries++
			stats.Bytes += int64(len(e.value))
		}
	}
	return stats, nil
}

// Close counts the call, and fails from the second on: a wrapper closes
// what it wraps once.
func (r *Recorder) Close() error {
	if r.count("Close") > 1 {
		return errors.New("backendtest: Recorder closed twice")
	}
	return nil
}
