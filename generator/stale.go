package generator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Regenerate is the command that CheckStale's diagnostics tell users to
// run.
const Regenerate = "go generate ./... (or go tool memogen ./...)"

// CheckStale reports each directive of the package in dir whose wrapper
// is missing from the package's generated files or out of date: its
// fingerprint is not the one generation would write. A generated file
// that is out of date for another reason (a directive removed, a newer
// memogen) or left over from directives that are gone is reported at
// its first directive, or at its own first line.
//
// It runs [Generate] in check mode on the package, writing nothing, so it
// costs what Generate costs: loading the package and the local packages
// it imports with syntax and types, since fingerprints cover their code.
// It reports nothing for a package whose directives have errors, which
// [Check] reports.
func CheckStale(ctx context.Context, dir string, opts Options) ([]Diagnostic, error) {
	opts.Dir = dir
	output := opts.Output
	if output == "" {
		output = DefaultOutput
	}
	l, err := load(ctx, []string{"."}, opts)
	if err != nil {
		return nil, err
	}
	plans, err := planVariants(ctx, l, opts, output)
	if err != nil {
		return nil, err
	}
	var out []Diagnostic
	for _, p := range plans {
		errs, contents := p.analyze()
		if errs.failed() {
			continue
		}
		for _, v := range p.variants {
			if v.path != "" {
				out = append(out, staleFuncs(v, contents[v])...)
			}
		}
		res := p.generate()
		for _, f := range res.Constrained {
			if f.Content == nil {
				out = append(out, leftOver(f.OutputPath))
			}
		}
	}
	return out, nil
}

// staleFuncs compares the file on disk for v with content, what
// generation would write.
func staleFuncs(v *variant, content []byte) []Diagnostic {
	old, err := os.ReadFile(v.path)
	name := filepath.Base(v.path)
	switch {
	case errors.Is(err, os.ErrNotExist) && content == nil:
		return nil
	case errors.Is(err, os.ErrNotExist):
		var out []Diagnostic
		for _, fm := range v.funcs {
			out = append(out, Diagnostic{Pos: fm.pos, Msg: fmt.Sprintf("%s, which declares the wrapper of %s, is missing; run %s", name, fm.name, Regenerate)})
		}
		return out
	case err != nil || bytes.Equal(old, content) || !isGenerated(old):
		return nil // a file that is not memogen's is Generate's to report
	case content == nil:
		return []Diagnostic{leftOver(v.path)}
	}
	var out []Diagnostic
	for _, fm := range v.funcs {
		if !bytes.Contains(old, []byte(strconv.Quote(fm.fingerprint))) {
			out = append(out, Diagnostic{Pos: fm.pos, Msg: fmt.Sprintf("the wrapper of %s in %s is out of date: %s changed since it was generated; run %s", fm.name, name, fm.name, Regenerate)})
		}
	}
	if len(out) == 0 && len(v.funcs) > 0 {
		out = append(out, Diagnostic{Pos: v.funcs[0].pos, Msg: fmt.Sprintf("%s is out of date; run %s", name, Regenerate)})
	}
	return out
}

// leftOver reports the generated file at path, which no directive needs.
func leftOver(path string) Diagnostic {
	return Diagnostic{
		Pos: token.Position{Filename: path, Line: 1, Column: 1},
		Msg: fmt.Sprintf("%s was generated for directives that are gone; run %s to remove it", filepath.Base(path), Regenerate),
	}
}

// MayNeedGeneration reports whether files hold a //memo:cache or
// //memo:batch line or a
// file memogen generated: only then can [CheckStale] find anything.
func MayNeedGeneration(files []*ast.File) bool {
	for _, file := range files {
		if generatedFile(file) {
			return true
		}
		for _, group := range file.Comments {
			for _, c := range group.List {
				if strings.HasPrefix(c.Text, directiveLine) || strings.HasPrefix(c.Text, batchLine) {
					return true
				}
			}
		}
	}
	return false
}
