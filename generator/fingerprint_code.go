package generator

import (
	"crypto/sha256"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"go/version"
	"hash"
	"io"
	"reflect"
)

// walkCode digests a function's declaration: the Go version of its file,
// its syntax tree without positions or comments, then what each name in
// it resolves to, in order; and returns the nodes it reaches.
func (fp *fingerprinter) walkCode(src funcSource) ([]byte, edgeSet) {
	w := &codeWalker{fp: fp, info: src.pkg.TypesInfo, pkg: src.pkg.Types, h: sha256.New()}
	fmt.Fprintf(w.h, "go %s\x00", languageVersion(w.info.FileVersions[src.file]))
	writeNode(w.h, reflect.ValueOf(src.decl))
	ast.Inspect(src.decl, w.visit)
	if w.unknownConverted {
		w.unknownTypes()
	}
	return w.h.Sum(nil), w.edges
}

// languageVersion returns the language version of a file's Go version:
// what changes the meaning of its code (loop variables per iteration since
// go1.22). A release's patch number does not, and go get rewrites a go.mod
// line of "go 1.26" as "go 1.26.0": hashing the version as written would
// orphan every persistent entry for no change of meaning.
func languageVersion(v string) string { return version.Lang(v) }

// codeWalker walks one function declaration.
type codeWalker struct {
	fp    *fingerprinter
	info  *types.Info
	pkg   *types.Package
	h     hash.Hash
	edges edgeSet
	stack []ast.Node // the nodes enclosing the current one
	// Generated files are left out of the load, so values that generated
	// wrappers return have an invalid type, and so does what code derives
	// from them. wrapped and names are where such values can come from:
	// the functions behind the wrappers called, and the names of the
	// selectors that could not be resolved; unknownConverted records that
	// such a value was converted to an interface.
	wrapped          []*types.Func
	names            []string
	unknownConverted bool
}

func (w *codeWalker) visit(n ast.Node) bool {
	if n == nil {
		w.stack = w.stack[:len(w.stack)-1]
		return true
	}
	w.stack = append(w.stack, n)
	switch n := n.(type) {
	case *ast.Ident:
		if obj := w.info.Uses[n]; obj != nil {
			w.use(obj)
		} else if w.info.Defs[n] == nil && !w.isSel(n) {
			w.wrapper(w.pkg.Path() + "." + n.Name)
		}
		if inst, ok := w.info.Instances[n]; ok {
			// Generic code may convert a value of a type argument to an
			// interface, or call its methods through a constraint.
			for i := range inst.TypeArgs.Len() {
				w.converted(inst.TypeArgs.At(i))
			}
		}
	case *ast.SelectorExpr:
		if w.info.Uses[n.Sel] == nil {
			w.unresolved(n)
		}
	case *ast.IndexExpr:
		w.wrapperTypeArgs(n.X, n.Index)
	case *ast.IndexListExpr:
		w.wrapperTypeArgs(n.X, n.Indices...)
	case *ast.CallExpr:
		w.call(n)
	case *ast.AssignStmt:
		if n.Tok == token.ASSIGN || n.Tok == token.DEFINE {
			w.assign(n.Lhs, n.Rhs, nil)
		}
	case *ast.ValueSpec:
		if n.Type != nil {
			lhs := make([]ast.Expr, len(n.Names))
			for i, name := range n.Names {
				lhs[i] = name
			}
			w.assign(lhs, n.Values, w.info.TypeOf(n.Type))
		}
	case *ast.RangeStmt:
		if n.Tok == token.ASSIGN {
			key, value := rangeTypes(w.typeOf(n.X))
			if n.Key != nil {
				w.convert(key, w.typeOf(n.Key))
			}
			if n.Value != nil {
				w.convert(value, w.typeOf(n.Value))
			}
		}
	case *ast.ReturnStmt:
		w.returns(n)
	case *ast.CompositeLit:
		w.compositeLit(n)
	case *ast.SendStmt:
		if ch, ok := coreType(w.typeOf(n.Chan)).(*types.Chan); ok {
			w.convert(w.typeOf(n.Value), ch.Elem())
		} else {
			w.convert(w.typeOf(n.Value), w.typeOf(n.Chan))
		}
	}
	return true
}

// isSel reports whether id is the selector of the enclosing expression.
func (w *codeWalker) isSel(id *ast.Ident) bool {
	if len(w.stack) < 2 {
		return false
	}
	sel, ok := w.stack[len(w.stack)-2].(*ast.SelectorExpr)
	return ok && sel.Sel == id
}

// use records what a name resolves to.
func (w *codeWalker) use(obj types.Object) {
	switch o := obj.(type) {
	case *types.PkgName:
		path := o.Imported().Path()
		fmt.Fprintf(w.h, "p:%s\x00", path)
		if w.fp.source[path] == nil && w.fp.local(path) {
			// Loaded without syntax (memogen was given files): what the
			// code uses of it, generated wrappers included, is in its
			// files.
			w.edges.add(w.fp.filesNode(path))
		}
	case *types.Func:
		fmt.Fprintf(w.h, "%s\x00", funcKey(o.Origin()))
		w.edges.add(w.fp.funcNodes(o)...)
	case *types.Const:
		if packageLevel(o) {
			n := w.fp.constNode(o)
			fmt.Fprintf(w.h, "%s\x00", n.key)
			w.edges.add(n)
		}
	case *types.TypeName:
		if packageLevel(o) {
			fmt.Fprintf(w.h, "t:%s\x00", types.TypeString(o.Type(), pathQualifier))
			tw := &typeWriter{fp: w.fp, h: io.Discard, edges: &w.edges, all: true}
			if path := o.Pkg().Path(); o.IsAlias() && (w.fp.local(path) || w.fp.source[path] != nil) {
				// A local alias's name says nothing of what it stands
				// for, which may be free of named types: [2]int,
				// float64. Another module's version says it.
				tw.h = w.h
			}
			tw.write(o.Type())
		}
	case *types.Var:
		if packageLevel(o) {
			fmt.Fprintf(w.h, "v:%s.%s\x00", o.Pkg().Path(), o.Name())
		}
	}
}

// wrapper records a call of a generated wrapper, by its key in
// fingerprinter.wrappers, as a call of the function it wraps.
func (w *codeWalker) wrapper(key string) {
	if fn, ok := w.fp.wrappers[key]; ok {
		fmt.Fprintf(w.h, "w:%s\x00", key)
		w.edges.add(w.fp.funcNodes(fn)...)
		w.wrapped = append(w.wrapped, fn)
	}
}

// wrapperOf returns the function behind the wrapper that fun names
// (Wrapper, pkg.Wrapper, instantiated or not), or nil.
func (w *codeWalker) wrapperOf(fun ast.Expr) *types.Func {
	switch f := ast.Unparen(fun).(type) {
	case *ast.IndexExpr: // Wrapper[T]
		return w.wrapperOf(f.X)
	case *ast.IndexListExpr:
		return w.wrapperOf(f.X)
	case *ast.Ident:
		if w.info.Uses[f] == nil {
			return w.fp.wrappers[w.pkg.Path()+"."+f.Name]
		}
	case *ast.SelectorExpr:
		if x, ok := f.X.(*ast.Ident); ok && w.info.Uses[f.Sel] == nil {
			if pn, ok := w.info.Uses[x].(*types.PkgName); ok {
				return w.fp.wrappers[pn.Imported().Path()+"."+f.Sel.Name]
			}
		}
	}
	return nil
}

// wrapperTypeArgs records the explicit type arguments of a generic
// wrapper, whose instantiation the type checker cannot see, as type
// arguments (see visit).
func (w *codeWalker) wrapperTypeArgs(fun ast.Expr, indices ...ast.Expr) {
	if w.wrapperOf(fun) == nil {
		return
	}
	for _, index := range indices {
		if tv, ok := w.info.Types[index]; ok && tv.IsType() {
			w.converted(tv.Type)
		}
	}
}

// unresolved records a selector the type checker could not resolve:
// pkg.Wrapper, or x.Name where Name is a wrapper method, promoted or not,
// or x's type is unknown. What it may select is resolved by name in the
// scope.
func (w *codeWalker) unresolved(sel *ast.SelectorExpr) {
	if x, ok := sel.X.(*ast.Ident); ok {
		if pn, ok := w.info.Uses[x].(*types.PkgName); ok {
			w.wrapper(pn.Imported().Path() + "." + sel.Sel.Name)
			return
		}
	}
	w.edges.add(w.fp.nameNode(sel.Sel.Name))
	w.names = append(w.names, sel.Sel.Name)
}

// unknownTypes reaches, for a value of unknown type converted to an
// interface, what converting any type it may have reaches: the results of
// the wrappers called and of everything the unresolved selectors may
// select, which every value of unknown type derives from.
func (w *codeWalker) unknownTypes() {
	for _, fn := range w.wrapped {
		w.edges.add(w.fp.convNodes(fn.Signature().Results())...)
	}
	for _, name := range w.names {
		w.edges.add(w.fp.resultsNode(name))
	}
}

// call records the conversions of a call's arguments to interface
// parameters, and of an explicit conversion to an interface.
func (w *codeWalker) call(call *ast.CallExpr) {
	tv, ok := w.info.Types[call.Fun]
	if ok && tv.IsType() {
		if len(call.Args) == 1 {
			w.convert(w.typeOf(call.Args[0]), tv.Type)
		}
		return
	}
	sig, _ := coreType(tv.Type).(*types.Signature)
	if fn := w.wrapperOf(call.Fun); fn != nil {
		sig = fn.Signature()
	}
	if sig == nil {
		// An unknown function (an unresolved selector) may take
		// interfaces.
		for _, arg := range call.Args {
			w.converted(w.typeOf(arg))
		}
		return
	}
	params := sig.Params()
	param := func(i int) types.Type {
		if sig.Variadic() && i >= params.Len()-1 {
			last := params.At(params.Len() - 1).Type()
			if call.Ellipsis.IsValid() {
				return last
			}
			if s, ok := coreType(last).(*types.Slice); ok {
				return s.Elem()
			}
			return nil
		}
		if i < params.Len() {
			return params.At(i).Type()
		}
		return nil
	}
	if len(call.Args) == 1 {
		if tuple, ok := w.info.TypeOf(call.Args[0]).(*types.Tuple); ok {
			for i := range tuple.Len() {
				w.convert(tuple.At(i).Type(), param(i))
			}
			return
		}
	}
	for i, arg := range call.Args {
		w.convert(w.typeOf(arg), param(i))
	}
}

// returns records the conversions of returned values to interface results.
func (w *codeWalker) returns(ret *ast.ReturnStmt) {
	var sig *types.Signature
	for i := len(w.stack) - 2; i >= 0 && sig == nil; i-- {
		switch f := w.stack[i].(type) {
		case *ast.FuncLit:
			sig, _ = w.info.TypeOf(f).(*types.Signature)
		case *ast.FuncDecl:
			if fn, ok := w.info.Defs[f.Name].(*types.Func); ok {
				sig = fn.Signature()
			}
		}
	}
	if sig == nil {
		return
	}
	results := sig.Results()
	if len(ret.Results) == 1 && results.Len() > 1 {
		// A call's results; of unknown types when it calls a wrapper.
		tuple, ok := w.info.TypeOf(ret.Results[0]).(*types.Tuple)
		for i := range results.Len() {
			switch {
			case !ok:
				w.convert(types.Typ[types.Invalid], results.At(i).Type())
			case i < tuple.Len():
				w.convert(tuple.At(i).Type(), results.At(i).Type())
			}
		}
		return
	}
	if len(ret.Results) == results.Len() {
		for i, r := range ret.Results {
			w.convert(w.typeOf(r), results.At(i).Type())
		}
	}
}

// compositeLit records the conversions of a literal's elements to
// interface fields, elements, keys and values.
func (w *codeWalker) compositeLit(lit *ast.CompositeLit) {
	t := coreType(w.info.TypeOf(lit))
	if p, ok := t.(*types.Pointer); ok {
		t = coreType(p.Elem())
	}
	for i, elt := range lit.Elts {
		kv, keyed := elt.(*ast.KeyValueExpr)
		value := elt
		if keyed {
			value = kv.Value
		}
		switch u := t.(type) {
		case *types.Struct:
			switch {
			case keyed:
				if id, ok := kv.Key.(*ast.Ident); ok {
					if f, ok := w.info.Uses[id].(*types.Var); ok {
						w.convert(w.typeOf(value), f.Type())
					}
				}
			case i < u.NumFields():
				w.convert(w.typeOf(value), u.Field(i).Type())
			}
		case *types.Slice:
			w.convert(w.typeOf(value), u.Elem())
		case *types.Array:
			w.convert(w.typeOf(value), u.Elem())
		case *types.Map:
			if keyed {
				w.convert(w.typeOf(kv.Key), u.Key())
			}
			w.convert(w.typeOf(value), u.Elem())
		}
	}
}

// assign records the conversions of an assignment's values to the types
// of its left-hand sides, or to typ when it is given (var x, y T = …). The
// variables an assignment declares take their values' types.
func (w *codeWalker) assign(lhs, rhs []ast.Expr, typ types.Type) {
	target := func(i int) types.Type {
		if typ != nil {
			return typ
		}
		if id, ok := lhs[i].(*ast.Ident); ok && w.info.Defs[id] != nil {
			return nil
		}
		return w.typeOf(lhs[i])
	}
	if len(lhs) == len(rhs) {
		for i := range lhs {
			w.convert(w.typeOf(rhs[i]), target(i))
		}
		return
	}
	if len(rhs) != 1 {
		return
	}
	t := w.typeOf(rhs[0])
	tuple, ok := t.(*types.Tuple)
	for i := range lhs {
		switch {
		case ok && i < tuple.Len():
			w.convert(tuple.At(i).Type(), target(i))
		case !ok:
			w.convert(t, target(i)) // a call of unknown type
		}
	}
}

// rangeTypes returns the types of the iteration values of a range over a
// value of type t; both are t when it is unknown.
func rangeTypes(t types.Type) (key, value types.Type) {
	if invalid(t) {
		return t, t
	}
	switch u := coreType(t).(type) {
	case *types.Basic:
		if u.Info()&types.IsString != 0 {
			return types.Typ[types.Int], types.Typ[types.Rune]
		}
		return t, nil
	case *types.Pointer:
		if a, ok := coreType(u.Elem()).(*types.Array); ok {
			return types.Typ[types.Int], a.Elem()
		}
	case *types.Array:
		return types.Typ[types.Int], u.Elem()
	case *types.Slice:
		return types.Typ[types.Int], u.Elem()
	case *types.Map:
		return u.Key(), u.Elem()
	case *types.Chan:
		return u.Elem(), nil
	case *types.Signature:
		if u.Params().Len() == 1 {
			if yield, ok := coreType(u.Params().At(0).Type()).(*types.Signature); ok {
				ps := yield.Params()
				if ps.Len() > 0 {
					key = ps.At(0).Type()
				}
				if ps.Len() > 1 {
					value = ps.At(1).Type()
				}
				return key, value
			}
		}
	}
	return nil, nil
}

// convert records a value of type from converted to type to, when to is
// an interface or unknown (see converted).
func (w *codeWalker) convert(from, to types.Type) {
	if to == nil || !invalid(to) && !types.IsInterface(to) {
		return
	}
	w.converted(from)
}

// converted records a value of type t converted to an interface: whoever
// holds the interface may call any method of the value and of the values
// within it (code out of sight finds them by type assertion), so all of
// them are reached (see convNode). A value of an interface type was
// converted where its dynamic value was; one of unknown type makes the
// walk reach all that the types it may have reach (see unknownTypes).
func (w *codeWalker) converted(t types.Type) {
	switch {
	case t == nil || invalid(t):
		w.unknownConverted = true
	case !types.IsInterface(t):
		w.edges.add(w.fp.convNodes(t)...)
	}
}

// typeOf returns e's type: unknown (invalid) when the type checker
// recorded none, which it does not for expressions of invalid type; nil
// for the blank identifier.
func (w *codeWalker) typeOf(e ast.Expr) types.Type {
	if id, ok := e.(*ast.Ident); ok && id.Name == "_" {
		return nil
	}
	if t := w.info.TypeOf(e); t != nil {
		return t
	}
	return types.Typ[types.Invalid]
}

// invalid reports whether t is unknown to the type checker, or made of
// such a type.
func invalid(t types.Type) bool {
	switch t := t.(type) {
	case *types.Basic:
		return t.Kind() == types.Invalid
	case *types.Pointer:
		return invalid(t.Elem())
	case *types.Slice:
		return invalid(t.Elem())
	case *types.Array:
		return invalid(t.Elem())
	case *types.Chan:
		return invalid(t.Elem())
	case *types.Map:
		return invalid(t.Key()) || invalid(t.Elem())
	}
	return false
}

// coreType returns t's underlying type; nil for a type parameter, whose
// values the walk does not follow.
func coreType(t types.Type) types.Type {
	if _, ok := t.(*types.TypeParam); ok || t == nil {
		return nil
	}
	return t.Underlying()
}

var (
	posType          = reflect.TypeFor[token.Pos]()
	commentGroupType = reflect.TypeFor[*ast.CommentGroup]()
	//lint:ignore SA1019 the walk recognises the deprecated fields to skip them
	objectType = reflect.TypeFor[*ast.Object]()
	//lint:ignore SA1019 the walk recognises the deprecated fields to skip them
	scopeType = reflect.TypeFor[*ast.Scope]()
)

// writeNode writes a syntax tree's shape and contents to h: node types,
// identifiers, literals and operators, skipping positions, comments and the
// resolver's objects.
func writeNode(h hash.Hash, v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			h.Write([]byte{0})
			return
		}
		writeNode(h, v.Elem())
	case reflect.Struct:
		fmt.Fprintf(h, "(%s", v.Type().Name())
		for i := range v.NumField() {
			f := v.Field(i)
			switch f.Type() {
			case posType, commentGroupType, objectType, scopeType:
				continue
			}
			writeNode(h, f)
		}
		h.Write([]byte{')'})
	case reflect.Slice:
		fmt.Fprintf(h, "[%d", v.Len())
		for i := range v.Len() {
			writeNode(h, v.Index(i))
		}
		h.Write([]byte{']'})
	case reflect.String:
		fmt.Fprintf(h, "%q", v.String())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		fmt.Fprintf(h, "%d", v.Int())
	case reflect.Bool:
		fmt.Fprintf(h, "%t", v.Bool())
	}
}
