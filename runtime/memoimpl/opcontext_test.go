package memoimpl

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"
)

type ctxKey struct{}

func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// These tests run in synctest bubbles: time stands still until every
// goroutine of the bubble blocks, so deadlines are exact.

func TestOpContextKeepsValuesNotCancellation(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		parent, cancelParent := context.WithCancel(context.WithValue(context.Background(), ctxKey{}, "v"))
		ctx, cancel := newOpContext(parent, time.Hour)
		defer cancel()
		cancelParent()
		synctest.Wait()
		if got := ctx.Value(ctxKey{}); got != "v" {
			t.Errorf("Value = %v; want the parent's %q", got, "v")
		}
		if err := ctx.Err(); err != nil || closed(ctx.Done()) {
			t.Errorf("after the parent was cancelled: Err = %v, Done closed = %v; want nil, false", err, closed(ctx.Done()))
		}
		if d, ok := ctx.Deadline(); !ok || !d.Equal(time.Now().Add(time.Hour)) {
			t.Errorf("Deadline = %v, %v; want %v, true: an hour from now", d, ok, time.Now().Add(time.Hour))
		}
	})
}

func TestOpContextCancel(t *testing.T) {
	for _, askDone := range []bool{false, true} {
		synctest.Test(t, func(t *testing.T) {
			ctx, cancel := newOpContext(context.Background(), time.Hour)
			if askDone {
				ctx.Done()
			}
			child, stopChild := context.WithCancel(ctx)
			defer stopChild()
			cancel()
			if !closed(ctx.Done()) || !errors.Is(ctx.Err(), context.Canceled) {
				t.Errorf("Done asked first: %v; after cancel: Done closed = %v, Err = %v; want true, Canceled", askDone, closed(ctx.Done()), ctx.Err())
			}
			synctest.Wait() // for the goroutine that context.WithCancel starts to watch ctx
			if !closed(child.Done()) {
				t.Errorf("Done asked first: %v; a child context was not cancelled with its parent", askDone)
			}
			cancel() // a second cancel is harmless
			if !errors.Is(ctx.Err(), context.Canceled) {
				t.Errorf("Done asked first: %v; after a second cancel: Err = %v; want Canceled", askDone, ctx.Err())
			}
		})
	}
}

func TestOpContextDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Without Done: Err notices the deadline by itself, at the very
		// instant it passes.
		ctx, cancel := newOpContext(context.Background(), time.Millisecond)
		defer cancel()
		time.Sleep(time.Millisecond - time.Nanosecond)
		if err := ctx.Err(); err != nil {
			t.Errorf("Err a nanosecond before the deadline = %v; want nil", err)
		}
		time.Sleep(time.Nanosecond)
		if err := ctx.Err(); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Err at the deadline = %v; want DeadlineExceeded", err)
		}
		if !closed(ctx.Done()) {
			t.Error("Done after the deadline is open; want closed")
		}

		// With Done: the timer closes it at the deadline.
		start := time.Now()
		ctx2, cancel2 := newOpContext(context.Background(), 10*time.Millisecond)
		defer cancel2()
		<-ctx2.Done()
		if waited := time.Since(start); waited != 10*time.Millisecond {
			t.Errorf("Done closed after %v; want 10ms, the timeout", waited)
		}
		if err := ctx2.Err(); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Err once Done closed = %v; want DeadlineExceeded", err)
		}
		cancel2()
		if err := ctx2.Err(); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("cancel after the deadline changed Err to %v; want DeadlineExceeded kept", err)
		}
	})
}

func TestOpContextCauseIsItsOwn(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		parent, cancelParent := context.WithCancelCause(context.Background())
		errCaller := errors.New("the caller gave up")
		ctx, cancel := newOpContext(parent, time.Millisecond)
		defer cancel()
		cancelParent(errCaller)
		<-ctx.Done()
		if cause := context.Cause(ctx); !errors.Is(cause, context.DeadlineExceeded) {
			t.Errorf("Cause = %v; want the operation's DeadlineExceeded, not the caller's cause", cause)
		}
		child, stop := context.WithCancel(ctx)
		defer stop()
		<-child.Done()
		if cause := context.Cause(child); !errors.Is(cause, context.DeadlineExceeded) {
			t.Errorf("Cause of a child = %v; want DeadlineExceeded", cause)
		}
	})
}
