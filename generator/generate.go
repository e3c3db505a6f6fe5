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
	// Tags are extra build tags to load packages with. The generated file
	// then requires them too, since it may call functions that only they
	// build: generate once per tag set, each with its own Output.
	Tags []string
	// Output is the generated file's name; "" means DefaultOutput.
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
	l, err := load(ctx, patterns, opts)
	if err != nil {
		return nil, err
	}
	fp := newFingerprinter(l)
	var results []Result
	for _, pkg := range l.targets {
		if len(pkg.GoFiles) == 0 && len(pkg.Errors) > 0 {
			return nil, fmt.Errorf("loading %s: %v", pkg.PkgPath, pkg.Errors[0])
		}
		results = append(results, generatePackage(pkg, fp, output, opts.Tags))
	}
	return results, nil
}

// generatePackage runs the phases after loading for one package.
func generatePackage(pkg *packages.Package, fp *fingerprinter, output string, tags []string) Result {
	res := Result{PkgPath: pkg.PkgPath, OutputPath: outputPath(pkg, output)}
	var errs errorList
	for _, e := range pkg.Errors {
		// Type errors are expected while the generated file is left out
		// (callers of the wrappers do not compile), whether the type checker
		// or the compiler behind go list reports them; analysis reports
		// those that touch an annotated signature.
		if e.Kind == packages.TypeError || e.Kind == packages.ListError && strings.HasPrefix(e.Msg, "# ") {
			continue
		}
		errs = append(errs, packageError(e))
	}
	if len(errs) > 0 {
		res.Errs = errs.sorted()
		shortenPaths(res.Errs)
		return res
	}
	var founds []*found
	for _, file := range pkg.Syntax {
		founds = append(founds, scanFile(pkg.Fset, file, &errs)...)
	}
	if dir := packageDir(pkg); dir != "" {
		scanTestFiles(dir, &errs)
	}
	if len(founds) == 0 && len(errs) == 0 {
		return res
	}
	model := analyzePackage(pkg, fp, founds, &errs)
	res.Errs, res.Warnings = errs.split()
	shortenPaths(res.Errs)
	shortenPaths(res.Warnings)
	if len(res.Errs) > 0 {
		return res
	}
	model.tags = tags
	content, err := render(model)
	if err != nil {
		res.Errs = []error{err}
		return res
	}
	res.Content = content
	return res
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

// Commit writes the result's file, or removes a file memogen generated
// earlier when the package no longer has directives. It refuses to
// overwrite or remove a file that memogen did not generate.
func (r Result) Commit() error {
	if len(r.Errs) > 0 {
		return fmt.Errorf("%s: not writing: the package has errors", r.PkgPath)
	}
	if r.OutputPath == "" {
		return nil
	}
	old, err := os.ReadFile(r.OutputPath)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if r.Content == nil {
			return nil
		}
	case err != nil:
		return err
	case !isGenerated(old) && r.Content == nil:
		return nil // nothing to write, and the file is not memogen's to remove
	case !isGenerated(old):
		return fmt.Errorf("%s exists and was not generated by memogen; remove it or choose another -output", r.OutputPath)
	case bytes.Equal(old, r.Content):
		return nil
	}
	if r.Content == nil {
		return os.Remove(r.OutputPath)
	}
	return os.WriteFile(r.OutputPath, r.Content, 0o644)
}

// Stale reports whether the file on disk differs from the result: missing,
// out of date, or left over from directives that are gone.
func (r Result) Stale() (bool, error) {
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
