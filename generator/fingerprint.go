package generator

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/types"
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
//     localModule) that the function reaches, with the language version of its
//     file: calls, method values, functions referenced as values, calls
//     through an interface, and generated wrappers called by name
//     (through the function they wrap);
//   - for a value converted to an interface (an argument, an assignment,
//     a result, an element, a send, a range assignment) and for a type
//     argument, all the methods of every named type reachable from its
//     type (see convNode): code out of sight may call any of them;
//   - the package-level constants that code reads, by value, and the
//     structure behind every alias it names;
//   - the full definition of every type named in that code or in the
//     function's signature, transitively: fields and their order, names,
//     embedding, tags, underlying types, type parameters and arguments,
//     and the methods codecs and keys consult (consultedMethods), with
//     their code when local. Standard library types contribute their
//     exported structure and those methods' signatures, not the Go
//     version, so that generated files do not depend on the toolchain
//     that wrote them;
//   - for a local package with files that build constraints leave out,
//     the contents of all its files (see sourcesNode);
//   - for anything of another module, the module's path and version.
//
// What generated code hides from the type checker (generated files are
// left out of the load) and what an interface call may run are resolved
// over the function's scope: its package and the local packages it
// imports, directly or not (see scope). The scope, unlike the set of
// packages a run loads, depends on the function alone, so a package
// generated alone gets the fingerprints it gets with the whole module.
//
// A node's digest covers only its own definition (syntax without
// positions or comments, and what each name in it resolves to); the
// fingerprint hashes the sorted keys and digests of the nodes the function
// reaches, so editing what it cannot reach changes nothing. Package-level
// variables, files read at run time, cgo and assembly are not covered, nor
// the code of the standard library and of other modules beyond their
// versions: version= is for those.
type fingerprinter struct {
	modules map[string]*packages.Module  // by package path; nil for the standard library
	files   map[string][]string          // Go files by package path
	ignored map[string][]string          // files build constraints leave out, by package path
	imports map[string][]string          // imported paths by package path
	source  map[string]*packages.Package // the packages loaded with syntax, by path
	decls   map[*types.Func]funcSource   // declarations of the functions of those packages
	// wrappers maps "path.Wrapper" and "path.T.Wrapper" to the function a
	// generated wrapper calls: generated files are left out of the load,
	// so a call of a wrapper is an unresolved name.
	wrappers map[string]*types.Func
	// wrappersByName maps a package path and a wrapper's name, without
	// its receiver, to the functions such wrappers call.
	wrappersByName map[string]map[string][]*types.Func
	indexes        map[string]*pkgIndex   // by package path, built on first use
	scopes         map[string][]string    // by the path of a fingerprinted function's package
	convs          map[types.Type][]*node // convNodes by type
	nodes          map[string]*node
}

// funcSource is a function's declaration, its file and its package.
type funcSource struct {
	decl *ast.FuncDecl
	file *ast.File
	pkg  *packages.Package
}

// node is one thing a fingerprint covers: a function's code, a type's
// definition, a constant's value, a module's version, the methods a
// conversion reaches, or what a name may stand for in the function's
// scope.
type node struct {
	key    string // "f:path.Name", "f:path.T.M", "t:path.T[args]", "c:path.C", "m:module@version", "files:path", "src:path", "v:path.T[args]", "i:…", "n:Name", "r:Name"
	digest []byte // of the node's own definition
	edges  []*node
	// resolve, for a node whose meaning depends on the fingerprinted
	// function's scope, returns what it stands for in one package of it;
	// resolved caches the union over a scope, by the scope's package.
	resolve  func(path string) []*node
	resolved map[string][]*node
}

func newFingerprinter(l *loaded) *fingerprinter {
	fp := &fingerprinter{
		modules:        l.modules,
		files:          l.files,
		ignored:        l.ignored,
		imports:        l.imports,
		source:         make(map[string]*packages.Package),
		decls:          make(map[*types.Func]funcSource),
		wrappers:       make(map[string]*types.Func),
		wrappersByName: make(map[string]map[string][]*types.Func),
		indexes:        make(map[string]*pkgIndex),
		scopes:         make(map[string][]string),
		convs:          make(map[types.Type][]*node),
		nodes:          make(map[string]*node),
	}
	for _, p := range l.source {
		fp.source[p.PkgPath] = p
		for _, file := range p.Syntax {
			for _, d := range file.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok {
					if fn, ok := p.TypesInfo.Defs[fd.Name].(*types.Func); ok {
						fp.decls[fn] = funcSource{decl: fd, file: file, pkg: p}
					}
				}
			}
			fp.indexWrappers(p, file)
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
		byName := fp.wrappersByName[p.PkgPath]
		if byName == nil {
			byName = make(map[string][]*types.Func)
			fp.wrappersByName[p.PkgPath] = byName
		}
		byName[name] = append(byName[name], fn)
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
	for _, fn := range fm.keyFuncs {
		roots = append(roots, fp.funcNode(fn))
	}
	h := sha256.New()
	fmt.Fprintf(h, "memogen fingerprint 3\x00%s\x00%s\x00", fm.directiveText(), root.key)
	for _, n := range fp.closure(roots, fm.obj.Pkg().Path()) {
		fmt.Fprintf(h, "%s\x00%x\x00", n.key, n.digest)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// closure returns the nodes reachable from roots, sorted by key, resolving
// the nodes that depend on the scope in the scope of the package at path.
func (fp *fingerprinter) closure(roots []*node, path string) []*node {
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
		if n.resolve != nil {
			stack = append(stack, fp.resolveIn(n, path)...)
		}
	}
	slices.SortFunc(out, func(a, b *node) int { return strings.Compare(a.key, b.key) })
	return out
}

// local reports whether the package at path belongs to a local module,
// whose code, not a version, says what it does.
func (fp *fingerprinter) local(path string) bool { return localModule(fp.modules[path]) }

// funcNodes returns the nodes a reference to fn brings in: its code, or
// for an interface method the node of its implementations in the scope.
func (fp *fingerprinter) funcNodes(fn *types.Func) []*node {
	if abstract(fn) {
		return []*node{fp.implementationsNode(fn)}
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
	case fp.source[path] != nil:
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
	var edges edgeSet
	n.digest, edges = fp.walkCode(src)
	edges.add(fp.moduleNode(path), fp.sourcesNode(path))
	n.edges = edges.list
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
	edges.add(fp.moduleNode(path), fp.sourcesNode(path))
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
