package memoimpl_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/memogen/memogen/backends/file"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
	"github.com/memogen/memogen/runtime/store"
)

// leaseWatch is a file store that tells when a TryLock found the lease
// taken, and can fail every TryLock.
type leaseWatch struct {
	*file.Store
	busy    chan struct{} // receives once per TryLock that found the lease held
	lockErr error         // returned by every TryLock when set
}

func (w *leaseWatch) TryLock(ctx context.Context, key store.Key, ttl time.Duration) (func(context.Context) error, bool, error) {
	if w.lockErr != nil {
		return nil, false, w.lockErr
	}
	unlock, ok, err := w.Store.TryLock(ctx, key, ttl)
	if err == nil && !ok {
		select {
		case w.busy <- struct{}{}:
		default:
		}
	}
	return unlock, ok, err
}

// lockSetup binds a file store to a backend name of t's own and returns two
// Funcs of one function, each with its own flight of calls, as two
// processes sharing the directory would have.
func lockSetup(t *testing.T, cfg memo.Config) (w *leaseWatch, first, second *memoimpl.Func) {
	name := uniqueName(t)
	w = &leaseWatch{Store: file.Must(file.New(file.Options{Dir: t.TempDir()})), busy: make(chan struct{}, 1)}
	memo.Register(name, w)
	t.Cleanup(func() { memo.Unregister(name) })
	memo.Configure(cfg)
	t.Cleanup(func() { memo.Configure(memo.Config{}) })
	info := memoimpl.FuncInfo{Package: testPackage, Name: name, Backend: name, Errors: true}
	return w, memoimpl.NewFunc(info), memoimpl.NewFunc(info)
}

// A call that finds another holding the lease of its missing key waits for
// the holder's result and shares it, without computing.
func TestLockSharesTheHoldersResult(t *testing.T) {
	var outcomes sync.Map // every outcome the hook saw → true
	w, first, second := lockSetup(t, memo.Config{Hook: func(c memo.CallInfo) { outcomes.Store(c.Outcome, true) }})
	release, holding := make(chan struct{}), make(chan struct{})
	var runs atomic.Int32
	done := make(chan string)
	go func() {
		r, _ := get(first, "k", func() (string, error) {
			runs.Add(1)
			close(holding)
			<-release
			return "first", nil
		})
		done <- r
	}()
	<-holding // the first call holds the lease while it computes
	secondDone := make(chan string)
	go func() {
		r, _ := get(second, "k", func() (string, error) {
			runs.Add(1)
			return "second", nil
		})
		secondDone <- r
	}()
	<-w.busy
	close(release)
	if r := <-done; r != "first" {
		t.Errorf("first call = %q; want %q", r, "first")
	}
	if r := <-secondDone; r != "first" {
		t.Errorf("second call = %q; want the holder's %q", r, "first")
	}
	if n := runs.Load(); n != 1 {
		t.Errorf("the function ran %d times; want 1", n)
	}
	if _, ok := outcomes.Load(memo.Shared); !ok {
		t.Errorf("no call reported %v", memo.Shared)
	}
}

// A call whose lease stays held waits until Config.LockWait has passed on
// the configured clock, then computes itself.
func TestLockWaitIsBounded(t *testing.T) {
	var ticks atomic.Int64
	// Every reading of the clock is a second later: the wait ends after a
	// few polls, whatever the real time.
	clock := func() time.Time { return time.Unix(1e9+ticks.Add(1), 0) }
	_, first, second := lockSetup(t, memo.Config{Now: clock, LockWait: 5 * time.Second})
	release, holding := make(chan struct{}), make(chan struct{})
	done := make(chan string)
	go func() {
		r, _ := get(first, "k", func() (string, error) {
			close(holding)
			<-release
			return "first", nil
		})
		done <- r
	}()
	<-holding
	r, err := get(second, "k", func() (string, error) { return "second", nil })
	if r != "second" || err != nil {
		t.Errorf("the waiting call = %q, %v; want its own %q, nil", r, err, "second")
	}
	close(release)
	<-done
}

// A lease that cannot be taken never fails a call: it computes and stores
// as without lock=.
func TestLockFailsOpen(t *testing.T) {
	w, first, _ := lockSetup(t, memo.Config{})
	w.lockErr = errors.New("lease service down")
	var runs int
	for range 2 {
		if r, err := get(first, "k", func() (int, error) { runs++; return 42, nil }); r != 42 || err != nil {
			t.Fatalf("call = %d, %v; want 42, nil", r, err)
		}
	}
	if runs != 1 {
		t.Errorf("the function ran %d times; want 1, the second call a hit", runs)
	}
}

// lock=false takes no lease: a second process computes while the first
// holds the key.
func TestNoLockTakesNoLease(t *testing.T) {
	w, _, _ := lockSetup(t, memo.Config{})
	name := uniqueName(t)
	memo.Register(name, w)
	t.Cleanup(func() { memo.Unregister(name) })
	info := memoimpl.FuncInfo{Package: testPackage, Name: name, Backend: name, NoLock: true}
	w.lockErr = errors.New("TryLock called")
	var hooked []error
	memo.Configure(memo.Config{Hook: func(c memo.CallInfo) { hooked = append(hooked, c.Err) }})
	if r, _ := get(memoimpl.NewFunc(info), "k", func() (int, error) { return 1, nil }); r != 1 {
		t.Fatalf("call = %d; want 1", r)
	}
	if len(hooked) != 1 || hooked[0] != nil {
		t.Errorf("hook saw errors %v; want one call without error", hooked)
	}
}
