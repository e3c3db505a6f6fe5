package generator

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
	"sync"

	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/types/typeutil"
)

// The package-level directives declare what the //memo:cache directives
// of a package may refer to:
//
//	//memo:codec protobuf        a codec the program registers with store.RegisterCodec
//	//memo:compressor brotli     a compressor it registers with store.RegisterCompressor
//	//memo:key                   on func keyOfFoo(w *memo.KeyWriter, v foreign.Foo): keys every foo.Foo
//
// The first two may stand in any comment of a non-test file and name one or
// more codecs or compressors; the third is in the doc comment of a
// top-level function.
const (
	codecDirective      = "codec"
	compressorDirective = "compressor"
	keyDirective        = "key"
)

// declarations are what a package's package-level directives declare.
type declarations struct {
	codecs      map[string]bool // declared with //memo:codec
	compressors map[string]bool // declared with //memo:compressor
	keyFuncs    typeutil.Map    // types.Type → *types.Func declared with //memo:key
	keyFuncList []*types.Func   // the same functions, in the order declared
}

// packageDirective reports whether name, as in //memo:name, is a
// package-level directive, which scanDeclarations reads.
func packageDirective(name string) bool {
	return name == codecDirective || name == compressorDirective || name == keyDirective
}

// scanDeclarations reads the package-level directives of pkg, reporting
// each mistake in them.
func scanDeclarations(pkg *packages.Package, errs *errorList) *declarations {
	d := &declarations{codecs: map[string]bool{}, compressors: map[string]bool{}}
	for _, file := range pkg.Syntax {
		docs := make(map[*ast.CommentGroup]*ast.FuncDecl)
		for _, decl := range file.Decls {
			if fd, ok := decl.(*ast.FuncDecl); ok && fd.Doc != nil {
				docs[fd.Doc] = fd
			}
		}
		for _, group := range file.Comments {
			for _, c := range group.List {
				rest, ok := strings.CutPrefix(c.Text, directivePrefix)
				if !ok {
					continue
				}
				name, args, _ := strings.Cut(rest, " ")
				pos := pkg.Fset.Position(c.Slash)
				switch name {
				case codecDirective:
					d.names(pos, name, args, d.codecs, errs)
				case compressorDirective:
					d.names(pos, name, args, d.compressors, errs)
				case keyDirective:
					d.keyFunc(pkg, pos, docs[group], args, errs)
				}
			}
		}
	}
	return d
}

// names records the codec or compressor names args lists.
func (d *declarations) names(pos token.Position, directive, args string, into map[string]bool, errs *errorList) {
	names := strings.Fields(args)
	if len(names) == 0 {
		errs.add(pos, "//memo:%s needs the name of the %s the program registers, such as //memo:%s %s", directive, directive, directive, map[string]string{codecDirective: "protobuf", compressorDirective: "brotli"}[directive])
		return
	}
	for _, n := range names {
		if !containsOnly(n, lowerDigits) {
			errs.add(pos, "invalid %s name %q: want lower-case letters and digits", directive, n)
			continue
		}
		into[n] = true
	}
}

// keyFunc records the key function that //memo:key documents, after
// checking its signature: func(w *memo.KeyWriter, v T), without results or
// type parameters.
func (d *declarations) keyFunc(pkg *packages.Package, pos token.Position, fd *ast.FuncDecl, args string, errs *errorList) {
	if strings.TrimSpace(args) != "" {
		errs.add(pos, "//memo:key takes no options")
		return
	}
	if fd == nil || fd.Recv != nil {
		errs.add(pos, "//memo:key must be in the doc comment of a top-level function func(w *memo.KeyWriter, v T)")
		return
	}
	fn, ok := pkg.TypesInfo.Defs[fd.Name].(*types.Func)
	if !ok {
		errs.add(pos, "cannot resolve the type of %s", fd.Name.Name)
		return
	}
	sig := fn.Type().(*types.Signature)
	ps := sig.Params()
	if sig.TypeParams().Len() > 0 || sig.Variadic() || sig.Results().Len() != 0 || ps.Len() != 2 || !isKeyWriterPtr(ps.At(0).Type()) {
		errs.add(pos, "key function %s must have the signature func(w *memo.KeyWriter, v T), without results or type parameters", fn.Name())
		return
	}
	t := ps.At(1).Type()
	if invalidType(t) {
		errs.add(pos, "key function %s: its parameter has an invalid type; fix the package's type errors first", fn.Name())
		return
	}
	if prev, ok := d.keyFuncs.At(t).(*types.Func); ok {
		errs.add(pos, "key function %s keys %s, as %s (line %d) does already; keep one", fn.Name(), typeString(t, pkg.Types), prev.Name(), pkg.Fset.Position(prev.Pos()).Line)
		return
	}
	d.keyFuncs.Set(t, fn)
	d.keyFuncList = append(d.keyFuncList, fn)
}

func isKeyWriterPtr(t types.Type) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	return ok && isNamed(p.Elem(), runtimePath, "KeyWriter")
}

// keyFuncsByPackage holds the key functions of every package being
// generated, by *types.Package, for classify, which knows only the
// package it classifies for. Packages are distinct objects in every load,
// so concurrent runs never share an entry, and each is dropped once its
// package is generated (pkgPlan.forgetKeyFuncs).
var keyFuncsByPackage sync.Map

// setKeyFuncs makes the key functions d declares apply to types keyed in
// package local.
func setKeyFuncs(local *types.Package, d *declarations) {
	if d.keyFuncs.Len() > 0 {
		keyFuncsByPackage.Store(local, &d.keyFuncs)
	}
}

// forgetKeyFuncs drops the key functions of p's packages once they are
// analyzed and rendered, so that a long-lived process (an analyzer in an
// editor) does not keep every package it ever checked.
func (p *pkgPlan) forgetKeyFuncs() {
	for _, v := range p.variants {
		if v.pkg != nil {
			keyFuncsByPackage.Delete(v.pkg.Types)
		}
	}
}

// keyFuncFor returns the key function package local declares for values
// of type t, or nil.
func keyFuncFor(t types.Type, local *types.Package) *types.Func {
	m, ok := keyFuncsByPackage.Load(local)
	if !ok {
		return nil
	}
	fn, _ := m.(*typeutil.Map).At(t).(*types.Func)
	return fn
}
