package generator

import (
	"go/ast"
	goparser "go/parser"
	"go/token"
	"path/filepath"
	"strings"
)

const (
	directivePrefix = "//memo:"
	directiveName   = "cache"
	directiveLine   = directivePrefix + directiveName
	// batchName is the directive of batch functions (see analyze_batch.go),
	// which takes //memo:cache's options and more. It is as long as
	// directiveName, so that options sit at the same columns.
	batchName = "batch"
	batchLine = directivePrefix + batchName
)

// directiveNames are the directives that annotate a function.
var directiveNames = []string{"memo:" + directiveName, "memo:" + batchName}

// found is one //memo:cache line and the function it documents.
type found struct {
	decl    *ast.FuncDecl
	pos     token.Position // of the directive's "//"
	options string         // the text after "//memo:cache"
	dir     directive
	batch   bool // the directive is //memo:batch
}

// line returns the directive as written: //memo:cache or //memo:batch.
func (f *found) line() string {
	if f.batch {
		return batchLine
	}
	return directiveLine
}

// optionPos returns the position of byte offset off within f.options.
func (f *found) optionPos(off int) token.Position {
	p := f.pos
	p.Column += len(directiveLine) + off
	p.Offset += len(directiveLine) + off
	return p
}

// scanFile finds the directives of one file. A //memo: line that is not a
// well-formed directive on a function's doc comment is an error.
func scanFile(fset *token.FileSet, file *ast.File, errs *errorList) []*found {
	owners := make(map[*ast.CommentGroup]ast.Decl)
	for _, d := range file.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Doc != nil {
				owners[d.Doc] = d
			}
		case *ast.GenDecl:
			if d.Doc != nil {
				owners[d.Doc] = d
			}
		}
	}
	var out []*found
	for _, group := range file.Comments {
		var seen *found
		for _, c := range group.List {
			if why, written := nearMissSpelling(c.Text); why != "" {
				pos := fset.Position(c.Slash)
				errs.addFix(pos, respell(pos, len(written), directiveLine), "%s", why)
				continue
			}
			if !strings.HasPrefix(c.Text, directivePrefix) {
				continue
			}
			pos := fset.Position(c.Slash)
			rest := c.Text[len(directivePrefix):]
			name, _, _ := strings.Cut(rest, " ")
			name, _, _ = strings.Cut(name, "\t")
			switch {
			case name == "" && strings.HasPrefix(strings.TrimLeft(rest, " \t"), directiveName):
				written := len(c.Text) - len(strings.TrimLeft(rest, " \t")) + len(directiveName)
				errs.addFix(pos, respell(pos, written, directiveLine), `"//memo: cache" is not a directive, so it would be ignored: no space may follow "//memo:"; did you mean //memo:cache?`)
				continue
			case packageDirective(name):
				continue // scanDeclarations reads these
			case strings.HasPrefix(name, directiveName) && strings.Contains(name, "="):
				errs.add(pos, "unknown directive %q; did you mean //memo:%s %s?", "memo:"+name, directiveName, name[len(directiveName):])
				continue
			case strings.HasPrefix(name, batchName) && strings.Contains(name, "="):
				errs.add(pos, "unknown directive %q; did you mean //memo:%s %s?", "memo:"+name, batchName, name[len(batchName):])
				continue
			case name != directiveName && name != batchName:
				var fix *Fix
				if c := closest("memo:"+name, directiveNames); c != "" {
					fix = respell(pos, len(directivePrefix)+len(name), "//"+c)
				}
				errs.addFix(pos, fix, "unknown directive %q%s", "memo:"+name, didYouMean("memo:"+name, directiveNames))
				continue
			}
			line := directivePrefix + name
			owner := owners[group]
			decl, ok := owner.(*ast.FuncDecl)
			switch {
			case owner == nil:
				errs.add(pos, "%s must be in the doc comment of a function or method", line)
				continue
			case !ok:
				errs.add(pos, "%s annotates functions and methods, not %s declarations", line, owner.(*ast.GenDecl).Tok)
				continue
			case seen != nil && seen.line() != line:
				errs.add(pos, "%s and %s on %s: a function takes one directive (the first at line %d)", seen.line(), line, decl.Name.Name, seen.pos.Line)
				continue
			case seen != nil:
				errs.add(pos, "duplicate %s on %s (first at line %d)", line, decl.Name.Name, seen.pos.Line)
				continue
			}
			f := &found{decl: decl, pos: pos, options: rest[len(name):], batch: name == batchName}
			d, optErrs := parseOptions(f.options)
			for _, e := range optErrs {
				var fix *Fix
				if e.Fix != nil {
					fix = &Fix{Message: e.Fix.Message, Edits: []Edit{{Pos: f.optionPos(e.Fix.Start), End: f.optionPos(e.Fix.End), New: e.Fix.New}}}
				}
				errs.addFix(f.optionPos(e.Offset), fix, "%s", e.Msg)
			}
			f.dir = d
			seen = f
			if len(optErrs) == 0 {
				out = append(out, f)
			}
		}
	}
	return out
}

// respell returns the fix that replaces the n bytes at pos, on one line,
// with the directive line.
func respell(pos token.Position, n int, directive string) *Fix {
	end := pos
	end.Column += n
	end.Offset += n
	return &Fix{Message: "Change to " + directive, Edits: []Edit{{Pos: pos, End: end, New: directive}}}
}

// scanTestFiles reports every //memo:cache in the _test.go files of dir.
// Packages are generated without their tests, which a non-test file cannot
// refer to, so such a directive would be silently ignored and its wrapper
// missing when the tests build.
func scanTestFiles(dir string, errs *errorList) {
	paths, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	fset := token.NewFileSet()
	for _, path := range paths {
		if base := filepath.Base(path); strings.HasPrefix(base, "_") || strings.HasPrefix(base, ".") {
			continue // the go command ignores these files
		}
		// A file with syntax errors still yields its comments; go test
		// reports the errors.
		file, _ := goparser.ParseFile(fset, path, nil, goparser.ParseComments|goparser.SkipObjectResolution)
		if file == nil {
			continue
		}
		scanTestFile(fset, file, errs)
	}
}

// scanTestFile reports every //memo:cache in a _test.go file.
func scanTestFile(fset *token.FileSet, file *ast.File, errs *errorList) {
	owners := make(map[*ast.CommentGroup]string)
	for _, d := range file.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Doc != nil {
			owners[fd.Doc] = funcDeclName(fd)
		}
	}
	for _, group := range file.Comments {
		for _, c := range group.List {
			rest, ok := strings.CutPrefix(c.Text, directiveLine)
			if !ok {
				rest, ok = strings.CutPrefix(c.Text, batchLine)
			}
			if !ok || rest != "" && rest[0] != ' ' && rest[0] != '\t' {
				continue
			}
			what := "the function"
			if name, ok := owners[group]; ok {
				what = name
			}
			errs.add(fset.Position(c.Slash), "%s in a _test.go file is not supported (memogen generates code for the package without its tests); move %s to a non-test file", c.Text[:len(directiveLine)], what)
		}
	}
}

// funcDeclName returns F for a function and T.M for a method.
func funcDeclName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	for {
		switch e := t.(type) {
		case *ast.StarExpr:
			t = e.X
		case *ast.ParenExpr:
			t = e.X
		case *ast.IndexExpr: // T[P]
			t = e.X
		case *ast.IndexListExpr: // T[K, V]
			t = e.X
		case *ast.Ident:
			return e.Name + "." + fd.Name.Name
		default:
			return fd.Name.Name
		}
	}
}
