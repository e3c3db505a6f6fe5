package generator

import (
	"crypto/sha256"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"hash"
	"reflect"
)

// walkCode digests a function's declaration: its syntax tree without
// positions or comments, then what each name in it resolves to, in order;
// and returns the nodes it reaches.
func (fp *fingerprinter) walkCode(src funcSource) ([]byte, []*node) {
	w := &codeWalker{fp: fp, info: src.pkg.TypesInfo, pkg: src.pkg.Types, h: sha256.New()}
	writeNode(w.h, reflect.ValueOf(src.decl))
	ast.Inspect(src.decl, w.visit)
	return w.h.Sum(nil), w.edges.list
}

// codeWalker walks one function declaration.
type codeWalker struct {
	fp    *fingerprinter
	info  *types.Info
	pkg   *types.Package
	h     hash.Hash
	edges edgeSet
	stack []ast.Node // the nodes enclosing the current one
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
	case *ast.SelectorExpr:
		if w.info.Uses[n.Sel] == nil {
			w.wrapperSel(n)
		}
	case *ast.CallExpr:
		w.call(n)
	case *ast.AssignStmt:
		if len(n.Lhs) == len(n.Rhs) {
			for i := range n.Lhs {
				w.convert(w.info.TypeOf(n.Rhs[i]), w.info.TypeOf(n.Lhs[i]))
			}
		}
	case *ast.ValueSpec:
		if n.Type != nil {
			for _, v := range n.Values {
				w.convert(w.info.TypeOf(v), w.info.TypeOf(n.Type))
			}
		}
	case *ast.ReturnStmt:
		w.returns(n)
	case *ast.CompositeLit:
		w.compositeLit(n)
	case *ast.SendStmt:
		if ch, ok := coreType(w.info.TypeOf(n.Chan)).(*types.Chan); ok {
			w.convert(w.info.TypeOf(n.Value), ch.Elem())
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
		fmt.Fprintf(w.h, "p:%s\x00", o.Imported().Path())
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
			w.edges.add(w.fp.typeNodes(o.Type())...)
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
	}
}

// wrapperSel resolves pkg.Wrapper and x.Wrapper, which the type checker
// could not.
func (w *codeWalker) wrapperSel(sel *ast.SelectorExpr) {
	if x, ok := sel.X.(*ast.Ident); ok {
		if pn, ok := w.info.Uses[x].(*types.PkgName); ok {
			w.wrapper(pn.Imported().Path() + "." + sel.Sel.Name)
			return
		}
	}
	t := types.Unalias(w.info.TypeOf(sel.X))
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	if named, ok := t.(*types.Named); ok && named.Obj().Pkg() != nil {
		obj := named.Origin().Obj()
		w.wrapper(obj.Pkg().Path() + "." + obj.Name() + "." + sel.Sel.Name)
	}
}

// call records the conversions of a call's arguments to interface
// parameters, and of an explicit conversion to an interface.
func (w *codeWalker) call(call *ast.CallExpr) {
	tv, ok := w.info.Types[call.Fun]
	if !ok {
		return
	}
	if tv.IsType() {
		if len(call.Args) == 1 {
			w.convert(w.info.TypeOf(call.Args[0]), tv.Type)
		}
		return
	}
	sig, ok := coreType(tv.Type).(*types.Signature)
	if !ok {
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
		w.convert(w.info.TypeOf(arg), param(i))
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
		if tuple, ok := w.info.TypeOf(ret.Results[0]).(*types.Tuple); ok {
			for i := range min(tuple.Len(), results.Len()) {
				w.convert(tuple.At(i).Type(), results.At(i).Type())
			}
		}
		return
	}
	if len(ret.Results) == results.Len() {
		for i, r := range ret.Results {
			w.convert(w.info.TypeOf(r), results.At(i).Type())
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
						w.convert(w.info.TypeOf(value), f.Type())
					}
				}
			case i < u.NumFields():
				w.convert(w.info.TypeOf(value), u.Field(i).Type())
			}
		case *types.Slice:
			w.convert(w.info.TypeOf(value), u.Elem())
		case *types.Array:
			w.convert(w.info.TypeOf(value), u.Elem())
		case *types.Map:
			if keyed {
				w.convert(w.info.TypeOf(kv.Key), u.Key())
			}
			w.convert(w.info.TypeOf(value), u.Elem())
		}
	}
}

// convert records a value of type from converted to type to: when to is an
// interface and from is not, whoever holds the interface may call any
// method of from (code out of sight finds them by type assertion), so all
// of from's methods are reached.
func (w *codeWalker) convert(from, to types.Type) {
	if from == nil || to == nil || !types.IsInterface(to) || types.IsInterface(from) {
		return
	}
	ms := types.NewMethodSet(from)
	for i := range ms.Len() {
		if fn, ok := ms.At(i).Obj().(*types.Func); ok {
			w.edges.add(w.fp.funcNodes(fn)...)
		}
	}
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
	objectType       = reflect.TypeFor[*ast.Object]()
	scopeType        = reflect.TypeFor[*ast.Scope]()
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
