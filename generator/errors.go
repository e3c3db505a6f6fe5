package generator

import (
	"cmp"
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// posError is a mistake in the user's code or directives, at a position,
// or, with Warning set, something that generation goes on despite but
// that the user should know.
type posError struct {
	Pos     token.Position
	Msg     string
	Warning bool
	// Fix, when set, corrects the mistake without changing what the
	// program means; only the analyzer offers it.
	Fix *Fix
}

// Error returns "file:line:col: memo: message", or "memo: message" without
// a position; a warning's message begins "warning: ".
func (e *posError) Error() string {
	msg := e.Msg
	if e.Warning {
		msg = "warning: " + msg
	}
	if !e.Pos.IsValid() {
		return "memo: " + msg
	}
	return fmt.Sprintf("%s: memo: %s", e.Pos, msg)
}

// errorList collects every error and warning of a run, so that all are
// reported at once.
type errorList []error

func (l *errorList) add(pos token.Position, format string, args ...any) {
	*l = append(*l, &posError{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// addFix records an error with a suggested fix.
func (l *errorList) addFix(pos token.Position, fix *Fix, format string, args ...any) {
	*l = append(*l, &posError{Pos: pos, Msg: fmt.Sprintf(format, args...), Fix: fix})
}

// warn records a warning, which does not stop generation.
func (l *errorList) warn(pos token.Position, format string, args ...any) {
	*l = append(*l, &posError{Pos: pos, Msg: fmt.Sprintf(format, args...), Warning: true})
}

// failed reports whether the list holds an error, warnings aside.
func (l errorList) failed() bool {
	return slices.ContainsFunc(l, func(err error) bool { return !isWarning(err) })
}

// count returns how many errors, warnings aside, the list holds.
func (l errorList) count() int {
	n := 0
	for _, err := range l {
		if !isWarning(err) {
			n++
		}
	}
	return n
}

// split returns the errors and the warnings, each sorted.
func (l errorList) split() (errs, warnings []error) {
	for _, err := range l.sorted() {
		if isWarning(err) {
			warnings = append(warnings, err)
		} else {
			errs = append(errs, err)
		}
	}
	return errs, warnings
}

func isWarning(err error) bool {
	e, ok := err.(*posError)
	return ok && e.Warning
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

// shortenPaths rewrites the file names of errs, and the paths their
// messages name, relative to the working directory, as go vet prints them,
// when that is shorter.
func shortenPaths(errs []error) {
	wd, err := os.Getwd()
	if err != nil {
		return
	}
	prefix := wd + string(filepath.Separator)
	for _, e := range errs {
		pe, ok := e.(*posError)
		if !ok {
			continue
		}
		if filepath.IsAbs(pe.Pos.Filename) {
			if rel, err := filepath.Rel(wd, pe.Pos.Filename); err == nil && len(rel) < len(pe.Pos.Filename) {
				pe.Pos.Filename = rel
			}
		}
		// Other places a message names ("also generated for the directive
		// at …") read as the first does.
		pe.Msg = strings.ReplaceAll(pe.Msg, prefix, "")
	}
}
