package state

import "sync"

// A Listed function is one the program memoizes, as memo.Functions lists
// it. Package memoimpl lists each function when it creates its cache;
// Stats and Entries are its to answer, so that this package declares no
// type of theirs.
type Listed struct {
	Package, Name string
	Backend       string // the backend name the function binds
	// Stats returns the function's memo.Stats.
	Stats func() any
	// Entries returns the number of entries the function holds, and
	// whether its backend counts them (a value store does; byte-level
	// backends would have to list them).
	Entries func() (int, bool)
	// Bytes returns the estimated bytes of the function's entries, and
	// whether its backend counts them.
	Bytes func() (int64, bool)
}

var listed struct {
	mu    sync.Mutex
	funcs []*Listed // in the order listed; guarded by mu
}

// List records a memoized function.
func List(l *Listed) {
	listed.mu.Lock()
	listed.funcs = append(listed.funcs, l)
	listed.mu.Unlock()
}

// ListedFuncs returns the functions recorded so far, in the order listed.
func ListedFuncs() []*Listed {
	listed.mu.Lock()
	defer listed.mu.Unlock()
	return append([]*Listed(nil), listed.funcs...)
}
