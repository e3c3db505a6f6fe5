package generator

import (
	"cmp"
	"fmt"
	"go/token"
	"slices"
)

// posError is a mistake in the user's code or directives, at a position.
type posError struct {
	Pos token.Position
	Msg string
}

// Error returns "file:line:col: memo: message", or "memo: message" without
// a position.
func (e *posError) Error() string {
	if !e.Pos.IsValid() {
		return "memo: " + e.Msg
	}
	return fmt.Sprintf("%s: memo: %s", e.Pos, e.Msg)
}

// errorList collects every error of a run, so that all are reported at
// once.
type errorList []error

func (l *errorList) add(pos token.Position, format string, args ...any) {
	*l = append(*l, &posError{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// sorted returns the errors ordered by file, line and column, without
// duplicates.
func (l errorList) sorted() []error {
	out := slices.Clone(l)
	slices.SortStableFunc(out, func(a, b error) int {
		pa, pb := position(a), position(b)
		return cmp.Or(
			cmp.Compare(pa.Filename, pb.Filename),
			cmp.Compare(pa.Line, pb.Line),
			cmp.Compare(pa.Column, pb.Column),
		)
	})
	return slices.CompactFunc(out, func(a, b error) bool { return a.Error() == b.Error() })
}

func position(err error) token.Position {
	if e, ok := err.(*posError); ok {
		return e.Pos
	}
	return token.Position{}
}
