package runtime_test

// The tests of this file close every bound backend, so none of them is
// parallel.

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/memogen/memogen/backends/memory"
	memo "github.com/memogen/memogen/runtime"
)

// closeLog records the order in which backends are closed.
type closeLog struct {
	mu    sync.Mutex
	names []string
}

func (l *closeLog) add(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.names = append(l.names, name)
}

func (l *closeLog) get() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.names)
}

// closer is an in-memory backend with an io.Closer's Close.
type closer struct {
	*memory.Store
	name string
	log  *closeLog
	err  error
	wait chan struct{} // if not nil, Close blocks until it is closed
}

func (c *closer) Close() error {
	if c.wait != nil {
		<-c.wait
	}
	c.log.add(c.name)
	return c.err
}

// ctxCloser is an in-memory backend whose Close takes a context.
type ctxCloser struct {
	*memory.Store
	name string
	log  *closeLog
}

func (c *ctxCloser) Close(ctx context.Context) error {
	c.log.add(c.name)
	return ctx.Err()
}

// TestCloseClosesBoundBackendsInReverse binds closable backends, one under
// two names and one replaced, and checks that Close closes each bound one
// once, the last bound first, and that a second Close does nothing.
func TestCloseClosesBoundBackendsInReverse(t *testing.T) {
	var log closeLog
	mem := func() *memory.Store { return memory.New(memory.Options{}) }
	failing := errors.New("flush failed")
	a := &closer{Store: mem(), name: "a", log: &log}
	b := &ctxCloser{Store: mem(), name: "b", log: &log}
	c := &closer{Store: mem(), name: "c", log: &log, err: failing}
	replaced := &closer{Store: mem(), name: "replaced", log: &log}
	prefix := uniqueName(t)
	n := func(s string) string { return prefix + "-" + s }
	register(t, n("a"), a)
	register(t, n("b"), b)
	register(t, n("x"), replaced)
	register(t, n("plain"), mem())
	register(t, n("c"), c)
	register(t, n("a-again"), a)
	register(t, n("x"), c) // replaces the binding, and moves it last

	err := memo.Close(context.Background())
	if !errors.Is(err, failing) || !strings.Contains(err.Error(), "memo: closing") {
		t.Errorf("Close = %v; want the error of c's Close", err)
	}
	if got, want := log.get(), []string{"c", "a", "b"}; !slices.Equal(got, want) {
		t.Errorf("closed %q; want %q: each bound backend once, the last bound first", got, want)
	}
	if err := memo.Close(context.Background()); err != nil {
		t.Errorf("second Close = %v; want nil", err)
	}
	if got := log.get(); len(got) != 3 {
		t.Errorf("a second Close closed again: %q", got)
	}
}

// TestCloseStopsWaitingWhenContextEnds checks that Close returns when its
// context ends, with the context's error, though a backend's Close goes on.
func TestCloseStopsWaitingWhenContextEnds(t *testing.T) {
	var log closeLog
	stuck := &closer{Store: memory.New(memory.Options{}), name: "stuck", log: &log, wait: make(chan struct{})}
	register(t, uniqueName(t), stuck)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := memo.Close(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Close with a stuck backend = %v; want context.DeadlineExceeded", err)
	}
	close(stuck.wait)
}
