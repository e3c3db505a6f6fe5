package generator

import (
	"crypto/sha256"
	"fmt"
	"go/types"
	"io"
	"slices"
	"strings"
)

// consultedMethods are the methods codecs and keys call on a value when its
// type has them: a type's fingerprint covers their signatures, and their
// code when it is local.
var consultedMethods = []string{
	"DecodeMsgpack", "EncodeMsgpack",
	"GobDecode", "GobEncode",
	"MarshalBinary", "MarshalJSON", "MarshalMsgpack", "MarshalText",
	"MemoKey",
	"UnmarshalBinary", "UnmarshalJSON", "UnmarshalMsgpack", "UnmarshalText",
}

// typeNodes returns the nodes of the package-level named types t refers
// to, walking its structure.
func (fp *fingerprinter) typeNodes(t types.Type) []*node {
	var edges edgeSet
	w := &typeWriter{fp: fp, h: io.Discard, edges: &edges}
	w.write(t)
	return edges.list
}

// typeNode returns the node of a package-level named type, instantiated or
// not. A local type's digest covers its type parameters, its whole
// structure and its consulted methods, with their code; a standard
// library type's, its exported structure and its consulted methods'
// signatures, which do not change with the toolchain unless the codecs
// would see a difference; another module's type, its type arguments, its
// version saying the rest.
func (fp *fingerprinter) typeNode(t *types.Named) *node {
	key := "t:" + types.TypeString(t, pathQualifier)
	if n, ok := fp.nodes[key]; ok {
		return n
	}
	n := &node{key: key}
	fp.nodes[key] = n // before walking: recursive types end here
	path := t.Obj().Pkg().Path()
	h := sha256.New()
	var edges edgeSet
	w := &typeWriter{fp: fp, h: h, edges: &edges}
	switch {
	case fp.local(path) || fp.source[path] != nil:
		w.all = true
		tps := t.Origin().TypeParams()
		for i := range tps.Len() {
			fmt.Fprintf(h, "tp %s ", tps.At(i).Obj().Name())
			w.write(tps.At(i).Constraint())
		}
		w.write(t.Underlying())
		w.consulted(t)
	case fp.modules[path] == nil:
		w.write(t.Underlying())
		w.consulted(t)
	default:
		args := t.TypeArgs()
		for i := range args.Len() {
			w.write(args.At(i))
		}
	}
	edges.add(fp.moduleNode(path), fp.sourcesNode(path))
	n.digest, n.edges = h.Sum(nil), edges.list
	return n
}

// typeWriter writes a type's structure, naming package-level named types
// by key and collecting their nodes.
type typeWriter struct {
	fp    *fingerprinter
	h     io.Writer
	edges *edgeSet
	// all includes unexported fields and methods: the type is local. The
	// exported structure of another module's type is all codecs see, and
	// its unexported parts may change with the toolchain.
	all    bool
	inline map[*types.Named]bool // function-local types being written, for recursive ones
}

func (w *typeWriter) printf(format string, args ...any) { fmt.Fprintf(w.h, format, args...) }

func (w *typeWriter) write(t types.Type) {
	switch t := t.(type) {
	case nil:
		w.printf("nil")
	case *types.Alias:
		w.write(types.Unalias(t))
	case *types.Basic:
		w.printf("%s", types.TypeString(t, nil))
	case *types.Named:
		w.named(t)
	case *types.TypeParam:
		w.printf("P%d.%s", t.Index(), t.Obj().Name())
	case *types.Pointer:
		w.printf("*")
		w.write(t.Elem())
	case *types.Slice:
		w.printf("[]")
		w.write(t.Elem())
	case *types.Array:
		w.printf("[%d]", t.Len())
		w.write(t.Elem())
	case *types.Map:
		w.printf("map[")
		w.write(t.Key())
		w.printf("]")
		w.write(t.Elem())
	case *types.Chan:
		w.printf("chan%d ", t.Dir())
		w.write(t.Elem())
	case *types.Signature:
		w.printf("func")
		w.tuple(t.Params())
		if t.Variadic() {
			w.printf("...")
		}
		w.tuple(t.Results())
	case *types.Tuple:
		w.tuple(t)
	case *types.Struct:
		w.printf("struct{")
		for i := range t.NumFields() {
			f := t.Field(i)
			if !w.all && !f.Exported() && !f.Embedded() {
				continue
			}
			w.printf("%s %t %q ", f.Name(), f.Embedded(), t.Tag(i))
			w.write(f.Type())
			w.printf(";")
		}
		w.printf("}")
	case *types.Interface:
		w.iface(t)
	case *types.Union:
		w.printf("union(")
		for i := range t.Len() {
			w.printf("%t ", t.Term(i).Tilde())
			w.write(t.Term(i).Type())
			w.printf("|")
		}
		w.printf(")")
	default:
		w.printf("%T", t)
	}
}

func (w *typeWriter) named(t *types.Named) {
	obj := t.Origin().Obj()
	switch {
	case obj.Pkg() == nil: // error, comparable
		w.printf("%s", obj.Name())
	case !packageLevel(obj):
		// A type declared in a function, whose code covers it; it has no
		// methods, so its structure is all there is.
		w.printf("local %s", obj.Name())
		if w.inline[t] {
			return
		}
		if w.inline == nil {
			w.inline = make(map[*types.Named]bool)
		}
		w.inline[t] = true
		w.write(t.Underlying())
	default:
		n := w.fp.typeNode(t)
		w.printf("%s", n.key)
		w.edges.add(n)
		// The arguments are in the key; walk them for their nodes.
		args := t.TypeArgs()
		for i := range args.Len() {
			w.write(args.At(i))
		}
	}
}

func (w *typeWriter) tuple(t *types.Tuple) {
	w.printf("(")
	for i := range t.Len() {
		w.write(t.At(i).Type())
		w.printf(",")
	}
	w.printf(")")
}

func (w *typeWriter) iface(t *types.Interface) {
	w.printf("interface{")
	var methods []*types.Func
	for i := range t.NumExplicitMethods() {
		if m := t.ExplicitMethod(i); w.all || m.Exported() {
			methods = append(methods, m)
		}
	}
	slices.SortFunc(methods, func(a, b *types.Func) int { return strings.Compare(a.Id(), b.Id()) })
	for _, m := range methods {
		w.printf("%s ", m.Name())
		w.write(m.Type())
		w.printf(";")
	}
	for i := range t.NumEmbeddeds() {
		w.printf("embed ")
		w.write(t.EmbeddedType(i))
		w.printf(";")
	}
	w.printf("}")
}

// consulted writes which of consultedMethods t has, with their signatures
// and whether only *t has them, and reaches their code.
func (w *typeWriter) consulted(t *types.Named) {
	if types.IsInterface(t) {
		return
	}
	ptr := types.NewMethodSet(types.NewPointer(t))
	val := types.NewMethodSet(t)
	for _, name := range consultedMethods {
		sel := ptr.Lookup(nil, name)
		if sel == nil {
			continue
		}
		fn, ok := sel.Obj().(*types.Func)
		if !ok {
			continue
		}
		w.printf("method %s %t ", name, val.Lookup(nil, name) != nil)
		w.write(fn.Type())
		w.printf(";")
		w.edges.add(w.fp.funcNodes(fn)...)
	}
}
