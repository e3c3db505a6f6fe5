package generator

import (
	"go/types"
	"slices"
)

// scope returns the paths of the packages that the fingerprint of a
// function of the package at path resolves names and interface calls
// over, sorted: the package and the local packages it imports, directly or
// not. It follows the import graph, not the packages a run loads with
// syntax, so that the fingerprint does not depend on the patterns; all of
// them are loaded with syntax, unless memogen was given files.
func (fp *fingerprinter) scope(path string) []string {
	if s, ok := fp.scopes[path]; ok {
		return s
	}
	seen := map[string]bool{path: true}
	out := []string{path}
	for i := 0; i < len(out); i++ {
		for _, imp := range fp.imports[out[i]] {
			if !seen[imp] && fp.local(imp) {
				seen[imp] = true
				out = append(out, imp)
			}
		}
	}
	slices.Sort(out)
	fp.scopes[path] = out
	return out
}

// resolveIn returns what a node that depends on the scope stands for in
// the scope of the package at root.
func (fp *fingerprinter) resolveIn(n *node, root string) []*node {
	if nodes, ok := n.resolved[root]; ok {
		return nodes
	}
	var edges edgeSet
	for _, path := range fp.scope(root) {
		edges.add(n.resolve(path)...)
	}
	if n.resolved == nil {
		n.resolved = make(map[string][]*node)
	}
	n.resolved[root] = edges.list
	return edges.list
}

// pkgIndex indexes what a package declares by name.
type pkgIndex struct {
	byMethod map[string][]*types.Named // concrete types by the names of their pointers' methods, promoted ones included
	funcs    map[string][]*types.Func  // functions and concrete types' declared methods, by name
}

// index returns the index of a package loaded with syntax, or nil.
func (fp *fingerprinter) index(path string) *pkgIndex {
	if idx, ok := fp.indexes[path]; ok {
		return idx
	}
	p := fp.source[path]
	if p == nil {
		fp.indexes[path] = nil
		return nil
	}
	idx := &pkgIndex{byMethod: make(map[string][]*types.Named), funcs: make(map[string][]*types.Func)}
	scope := p.Types.Scope()
	for _, name := range scope.Names() {
		switch obj := scope.Lookup(name).(type) {
		case *types.Func:
			idx.funcs[name] = append(idx.funcs[name], obj)
		case *types.TypeName:
			named, ok := obj.Type().(*types.Named)
			if obj.IsAlias() || !ok || types.IsInterface(named) {
				continue
			}
			for i := range named.NumMethods() {
				m := named.Method(i)
				idx.funcs[m.Name()] = append(idx.funcs[m.Name()], m)
			}
			ms := types.NewMethodSet(types.NewPointer(named))
			for i := range ms.Len() {
				m := ms.At(i).Obj().Name()
				idx.byMethod[m] = append(idx.byMethod[m], named)
			}
		}
	}
	fp.indexes[path] = idx
	return idx
}

// named returns the functions and concrete methods the package at path
// declares under name, and those that its generated wrappers of that
// name call; nil for a package loaded without syntax.
func (fp *fingerprinter) named(path, name string) []*types.Func {
	idx := fp.index(path)
	if idx == nil {
		return nil
	}
	return append(slices.Clone(idx.funcs[name]), fp.wrappersByName[path][name]...)
}

// scopedNode returns the node under key that stands for resolve's
// results in the scope. A package of the scope loaded without syntax
// stands for itself, by its files.
func (fp *fingerprinter) scopedNode(key string, resolve func(path string) []*node) *node {
	if n, ok := fp.nodes[key]; ok {
		return n
	}
	n := &node{key: key, resolve: func(path string) []*node {
		if fp.index(path) == nil {
			return []*node{fp.filesNode(path)}
		}
		return resolve(path)
	}}
	fp.nodes[key] = n
	return n
}

// implementationsNode returns the node of the methods that a call of the
// interface method fn may run: those of every concrete type of the scope
// that implements fn's interface, and the functions behind its wrappers
// of that name (a wrapper method implements the interface in the compiled
// program, not in the load). When the interface is a constraint, or
// mentions a type parameter, or the type is generic, every type with a
// method of that name counts.
func (fp *fingerprinter) implementationsNode(fn *types.Func) *node {
	recv := fn.Signature().Recv().Type()
	iface, _ := recv.Underlying().(*types.Interface)
	exact := iface != nil && iface.IsMethodSet() && !mentionsTypeParam(iface, nil)
	return fp.scopedNode("i:"+types.TypeString(recv, pathQualifier)+"."+fn.Id(), func(path string) []*node {
		var out []*node
		for _, t := range fp.index(path).byMethod[fn.Name()] {
			if exact && t.TypeParams().Len() == 0 && !types.Implements(t, iface) && !types.Implements(types.NewPointer(t), iface) {
				continue
			}
			obj, _, _ := types.LookupFieldOrMethod(t, true, fn.Pkg(), fn.Name())
			if m, ok := obj.(*types.Func); ok && !abstract(m) {
				out = append(out, fp.funcNode(m))
			}
		}
		for _, wrapped := range fp.wrappersByName[path][fn.Name()] {
			out = append(out, fp.funcNode(wrapped))
		}
		return out
	})
}

// nameNode returns the node of everything a selector the type checker
// could not resolve may select, name being the selector: every function
// and method of the scope of that name, and the functions behind its
// wrappers of that name. Such a selector is one of a generated wrapper,
// or one applied to a value whose type is unknown because a wrapper
// returned it.
func (fp *fingerprinter) nameNode(name string) *node {
	return fp.scopedNode("n:"+name, func(path string) []*node {
		var out []*node
		for _, fn := range fp.named(path, name) {
			out = append(out, fp.funcNode(fn))
		}
		return out
	})
}

// resultsNode returns the node of what converting to an interface the
// results of whatever nameNode(name) stands for reaches (see convNodes):
// when a value of unknown type is converted, its type is one of those
// results or reachable from them.
func (fp *fingerprinter) resultsNode(name string) *node {
	return fp.scopedNode("r:"+name, func(path string) []*node {
		var out []*node
		for _, fn := range fp.named(path, name) {
			out = append(out, fp.convNodes(fn.Signature().Results())...)
		}
		return out
	})
}

// mentionsTypeParam reports whether t mentions a type parameter.
func mentionsTypeParam(t types.Type, seen map[types.Type]bool) bool {
	if seen[t] {
		return false
	}
	if seen == nil {
		seen = make(map[types.Type]bool)
	}
	seen[t] = true
	switch t := t.(type) {
	case *types.TypeParam:
		return true
	case *types.Alias:
		return mentionsTypeParam(types.Unalias(t), seen)
	case *types.Named:
		args := t.TypeArgs()
		for i := range args.Len() {
			if mentionsTypeParam(args.At(i), seen) {
				return true
			}
		}
	case *types.Pointer:
		return mentionsTypeParam(t.Elem(), seen)
	case *types.Slice:
		return mentionsTypeParam(t.Elem(), seen)
	case *types.Array:
		return mentionsTypeParam(t.Elem(), seen)
	case *types.Chan:
		return mentionsTypeParam(t.Elem(), seen)
	case *types.Map:
		return mentionsTypeParam(t.Key(), seen) || mentionsTypeParam(t.Elem(), seen)
	case *types.Signature:
		return mentionsTypeParam(t.Params(), seen) || mentionsTypeParam(t.Results(), seen)
	case *types.Tuple:
		for i := range t.Len() {
			if mentionsTypeParam(t.At(i).Type(), seen) {
				return true
			}
		}
	case *types.Struct:
		for i := range t.NumFields() {
			if mentionsTypeParam(t.Field(i).Type(), seen) {
				return true
			}
		}
	case *types.Interface:
		for i := range t.NumExplicitMethods() {
			if mentionsTypeParam(t.ExplicitMethod(i).Type(), seen) {
				return true
			}
		}
		for i := range t.NumEmbeddeds() {
			if mentionsTypeParam(t.EmbeddedType(i), seen) {
				return true
			}
		}
	case *types.Union:
		for i := range t.Len() {
			if mentionsTypeParam(t.Term(i).Type(), seen) {
				return true
			}
		}
	}
	return false
}
