package generator

import (
	"go/ast"
	"go/build"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"
)

// Diagnostic is one problem [Check] or [CheckStale] finds: an error that
// [Generate] reports in [Result.Errs], or a warning of [Result.Warnings].
type Diagnostic struct {
	// Pos is where Generate reports it, the file name as the FileSet
	// gives it.
	Pos token.Position
	// Msg is the message, without the "memo: " and "warning: " that
	// Generate's errors print before it.
	Msg string
	// Warning is set for a warning, which does not stop generation.
	Warning bool
	// Fix, when set, corrects the mistake without changing what the
	// program means: the spelling of an option's name or of
	// //memo:cache, quotes around a value with spaces.
	Fix *Fix
}

// Fix is a suggested correction.
type Fix struct {
	// Message describes the fix, as in `Change "tll" to "ttl"`.
	Message string
	// Edits replace spans of one file.
	Edits []Edit
}

// Edit replaces the bytes of a file from Pos to End with New.
type Edit struct {
	Pos, End token.Position
	New      string
}

// String returns the diagnostic as Generate prints it:
// "file:line:col: memo: message".
func (d Diagnostic) String() string {
	return (&posError{Pos: d.Pos, Msg: d.Msg, Warning: d.Warning}).Error()
}

// Check reports what [Generate] reports about the directives of one
// package, from syntax and types already loaded, without loading or
// generating anything: it is the entry point of the go/analysis analyzer
// (generator/analyzer), which passes an analysis.Pass's FileSet, Files
// and Pkg.
//
// Check sees the package as Generate does, without the files memogen
// generated: it type-checks the other files again, importing what pkg
// imports, so that a wrapper declared by a generated file neither clashes
// with the names analysis chooses nor hides a type error. It sees only
// the files of the build configuration it is given, while Generate also
// loads those that build constraints leave out.
//
// Directives in _test.go files are errors, which Generate reports with
// the package's. When files include test files, as in go vet's test
// variants of a package, Check reports only those, since the variant
// without tests reports the rest.
func Check(fset *token.FileSet, files []*ast.File, pkg *types.Package) []Diagnostic {
	var errs errorList
	var tests, rest []*ast.File
	for _, file := range files {
		name := fset.Position(file.Package).Filename
		switch {
		case strings.HasSuffix(name, "_test.go"):
			tests = append(tests, file)
		case !generatedFile(file):
			rest = append(rest, file)
		}
	}
	if len(tests) > 0 {
		for _, file := range tests {
			scanTestFile(fset, file, &errs)
		}
		return diagnostics(errs, fset, files)
	}
	// A file that the build in hand compiles but that memogen's build tag
	// excludes (//go:build !memogen) never gets wrappers: Generate reports
	// its directives, and so does Check.
	var kept []*ast.File
	for _, file := range rest {
		if excludedByBuildTag(fset.Position(file.Package).Filename) {
			for _, f := range scanFile(fset, file, &errorList{}) {
				reportNeverGenerated(&errs, f)
			}
			continue
		}
		kept = append(kept, file)
	}
	rest = kept
	p := &pkgPlan{host: retypecheck(fset, rest, pkg)}
	p.scan(p.host, nil, make(map[string]fileConstraint))
	more, _ := p.analyze()
	errs = append(errs, more...)
	return diagnostics(errs, fset, files)
}

// generatedFile reports whether file is one memogen generated.
func generatedFile(file *ast.File) bool {
	return len(file.Comments) > 0 && file.Comments[0].Pos() < file.Package &&
		file.Comments[0].List[0].Text == "// "+header
}

// retypecheck type-checks files as the package pkg, importing the
// packages pkg imports, and returns them as the generator's load would:
// type errors are expected while the generated files are left out.
func retypecheck(fset *token.FileSet, files []*ast.File, pkg *types.Package) *packages.Package {
	imports := make(map[string]*types.Package)
	for _, imp := range pkg.Imports() {
		imports[imp.Path()] = imp
	}
	conf := types.Config{
		Importer:  importerFunc(func(path string) (*types.Package, error) { return lookupImport(imports, path) }),
		Error:     func(error) {},
		GoVersion: pkg.GoVersion(),
	}
	info := &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		Scopes:       make(map[ast.Node]*types.Scope),
		Instances:    make(map[*ast.Ident]types.Instance),
		FileVersions: make(map[*ast.File]string),
	}
	checked, _ := conf.Check(pkg.Path(), fset, files, info)
	out := &packages.Package{
		ID:        pkg.Path(),
		Name:      pkg.Name(),
		PkgPath:   pkg.Path(),
		Fset:      fset,
		Syntax:    files,
		Types:     checked,
		TypesInfo: info,
	}
	for _, file := range files {
		out.GoFiles = append(out.GoFiles, fset.Position(file.Package).Filename)
	}
	return out
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

func lookupImport(imports map[string]*types.Package, path string) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	if p, ok := imports[path]; ok {
		return p, nil
	}
	return nil, &types.Error{Msg: "package " + path + " is not imported by the package as built"}
}

// diagnostics converts errs, sorted, into Diagnostics; an error without a
// position, which only a failure of the generator itself produces, is
// reported at the package clause of the first file.
func diagnostics(errs errorList, fset *token.FileSet, files []*ast.File) []Diagnostic {
	var out []Diagnostic
	for _, err := range errs.sorted() {
		e, ok := err.(*posError)
		if !ok {
			e = &posError{Msg: err.Error()}
		}
		d := Diagnostic{Pos: e.Pos, Msg: e.Msg, Warning: e.Warning, Fix: e.Fix}
		if !d.Pos.IsValid() && len(files) > 0 {
			d.Pos = fset.Position(files[0].Package)
		}
		out = append(out, d)
	}
	return out
}

// excludedByBuildTag reports whether the file at path has a constraint that
// mentions memogen's build tag and excludes the file once the tag is set,
// for the platform go/build describes by default.
func excludedByBuildTag(path string) bool {
	src, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	fc, err := readConstraint(path, src)
	if err != nil || fc.expr == nil || !mentionsTag(fc.expr, buildTag) {
		return false
	}
	ctx := build.Default
	ctx.BuildTags = append(slices.Clone(ctx.BuildTags), buildTag)
	ok, err := ctx.MatchFile(filepath.Dir(path), filepath.Base(path))
	return err == nil && !ok
}
