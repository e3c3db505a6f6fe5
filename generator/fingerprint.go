package generator

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"
)

// A fingerprint digests what makes a function's cached results valid, and
// generated code passes it to the runtime, which folds it into every
// byte-level key: when it changes, old entries are orphaned the next time
// code is generated. It covers the directive's options and everything the
// function can reach statically, as a graph of nodes:
//
//   - the code of every function and method of the local modules (see
//     localModule) that the function reaches: calls, method values,
//     functions referenced as values, calls through an interface (every
//     type of the loaded local packages that implements it contributes its
//     method), the methods of a value converted to an interface, and
//     generated wrappers called by name (through the function they wrap);
//   - the package-level constants that code reads, by value;
//   - the full definition of every type named in that code or in the
//     function's signature, transitively: fields and their order, names,
//     embedding, tags, underlying types, type parameters and arguments,
//     and the methods codecs and keys consult (consultedMethods), with
//     their code when local. Standard library types contribute their
//     exported structure and those methods' signatures, not the Go
//     version, so that generated files do not depend on the toolchain
//     that wrote them;
//   - for anything of another module, the module's path and version.
//
// A node's digest covers only its own definition (syntax without
// positions or comments, and what each name in it resolves to); the
// fingerprint hashes the sorted keys and digests of the nodes the function
// reaches, so editing what it cannot reach changes nothing. Package-level
// variables, files read at run time, cgo and assembly are not covered, nor
// the code of the standard library and of other modules beyond their
// versions: version= is for those.
type fingerprinter struct {
	modules map[string]*packages.Module // by package path; nil for the standard library
	files   map[string][]string         // Go files by package path
	source  map[string]bool             // paths of the packages loaded with syntax
	decls   map[*types.Func]funcSource  // declarations of the functions of those packages
	// wrappers maps "path.Wrapper" and "path.T.Wrapper" to the function a
	// generated wrapper calls: generated files are left out of the load,
	// so a call of a wrapper is an unresolved name.
	wrappers map[string]*types.Func
	concrete []*types.Named            // the loaded packages' package-level types other than interfaces
	byMethod map[string][]*types.Named // concrete types by the names of their methods (and their pointers'), built on first use
	nodes    map[string]*node
	impls    map[string][]*node // implementations of an interface method, by its receiver and name
}

// funcSource is a function's declaration and its package.
type funcSource struct {
	decl *ast.FuncDecl
	pkg  *packages.Package
}

// node is one thing a fingerprint covers: a function's code, a type's
// definition, a constant's value, a module's version.
type node struct {
	key    string // "f:path.Name", "f:path.T.M", "t:path.T[args]", "c:path.C", "m:module@version", "files:path"
	digest []byte // of the node's own definition
	edges  []*node
}

func newFingerprinter(l *loaded) *fingerprinter {
	fp := &fingerprinter{
		modules:  l.modules,
		files:    l.files,
		source:   make(map[string]bool),
		decls:    make(map[*types.Func]funcSource),
		wrappers: make(map[string]*types.Func),
		nodes:    make(map[string]*node),
		impls:    make(map[string][]*node),
	}
	for _, p := range l.source {
		fp.source[p.PkgPath] = true
		for _, file := range p.Syntax {
			for _, d := range file.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok {
					if fn, ok := p.TypesInfo.Defs[fd.Name].(*types.Func); ok {
						fp.decls[fn] = funcSource{decl: fd, pkg: p}
					}
				}
			}
			fp.indexWrappers(p, file)
		}
		scope := p.Types.Scope()
		for _, name := range scope.Names() {
			tn, ok := scope.Lookup(name).(*types.TypeName)
			if !ok || tn.IsAlias() {
				continue
			}
			if named, ok := tn.Type().(*types.Named); ok && !types.IsInterface(named) {
				fp.concrete = append(fp.concrete, named)
			}
		}
	}
	return fp
}

// indexWrappers records the wrappers the directives of file generate.
func (fp *fingerprinter) indexWrappers(p *packages.Package, file *ast.File) {
	var ignored errorList // reported when the package itself is generated
	for _, f := range scanFile(p.Fset, file, &ignored) {
		fn, ok := p.TypesInfo.Defs[f.decl.Name].(*types.Func)
		if !ok {
			continue
		}
		name := f.dir.Name
		if name == "" {
			name = fn.Name() + "Cached"
		}
		if recv := recvNamed(fn); recv != nil {
			name = recv.Obj().Name() + "." + name
		}
		fp.wrappers[p.PkgPath+"."+name] = fn
	}
}

// fingerprint returns the fingerprint of a memoized function: 32 hex
// digits.
func (fp *fingerprinter) fingerprint(fm *funcModel) string {
	root := fp.funcNode(fm.obj)
	roots := []*node{root}
	sigTypes := []types.Type{}
	for _, tuple := range []*types.Tuple{fm.sig.Params(), fm.sig.Results()} {
		for i := range tuple.Len() {
			sigTypes = append(sigTypes, tuple.At(i).Type())
		}
	}
	if fm.recv != nil {
		sigTypes = append(sigTypes, fm.recv.typ)
	}
	for _, t := range sigTypes {
		roots = append(roots, fp.typeNodes(t)...)
	}
	h := sha256.New()
	fmt.Fprintf(h, "memogen fingerprint 2\x00%s\x00%s\x00", fm.dir.Canonical, root.key)
	for _, n := range closure(roots) {
		fmt.Fprintf(h, "%s\x00%x\x00", n.key, n.digest)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// closure returns the nodes reachable from roots, sorted by key.
func closure(roots []*node) []*node {
	seen := make(map[*node]bool)
	var out []*node
	stack := slices.Clone(roots)
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n == nil || seen[n] {
			continue
		}
		seen[n] = true
		out = append(out, n)
		stack = append(stack, n.edges...)
	}
	slices.SortFunc(out, func(a, b *node) int { return strings.Compare(a.key, b.key) })
	return out
}

// local reports whether the package at path belongs to a local module,
// whose code, not a version, says what it does.
func (fp *fingerprinter) local(path string) bool { return localModule(fp.modules[path]) }

// funcNodes returns the nodes a reference to fn brings in: its code, or
// for an interface method the code of every implementation in the loaded
// packages.
func (fp *fingerprinter) funcNodes(fn *types.Func) []*node {
	if abstract(fn) {
		return fp.implementations(fn)
	}
	if n := fp.funcNode(fn); n != nil {
		return []*node{n}
	}
	return nil
}

// funcNode returns the node of a concrete function or method: its code
// when it was loaded with syntax, the files of its package when it is
// local but was not, else its module (nil for the standard library).
func (fp *fingerprinter) funcNode(fn *types.Func) *node {
	fn = fn.Origin()
	if fn.Pkg() == nil {
		return nil
	}
	path := fn.Pkg().Path()
	src, ok := fp.decls[fn]
	switch {
	case ok:
	case fp.source[path]:
		return nil // declared outside Go syntax: assembly, cgo
	case fp.local(path):
		return fp.filesNode(path)
	default:
		return fp.moduleNode(path)
	}
	key := funcKey(fn)
	if n, ok := fp.nodes[key]; ok {
		return n
	}
	n := &node{key: key}
	fp.nodes[key] = n // before walking: recursion ends here
	n.digest, n.edges = fp.walkCode(src)
	if m := fp.moduleNode(path); m != nil {
		n.edges = append(n.edges, m)
	}
	return n
}

// constNode returns the node of a package-level constant: its value and
// type.
func (fp *fingerprinter) constNode(c *types.Const) *node {
	path := c.Pkg().Path()
	key := "c:" + path + "." + c.Name()
	if n, ok := fp.nodes[key]; ok {
		return n
	}
	n := &node{key: key}
	fp.nodes[key] = n
	h := sha256.New()
	var edges edgeSet
	fmt.Fprintf(h, "%s\x00", c.Val().ExactString())
	w := &typeWriter{fp: fp, h: h, edges: &edges}
	w.write(c.Type())
	edges.add(fp.moduleNode(path))
	n.digest, n.edges = h.Sum(nil), edges.list
	return n
}

// moduleNode returns the node of the module of the package at path, which
// stands for its code: nil for a main module and the standard library.
func (fp *fingerprinter) moduleNode(path string) *node {
	m := fp.modules[path]
	if m == nil || m.Main {
		return nil
	}
	key := "m:" + m.Path + "@" + m.Version
	if r := m.Replace; r != nil && r.Version != "" {
		key += "=>" + r.Path + "@" + r.Version
	}
	if n, ok := fp.nodes[key]; ok {
		return n
	}
	n := &node{key: key}
	fp.nodes[key] = n
	return n
}

// filesNode returns the node of a local package loaded without syntax: the
// contents of all its files, so that any edit counts.
func (fp *fingerprinter) filesNode(path string) *node {
	key := "files:" + path
	if n, ok := fp.nodes[key]; ok {
		return n
	}
	n := &node{key: key}
	fp.nodes[key] = n
	h := sha256.New()
	files := slices.Clone(fp.files[path])
	slices.SortFunc(files, func(a, b string) int { return strings.Compare(filepath.Base(a), filepath.Base(b)) })
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			src = []byte(err.Error())
		}
		fmt.Fprintf(h, "%s\x00%d\x00%s", filepath.Base(f), len(src), src)
	}
	n.digest = h.Sum(nil)
	if m := fp.moduleNode(path); m != nil {
		n.edges = []*node{m}
	}
	return n
}

// implementations returns the nodes of the methods that a call of the
// interface method fn may run: those of every concrete type of the loaded
// packages that implements fn's interface. A generic type is counted when
// it has a method of that name.
func (fp *fingerprinter) implementations(fn *types.Func) []*node {
	recv := fn.Signature().Recv().Type()
	key := types.TypeString(recv, pathQualifier) + "." + fn.Id()
	if nodes, ok := fp.impls[key]; ok {
		return nodes
	}
	iface, _ := recv.Underlying().(*types.Interface)
	if fp.byMethod == nil {
		fp.indexMethods()
	}
	var out []*node
	for _, t := range fp.byMethod[fn.Name()] {
		if iface != nil && t.TypeParams().Len() == 0 {
			var ptr types.Type = types.NewPointer(t)
			if iface.IsMethodSet() {
				if !types.Implements(t, iface) && !types.Implements(ptr, iface) {
					continue
				}
			} else if !types.Satisfies(t, iface) && !types.Satisfies(ptr, iface) {
				continue
			}
		}
		obj, _, _ := types.LookupFieldOrMethod(t, true, fn.Pkg(), fn.Name())
		if m, ok := obj.(*types.Func); ok && !abstract(m) {
			if n := fp.funcNode(m); n != nil {
				out = append(out, n)
			}
		}
	}
	fp.impls[key] = out
	return out
}

// indexMethods indexes the concrete types by the names of their methods.
func (fp *fingerprinter) indexMethods() {
	fp.byMethod = make(map[string][]*types.Named)
	for _, t := range fp.concrete {
		ms := types.NewMethodSet(types.NewPointer(t))
		for i := range ms.Len() {
			name := ms.At(i).Obj().Name()
			fp.byMethod[name] = append(fp.byMethod[name], t)
		}
	}
}

// abstract reports whether fn is an interface's method.
func abstract(fn *types.Func) bool {
	recv := fn.Signature().Recv()
	return recv != nil && types.IsInterface(recv.Type())
}

// funcKey names a function or method stably: "f:path.F", "f:path.T.M".
func funcKey(fn *types.Func) string {
	name := fn.Name()
	if recv := fn.Signature().Recv(); recv != nil {
		if named := recvNamed(fn); named != nil {
			name = named.Obj().Name() + "." + name
		} else {
			name = types.TypeString(recv.Type(), pathQualifier) + "." + name
		}
	}
	path := ""
	if fn.Pkg() != nil {
		path = fn.Pkg().Path()
	}
	return "f:" + path + "." + name
}

// recvNamed returns the named type of a method's receiver, uninstantiated,
// or nil for a function or an interface literal's method.
func recvNamed(fn *types.Func) *types.Named {
	recv := fn.Signature().Recv()
	if recv == nil {
		return nil
	}
	t := types.Unalias(recv.Type())
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	if named, ok := t.(*types.Named); ok {
		return named.Origin()
	}
	return nil
}

// packageLevel reports whether obj is declared at package level.
func packageLevel(obj types.Object) bool {
	return obj.Pkg() != nil && obj.Parent() == obj.Pkg().Scope()
}

func pathQualifier(p *types.Package) string { return p.Path() }

// edgeSet collects a node's edges without duplicates, in order.
type edgeSet struct {
	seen map[*node]bool
	list []*node
}

func (s *edgeSet) add(nodes ...*node) {
	for _, n := range nodes {
		if n == nil || s.seen[n] {
			continue
		}
		if s.seen == nil {
			s.seen = make(map[*node]bool)
		}
		s.seen[n] = true
		s.list = append(s.list, n)
	}
}
