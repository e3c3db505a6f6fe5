package writebehind

import (
	"context"
	"errors"
	"sync"
	"time"

	memo "github.com/memogen/memogen/runtime"
)

// recorder is an instrumented map, a memo.Backend, memo.Lister and
// memo.Pruner used only where a test must count the back's calls or make
// them fail or pause at a chosen moment, which a real server cannot be made
// to do. It stands for no real backend: real_test.go runs the Store over
// file, Redis and S3 backs.
type recorder struct {
	mu      sync.Mutex
	entries map[memo.Key]recordedEntry // guarded by mu
	calls   map[string]int             // by method name; guarded by mu
	closed  int                        // guarded by mu

	// Set before use, read without mu.
	setErr    error                  // returned by Set, which then stores nothing
	beforeSet func(memo.Key, []byte) // runs at the start of Set
}

type recordedEntry struct {
	value   []byte
	expires time.Time
}

var (
	_ memo.Backend = (*recorder)(nil)
	_ memo.Lister  = (*recorder)(nil)
	_ memo.Pruner  = (*recorder)(nil)
)

func newRecorder() *recorder {
	return &recorder{entries: make(map[memo.Key]recordedEntry), calls: make(map[string]int)}
}

func (f *recorder) count(method string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[method]++
}

// Calls returns how many times method was called.
func (f *recorder) Calls(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[method]
}

func (f *recorder) Get(ctx context.Context, key memo.Key) ([]byte, error) {
	f.count("Get")
	f.mu.Lock()
	e, ok := f.entries[key]
	f.mu.Unlock()
	if !ok || (!e.expires.IsZero() && !time.Now().Before(e.expires)) {
		return nil, memo.ErrNotFound
	}
	return append([]byte(nil), e.value...), nil
}

func (f *recorder) Set(ctx context.Context, key memo.Key, value []byte, expires time.Time) error {
	f.count("Set")
	if f.beforeSet != nil {
		f.beforeSet(key, value)
	}
	if f.setErr != nil {
		return f.setErr
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.entries[key] = recordedEntry{append([]byte(nil), value...), expires}
	return nil
}

func (f *recorder) Delete(ctx context.Context, key memo.Key) error {
	f.count("Delete")
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.entries, key)
	return nil
}

func (f *recorder) Clear(ctx context.Context, fn memo.FuncID) error {
	f.count("Clear")
	f.mu.Lock()
	defer f.mu.Unlock()
	for k := range f.entries {
		if k.Func == fn {
			delete(f.entries, k)
		}
	}
	return nil
}

func (f *recorder) List(ctx context.Context, fn memo.FuncID, yield func(memo.StoredEntry) bool) error {
	f.count("List")
	f.mu.Lock()
	var list []memo.StoredEntry
	for k, e := range f.entries {
		if fn == (memo.FuncID{}) || k.Func == fn {
			list = append(list, memo.StoredEntry{Key: k, Size: int64(len(e.value)), Expires: e.expires})
		}
	}
	f.mu.Unlock()
	for _, e := range list {
		if !yield(e) {
			break
		}
	}
	return nil
}

func (f *recorder) Prune(ctx context.Context) (memo.PruneStats, error) {
	f.count("Prune")
	f.mu.Lock()
	defer f.mu.Unlock()
	var stats memo.PruneStats
	now := time.Now()
	for k, e := range f.entries {
		if !e.expires.IsZero() && !now.Before(e.expires) {
			delete(f.entries, k)
			stats.Entries++
			stats.Bytes += int64(len(e.value))
		}
	}
	return stats, nil
}

func (f *recorder) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed++
	if f.closed > 1 {
		return errors.New("recorder: closed twice")
	}
	return nil
}

// stored returns what the map holds under key, expired or not.
func (f *recorder) stored(key memo.Key) (value []byte, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	e, ok := f.entries[key]
	return e.value, ok
}
