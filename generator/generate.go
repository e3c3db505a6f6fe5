// Package generator turns //memo:cache directives into cached wrappers.
//
// It works in phases, one file each: load (go/packages) → scan (find the
// directives) → directive (parse their options) → analyze (check them
// against the types, choose names, digest what each function reaches into
// its fingerprint: the model) → render (emit code with jennifer). [Generate] returns the files it would write; [Result.Commit]
// writes them, so tests never touch a real tree.
package generator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/packages"
)

// DefaultOutput is the name of the file generated in each package.
const DefaultOutput = "memo_gen.go"

// Options configure a run of the generator.
type Options struct {
	// Dir is the directory package patterns are relative to; "" means the
	// current directory.
	Dir string
	// Tags are extra build tags to load packages with. They change what
	// the first load sees, not what is generated: directives in files that
	// build constraints leave out are found by loading again under a
	// configuration that has them, whatever the tags.
	Tags []string
	// Output is the generated file's name; "" means DefaultOutput. The
	// files for directives under build constraints take its name with a
	// suffix (memo_gen_linux.go).
	Output string
	// Env is the environment of the go command; nil means os.Environ().
	Env []string
}

// Result is the outcome for one package.
type Result struct {
	// PkgPath is the package's import path.
	PkgPath string
	// OutputPath is the path of the file generated in the package's
	// directory, or "" when the package has no files.
	OutputPath string
	// Content is the generated file, or nil when the package has no
	// directives, in which case no file should exist.
	Content []byte
	// Constrained are the files generated for directives in files that
	// build constraints select (a //go:build line, a _linux.go name,
	// import "C"): one per distinct constraint, which it carries, sorted
	// by path, then the files memogen generated earlier that no directive
	// needs any more, with nil Content. Each is a Result of its own with
	// no Constrained.
	Constrained []Result
	// Errs lists every mistake found in the package, sorted by position;
	// one in the user's code prints as "file:line:col: memo: message".
	// Content is nil when there are any. File names are relative to the
	// working directory when that is shorter, as go vet prints them.
	Errs []error
	// Warnings lists what generation went on despite, sorted by position,
	// each printed as "file:line:col: memo: warning: message": a directive
	// that is valid but probably not what was meant, such as an ignore=
	// that leaves no argument in the key. They never make Content nil.
	Warnings []error
}

// Files returns one Result per file: the package's unconstrained file,
// then its Constrained ones.
func (r Result) Files() []Result {
	main := r
	main.Constrained = nil
	return append([]Result{main}, r.Constrained...)
}

// Generate loads the packages patterns match and generates code for each.
// The error reports a failure to load; mistakes in the code are in each
// Result's Errs.
func Generate(ctx context.Context, patterns []string, opts Options) ([]Result, error) {
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	output := opts.Output
	if output == "" {
		output = DefaultOutput
	}
	if err := checkOutputName(output); err != nil {
		return nil, err
	}
	patterns = packagePatterns(patterns)
	l, err := load(ctx, patterns, opts)
	if err != nil {
		return nil, err
	}
	for _, pkg := range l.targets {
		if len(pkg.GoFiles) == 0 && len(pkg.IgnoredFiles) == 0 && len(pkg.Errors) > 0 {
			return nil, fmt.Errorf("loading %s: %v", pkg.PkgPath, pkg.Errors[0])
		}
	}
	plans, err := planVariants(ctx, l, opts, output)
	if err != nil {
		return nil, err
	}
	var results []Result
	for _, p := range plans {
		results = append(results, p.generate())
	}
	return results, nil
}

func packageError(e packages.Error) error {
	pos := parsePos(e.Pos)
	if !pos.IsValid() {
		return errors.New(e.Msg)
	}
	return &posError{Pos: pos, Msg: e.Msg}
}

// parsePos reads the "file:line:col" form packages.Error uses.
func parsePos(s string) token.Position {
	var p token.Position
	parts := strings.Split(s, ":")
	if len(parts) < 2 {
		return p
	}
	var line, col int
	if len(parts) >= 3 {
		if _, err := fmt.Sscanf(parts[len(parts)-1], "%d", &col); err == nil {
			if _, err := fmt.Sscanf(parts[len(parts)-2], "%d", &line); err == nil {
				return token.Position{Filename: strings.Join(parts[:len(parts)-2], ":"), Line: line, Column: col}
			}
		}
	}
	if _, err := fmt.Sscanf(parts[len(parts)-1], "%d", &line); err == nil {
		return token.Position{Filename: strings.Join(parts[:len(parts)-1], ":"), Line: line}
	}
	return p
}

func outputPath(pkg *packages.Package, output string) string {
	dir := packageDir(pkg)
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, output)
}

// packageDir returns the directory of the package's files, or "" when it
// has none.
func packageDir(pkg *packages.Package) string {
	files := append(append([]string{}, pkg.GoFiles...), pkg.IgnoredFiles...)
	if len(files) == 0 {
		return ""
	}
	return filepath.Dir(files[0])
}

// Commit writes the result's files, or removes those memogen generated
// earlier that the package no longer needs. It refuses to overwrite or
// remove a file that memogen did not generate, and then changes none of
// the package's files: a package left with some of its generated files
// new and others old would not build.
func (r Result) Commit() error {
	if len(r.Errs) > 0 {
		return fmt.Errorf("%s: not writing: the package has errors", r.PkgPath)
	}
	var changes []Result
	for _, f := range r.Files() {
		change, err := f.planFile()
		if err != nil {
			return err
		}
		if change {
			changes = append(changes, f)
		}
	}
	for _, f := range changes {
		var err error
		if f.Content == nil {
			err = os.Remove(f.OutputPath)
		} else {
			err = os.WriteFile(f.OutputPath, f.Content, 0o644)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// planFile reports whether committing the file changes the disk, or why
// it must not.
func (r Result) planFile() (change bool, err error) {
	if r.OutputPath == "" {
		return false, nil
	}
	old, err := os.ReadFile(r.OutputPath)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return r.Content != nil, nil
	case err != nil:
		return false, err
	case !isGenerated(old) && r.Content == nil:
		return false, nil // nothing to write, and the file is not memogen's to remove
	case !isGenerated(old):
		return false, fmt.Errorf("%s exists and was not generated by memogen; remove it or choose another -output", r.OutputPath)
	}
	return !bytes.Equal(old, r.Content), nil
}

// Stale reports whether a file on disk differs from the result: missing,
// out of date, or left over from directives that are gone.
func (r Result) Stale() (bool, error) {
	for _, f := range r.Files() {
		if stale, err := f.staleFile(); stale || err != nil {
			return stale, err
		}
	}
	return false, nil
}

func (r Result) staleFile() (bool, error) {
	if r.OutputPath == "" {
		return false, nil
	}
	old, err := os.ReadFile(r.OutputPath)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return r.Content != nil, nil
	case err != nil:
		return false, err
	case r.Content == nil:
		return isGenerated(old), nil
	}
	return !bytes.Equal(old, r.Content), nil
}

func isGenerated(src []byte) bool {
	return bytes.HasPrefix(src, []byte("// "+header))
}
