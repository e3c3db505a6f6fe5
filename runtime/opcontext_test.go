package runtime

import (
	"context"
	"errors"
	"testing"
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

func TestOpContextKeepsValuesNotCancellation(t *testing.T) {
	parent, cancelParent := context.WithCancel(context.WithValue(context.Background(), ctxKey{}, "v"))
	ctx, cancel := newOpContext(parent, time.Hour)
	defer cancel()
	cancelParent()
	if got := ctx.Value(ctxKey{}); got != "v" {
		t.Errorf("Value = %v; want the parent's %q", got, "v")
	}
	if err := ctx.Err(); err != nil || closed(ctx.Done()) {
		t.Errorf("after the parent was cancelled: Err = %v, Done closed = %v; want nil, false", err, closed(ctx.Done()))
	}
	if d, ok := ctx.Deadline(); !ok || time.Until(d) < 59*time.Minute {
		t.Errorf("Deadline = %v, %v; want about an hour from now", d, ok)
	}
}

func TestOpContextCancel(t *testing.T) {
	for _, askDone := range []bool{false, true} {
		ctx, cancel := newOpContext(context.Background(), time.Hour)
		if askDone {
			ctx.Done()
		}
		child, stopChild := context.WithCancel(ctx)
		cancel()
		if !closed(ctx.Done()) || !errors.Is(ctx.Err(), context.Canceled) {
			t.Errorf("Done asked first: %v; after cancel: Done closed = %v, Err = %v; want true, Canceled", askDone, closed(ctx.Done()), ctx.Err())
		}
		select {
		case <-child.Done():
		case <-time.After(10 * time.Second):
			t.Errorf("Done asked first: %v; a child context was not cancelled with its parent", askDone)
		}
		stopChild()
		cancel() // a second cancel is harmless
	}
}

func TestOpContextDeadline(t *testing.T) {
	// Without Done: Err notices the deadline by itself.
	ctx, cancel := newOpContext(context.Background(), time.Millisecond)
	defer cancel()
	time.Sleep(5 * time.Millisecond)
	if err := ctx.Err(); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Err after the deadline = %v; want DeadlineExceeded", err)
	}
	if !closed(ctx.Done()) {
		t.Error("Done after the deadline is open; want closed")
	}

	// With Done: the timer closes it.
	ctx2, cancel2 := newOpContext(context.Background(), 10*time.Millisecond)
	defer cancel2()
	select {
	case <-ctx2.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("Done never closed at the deadline")
	}
	if err := ctx2.Err(); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Err once Done closed = %v; want DeadlineExceeded", err)
	}
	cancel2()
	if err := ctx2.Err(); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("cancel after the deadline changed Err to %v; want DeadlineExceeded kept", err)
	}
}

func TestOpContextCauseIsItsOwn(t *testing.T) {
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
}
