package runtime

import "fmt"

// PanicError is what a call that waited on a concurrent identical call
// panics with when that call's function panicked: the value and the stack
// of the goroutine that ran it. The goroutine that ran the function panics
// with the original value.
type PanicError struct {
	Value any
	Stack []byte
}

// Error returns the panic value and the stack it was raised on.
func (p *PanicError) Error() string {
	return fmt.Sprintf("memo: memoized function panicked: %v\n\n%s", p.Value, p.Stack)
}

// Unwrap returns the panic value when it is an error.
func (p *PanicError) Unwrap() error {
	err, _ := p.Value.(error)
	return err
}
