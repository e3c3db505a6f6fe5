package memoimpl_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/memogen/memogen/backends/memory" // the "mem" scheme and the default backend
	"github.com/memogen/memogen/internal/fakeclock"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
	"github.com/memogen/memogen/runtime/store"
)

// testPackage is the import path of the functions tests memoize.
const testPackage = "example.com/memotest"

var serial atomic.Int64

// uniqueName returns a name no other test uses, for functions and backends;
// it is a valid environment variable suffix.
func uniqueName(t *testing.T) string {
	base := strings.Map(func(r rune) rune {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
			return r
		}
		return '_'
	}, t.Name())
	return fmt.Sprintf("%s_%d", base, serial.Add(1))
}

// newFunc returns a Func of its own for t, as generated code declares one
// per memoized function.
func newFunc(t *testing.T, info memoimpl.FuncInfo) *memoimpl.Func {
	if info.Package == "" {
		info.Package = testPackage
	}
	if info.Name == "" {
		info.Name = uniqueName(t)
	}
	return memoimpl.NewFunc(info)
}

// cached is what memogen generates for func(ctx, arg string, refresh bool)
// (R, error) with nocache=refresh: it keys arg and calls compute on a miss.
func cached[R any](ctx context.Context, f *memoimpl.Func, arg string, refresh bool, compute func() (R, error)) (R, error) {
	c := f.Begin(ctx)
	c.Key().Text(arg)
	if r, ok := memoimpl.Lookup[R](c, refresh); ok {
		return r, nil
	}
	return memoimpl.Run(c, compute)
}

// get is cached for a function without a context or refresh argument.
func get[R any](f *memoimpl.Func, arg string, compute func() (R, error)) (R, error) {
	c := f.Begin(context.Background())
	c.Key().Text(arg)
	if r, ok := memoimpl.Lookup[R](c, false); ok {
		return r, nil
	}
	return memoimpl.Run(c, compute)
}

// contains and forget are the generated handle's methods.
func contains(f *memoimpl.Func, arg string) bool {
	c := f.Begin(context.Background())
	c.Key().Text(arg)
	return c.Contains()
}

func forget(f *memoimpl.Func, arg string) error {
	c := f.Begin(context.Background())
	c.Key().Text(arg)
	return c.Forget()
}

// counter counts the runs of a memoized function's body.
type counter struct{ n atomic.Int64 }

// fn returns a body that counts its runs and returns value.
func (c *counter) fn(value string) func() (string, error) {
	return func() (string, error) {
		c.n.Add(1)
		return value, nil
	}
}

func (c *counter) runs() int64 { return c.n.Load() }

// deadline bounds every wait in these tests, so that a bug shows as a
// failure instead of a hung test binary.
const deadline = 30 * time.Second

// within fails t unless done is closed before the deadline.
func within(t *testing.T, done <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-done:
	case <-time.After(deadline):
		t.Fatalf("%s: still waiting after %v", what, deadline)
	}
}

// configure installs c for the rest of the test and restores the default
// configuration after it. Tests that call it must not be parallel.
func configure(t *testing.T, c memo.Config) {
	t.Cleanup(func() { memo.Configure(memo.Config{}) })
	memo.Configure(c)
}

// fakeClock is a settable Config.Now.
type fakeClock = fakeclock.Clock

func newFakeClock() *fakeClock {
	return fakeclock.New(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
}

// recorder collects what Config.Hook receives.
type recorder struct {
	mu    sync.Mutex
	calls []memo.CallInfo
	// refreshed, when not nil, receives every background refresh.
	refreshed chan memo.CallInfo
}

func (r *recorder) Hook(c memo.CallInfo) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, c)
	if r.refreshed != nil && c.Outcome == memo.Refresh {
		r.refreshed <- c
	}
}

func (r *recorder) Calls() []memo.CallInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]memo.CallInfo(nil), r.calls...)
}

// safeBuffer is a bytes.Buffer for a log handler shared by goroutines.
type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *safeBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *safeBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// keyOf returns the key that write writes.
func keyOf(write func(w *memo.KeyWriter)) []byte {
	var w memo.KeyWriter
	write(&w)
	return bytes.Clone(w.Bytes())
}

// register binds name to b for the test's duration.
func register(t *testing.T, name string, b store.Backend) {
	t.Cleanup(func() { memo.Unregister(name) })
	memo.Register(name, b)
}

// quiet configures a logger that drops the error record an unbound backend
// produces, which would otherwise go to slog.Default.
func quiet(t *testing.T) {
	configure(t, memo.Config{Logger: slog.New(slog.DiscardHandler)})
}

// dynamicKey returns the key Dynamic writes for v.
func dynamicKey[T any](v T) []byte {
	return keyOf(func(w *memo.KeyWriter) { memo.Dynamic(w, v) })
}
