package state

import (
	"context"
	"sync"
)

// background counts the work the runtime goes on doing after the call that
// started it returned (a stale= or early= refresh), so that memo.Close can
// let it finish before it closes the backends that work writes to.
var background struct {
	mu   sync.Mutex
	n    int           // guarded by mu
	idle chan struct{} // closed when n drops to 0; nil while nobody waits; guarded by mu
}

// StartBackground counts one piece of background work; EndBackground
// must follow when it ends.
func StartBackground() {
	background.mu.Lock()
	background.n++
	background.mu.Unlock()
}

// EndBackground ends a piece of work StartBackground counted.
func EndBackground() {
	background.mu.Lock()
	defer background.mu.Unlock()
	if background.n--; background.n == 0 && background.idle != nil {
		close(background.idle)
		background.idle = nil
	}
}

// WaitBackground waits until no background work runs, or until ctx ends,
// when it returns ctx's error.
func WaitBackground(ctx context.Context) error {
	background.mu.Lock()
	if background.n == 0 {
		background.mu.Unlock()
		return nil
	}
	if background.idle == nil {
		background.idle = make(chan struct{})
	}
	idle := background.idle
	background.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
