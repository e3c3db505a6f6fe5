package generator

import "go/types"

// convNodes returns the nodes a value of type t brings in when it is
// converted to an interface (or given as a type argument): those of
// convNode for every named type reachable from t.
func (fp *fingerprinter) convNodes(t types.Type) []*node {
	if t == nil {
		return nil
	}
	if nodes, ok := fp.convs[t]; ok {
		return nodes
	}
	var edges edgeSet
	fp.reach(t, &edges, nil)
	fp.convs[t] = edges.list
	return edges.list
}

// reach adds the convNode of every package-level named type reachable
// from t to edges: through pointers, elements, map keys, fields (embedded
// or not), channels, function results and type arguments. Interfaces and
// type parameters end the walk: their dynamic values are converted
// elsewhere. inline holds the function-local types being walked.
func (fp *fingerprinter) reach(t types.Type, edges *edgeSet, inline map[*types.Named]bool) {
	switch t := t.(type) {
	case *types.Alias:
		fp.reach(types.Unalias(t), edges, inline)
	case *types.Named:
		switch obj := t.Obj(); {
		case obj.Pkg() == nil: // error, comparable
		case packageLevel(obj):
			edges.add(fp.convNode(t))
		case !inline[t]:
			if inline == nil {
				inline = make(map[*types.Named]bool)
			}
			inline[t] = true
			fp.reach(t.Underlying(), edges, inline)
		}
	case *types.Pointer:
		fp.reach(t.Elem(), edges, inline)
	case *types.Slice:
		fp.reach(t.Elem(), edges, inline)
	case *types.Array:
		fp.reach(t.Elem(), edges, inline)
	case *types.Chan:
		fp.reach(t.Elem(), edges, inline)
	case *types.Map:
		fp.reach(t.Key(), edges, inline)
		fp.reach(t.Elem(), edges, inline)
	case *types.Struct:
		for i := range t.NumFields() {
			fp.reach(t.Field(i).Type(), edges, inline)
		}
	case *types.Signature:
		fp.reach(t.Results(), edges, inline)
	case *types.Tuple:
		for i := range t.Len() {
			fp.reach(t.At(i).Type(), edges, inline)
		}
	}
}

// convNode returns the node of what converting a value of the
// package-level named type t to an interface reaches. Whoever holds the
// interface may call any method of the value, and of the values within
// it: fmt calls String, Error, Format or GoString on nested values,
// text/template any method, and code out of sight finds the rest by type
// assertion. So a local type's node reaches its definition, the code of
// all its methods (of T and of *T), and the nodes of the types reachable
// from its structure, its type arguments and its methods' results; a type
// of another module or of the standard library, those of its type
// arguments, and its module.
func (fp *fingerprinter) convNode(t *types.Named) *node {
	key := "v:" + types.TypeString(t, pathQualifier)
	if n, ok := fp.nodes[key]; ok {
		return n
	}
	n := &node{key: key}
	fp.nodes[key] = n // before walking: recursive types end here
	var edges edgeSet
	args := t.TypeArgs()
	for i := range args.Len() {
		fp.reach(args.At(i), &edges, nil)
	}
	path := t.Obj().Pkg().Path()
	switch {
	case types.IsInterface(t):
	case fp.local(path) || fp.source[path] != nil:
		edges.add(fp.typeNode(t))
		for i := range t.NumMethods() {
			m := t.Method(i)
			edges.add(fp.funcNode(m))
			fp.reach(m.Signature().Results(), &edges, nil)
		}
		fp.reach(t.Underlying(), &edges, nil)
	default:
		edges.add(fp.moduleNode(path))
	}
	n.edges = edges.list
	return n
}
