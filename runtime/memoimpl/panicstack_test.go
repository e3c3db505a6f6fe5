package memoimpl_test

import (
	"errors"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/memogen/memogen/runtime/memoimpl"
)

// panickingBody panics; its name is what the panic's stack must show.
//
//go:noinline
func panickingBody() (string, error) { panic(errors.New("boom")) }

// TestLeaderPanicKeepsItsStack checks that a panic of the function, raised
// again to the caller that ran it, is raised from where the function
// panicked: a deferred recover of the caller sees the function's frame on
// the stack, as a crash's trace then shows it.
func TestLeaderPanicKeepsItsStack(t *testing.T) {
	f := newFunc(t, memoimpl.FuncInfo{Errors: true})
	var stack string
	func() {
		defer func() {
			if recover() != nil {
				stack = string(debug.Stack())
			}
		}()
		get(f, "k", panickingBody)
	}()
	if !strings.Contains(stack, "panickingBody") {
		t.Errorf("the stack when the caller recovers does not show the function that panicked:\n%s", stack)
	}
}
