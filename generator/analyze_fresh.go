package generator

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"sort"
	"strings"
)

// freshness checks the directive's freshness options against the function,
// and under errttl= finds the package's error variables, whose identity a
// cached error keeps in byte-level backends.
func (a *analyzer) freshness(f *found, fm *funcModel) {
	o := f.dir.Fresh
	if f.batch {
		// errttl= means the missing IDs' lifetime there (see batch); the
		// other options are not implemented for batches.
		for _, n := range []struct {
			name string
			set  bool
		}{{"early", o.Early > 0}, {"errttl_if", o.ErrTTLIf != ""}, {"stale", o.Stale > 0}, {"stale_if_error", o.StaleIfError > 0}, {"ttl_refresh", o.TTLRefresh}} {
			if n.set {
				a.errs.add(f.optionPos(f.dir.Offsets[n.name]), "%s= does not apply to //memo:batch", n.name)
			}
		}
		return
	}
	needTTL := []struct {
		name string
		set  bool
	}{
		{"early", o.Early > 0},
		{"stale", o.Stale > 0},
		{"stale_if_error", o.StaleIfError > 0},
		{"ttl_refresh", o.TTLRefresh},
	}
	for _, n := range needTTL {
		if n.set && f.dir.TTL == 0 {
			a.errs.add(f.optionPos(f.dir.Offsets[n.name]), "%s= needs ttl=: a result that never expires is never stale nor refreshed", n.name)
		}
	}
	none := fm.name + " returns none"
	if last := lastErrorLike(fm.sig.Results()); last != nil {
		none = fmt.Sprintf("%s's last result is of type %s, not error", fm.name, typeString(last.Type(), a.pkg.Types))
	}
	if o.ErrTTL > 0 && !fm.errors {
		a.errs.add(f.optionPos(f.dir.Offsets["errttl"]), "errttl= needs a function whose last result is an error; %s", none)
	}
	if o.StaleIfError > 0 && !fm.errors {
		a.errs.add(f.optionPos(f.dir.Offsets["stale_if_error"]), "stale_if_error= needs a function whose last result is an error; %s, so it never fails", none)
	}
	if o.ErrTTLIf != "" {
		pos := f.optionPos(f.dir.Offsets["errttl_if"])
		fn, _ := a.pkg.Types.Scope().Lookup(o.ErrTTLIf).(*types.Func)
		switch {
		case o.ErrTTL == 0:
			a.errs.add(pos, "errttl_if= needs errttl=: it picks which errors errttl= caches")
		case fn == nil || !isErrorPredicate(fn.Type().(*types.Signature)):
			a.errs.add(pos, "errttl_if=%s: want a function of package %s declared func(error) bool", o.ErrTTLIf, a.pkg.Types.Name())
		}
	}
	if o.ErrTTL > 0 {
		fm.errorVars = errorVars(a.pkg.Types, a.pkg.Fset, a.pkg.Syntax, a.pkg.Fset.Position(f.decl.Pos()).Filename)
	}
}

// isErrorPredicate reports whether sig is func(error) bool.
func isErrorPredicate(sig *types.Signature) bool {
	return sig.TypeParams().Len() == 0 && !sig.Variadic() &&
		sig.Params().Len() == 1 && isError(sig.Params().At(0).Type()) &&
		sig.Results().Len() == 1 && types.Identical(sig.Results().At(0).Type(), types.Typ[types.Bool])
}

// errorVars returns the names of the package-level variables, exported or
// not, whose type is error or implements it, declared in file or in a file
// without build constraints (so that the generated file, which carries
// file's constraint, always sees them), in name order.
func errorVars(pkg *types.Package, fset *token.FileSet, files []*ast.File, file string) []string {
	errType := types.Universe.Lookup("error").Type().Underlying().(*types.Interface)
	var names []string
	for _, name := range pkg.Scope().Names() {
		v, ok := pkg.Scope().Lookup(name).(*types.Var)
		if !ok || !types.Implements(v.Type(), errType) {
			continue
		}
		for _, f := range files {
			if f.FileStart <= v.Pos() && v.Pos() < f.FileEnd {
				if path := fset.Position(f.Package).Filename; path == file || unconstrained(f, path) {
					names = append(names, name)
				}
				break
			}
		}
	}
	sort.Strings(names)
	return names
}

// unconstrained reports whether f, at path, has no build constraint: no
// //go:build or // +build line and no GOOS or GOARCH in its name.
func unconstrained(f *ast.File, path string) bool {
	if len(nameTags(filepath.Base(path))) > 0 {
		return false
	}
	for _, g := range f.Comments {
		if g.Pos() > f.Package {
			break
		}
		for _, c := range g.List {
			if strings.HasPrefix(c.Text, "//go:build") || strings.HasPrefix(c.Text, "// +build") {
				return false
			}
		}
	}
	return true
}

// lastErrorLike returns the last of results when its type implements
// error without being error itself (*NotFound, interface{ error; Code()
// int }), which memogen treats as a value, not as the function's error;
// nil otherwise.
func lastErrorLike(results *types.Tuple) *types.Var {
	if results.Len() == 0 {
		return nil
	}
	last := results.At(results.Len() - 1)
	errType := types.Universe.Lookup("error").Type().Underlying().(*types.Interface)
	if isError(last.Type()) || !types.Implements(last.Type(), errType) {
		return nil
	}
	return last
}
