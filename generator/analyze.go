package generator

import (
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/tools/go/packages"
)

// analyzer turns one package's directives into models, checking each
// against the function's types.
type analyzer struct {
	pkg     *packages.Package
	fp      *fingerprinter
	errs    *errorList
	names   map[string]token.Position // generated package-level names, to catch clashes between directives
	imports map[string]token.Position // names the package's files import, which no package-level name may reuse
	avoid   map[string]bool           // names other generated files of the package declare
	decls   *declarations             // what the package-level directives declare

	constraints map[string]fileConstraint // the package's files' build constraints, read on demand
}

// analyzePackage models the directives founds of one generated file.
// claimed are the names the package's unconstrained generated file
// declares, with the directives they are for, which a file for a build
// constraint must not redeclare; avoid are the names every other generated
// file declares, which internal names steer clear of. Both are nil for the
// unconstrained file.
func analyzePackage(pkg *packages.Package, fp *fingerprinter, founds []*found, errs *errorList, claimed map[string]token.Position, avoid map[string]bool) *pkgModel {
	a := &analyzer{pkg: pkg, fp: fp, errs: errs, names: maps.Clone(claimed), imports: fileImports(pkg), avoid: avoid}
	if a.names == nil {
		a.names = make(map[string]token.Position)
	}
	a.decls = scanDeclarations(pkg, errs)
	setKeyFuncs(pkg.Types, a.decls)
	m := &pkgModel{path: pkg.PkgPath, name: pkg.Name, types: pkg.Types, avoid: avoid, claims: a.names}
	for _, f := range founds {
		if fm := a.function(f); fm != nil {
			m.funcs = append(m.funcs, fm)
		}
	}
	// Internal names go last, so that they give way to the names users
	// see, whichever directive comes first.
	for _, fm := range m.funcs {
		a.internalNames(fm)
	}
	m.taken = a.takenNames(m.funcs)
	return m
}

// fileImports returns the names the package's files import, with where:
// a package-level declaration of the same name would not compile.
func fileImports(pkg *packages.Package) map[string]token.Position {
	names := make(map[string]token.Position)
	for _, file := range pkg.Syntax {
		scope := pkg.TypesInfo.Scopes[file]
		if scope == nil {
			continue
		}
		// A dot import puts the other package's names in the file scope;
		// they were declared elsewhere, so point at the import instead.
		var dot token.Pos
		for _, spec := range file.Imports {
			if spec.Name != nil && spec.Name.Name == "." && !dot.IsValid() {
				dot = spec.Pos()
			}
		}
		for _, name := range scope.Names() {
			pos := dot
			if obj, ok := scope.Lookup(name).(*types.PkgName); ok {
				pos = obj.Pos()
			}
			if _, ok := names[name]; !ok {
				names[name] = pkg.Fset.Position(pos)
			}
		}
	}
	return names
}

// function analyzes one directive, reporting every problem it finds; it
// returns nil when there was one.
func (a *analyzer) function(f *found) *funcModel {
	before := a.errs.count()
	obj, ok := a.pkg.TypesInfo.Defs[f.decl.Name].(*types.Func)
	if !ok {
		a.errs.add(f.pos, "cannot resolve the type of %s", f.decl.Name.Name)
		return nil
	}
	if obj.Name() == "_" {
		a.errs.add(f.pos, "a function named _ cannot be called, so it cannot be memoized: give it a name")
		return nil
	}
	sig := obj.Type().(*types.Signature)
	fm := &funcModel{pos: f.pos, obj: obj, sig: sig, dir: f.dir, name: obj.Name()}
	a.results(f, fm)
	a.receiver(f, fm)
	a.params(f, fm)
	a.batch(f, fm)
	nameResults(fm, a.pkg.Types)
	a.warnUnkeyed(f, fm)
	a.codec(f, fm)
	a.freshness(f, fm)
	a.chooseNames(f, fm)
	a.checkKeyFuncPlacement(f, fm)
	if a.errs.count() > before {
		return nil
	}
	fm.keyFuncs = a.decls.keyFuncList
	if a.fp != nil { // nil for Check, which renders nothing it keeps
		fm.fingerprint = a.fp.fingerprint(fm)
	}
	fm.unstorable = unstorable(fm.valueResults(), f.dir.Codec, a.pkg.Types, a.pkg.Fset)
	if f.dir.Lock == lockOn && fm.unstorable != "" {
		a.errs.add(f.optionPos(f.dir.Offsets["lock"]), "lock=true: the results of %s are kept only in memory, where concurrent calls share one run already, and no shared backend can hold them (%s)", fm.name, fm.unstorable)
		return nil
	}
	if fm.unstorable == "" && rulesFor(f.dir.Codec) != rawRules {
		fm.mayRecurse, fm.recursive = mayRecurse(fm.valueResults())
	}
	return fm
}

// results models the results, reporting a function with nothing to cache
// and results of invalid types.
func (a *analyzer) results(f *found, fm *funcModel) {
	res := fm.sig.Results()
	for i := range res.Len() {
		fm.results = append(fm.results, res.At(i))
	}
	fm.errors = res.Len() > 0 && isError(res.At(res.Len()-1).Type())
	if last := lastErrorLike(res); last != nil {
		a.errs.warn(a.varPos(last, f.pos), "the last result of %s is of type %s, an error type, but not declared error: memogen caches it as a value, non-nil ones included; declare it error for errors to go uncached (or cached for errttl=)", fm.name, typeString(last.Type(), a.pkg.Types))
	}
	switch {
	case res.Len() == 0:
		a.errs.add(f.pos, "%s has no results: there is nothing to cache", fm.name)
	case res.Len() == 1 && fm.errors:
		a.errs.add(f.pos, "%s returns only an error: there is nothing to cache", fm.name)
	}
	for i, r := range fm.results {
		if invalidType(r.Type()) {
			a.errs.add(a.varPos(r, f.pos), "%s of %s has an invalid type; fix the package's type errors first", varDesc("result", r, i), fm.name)
		} else if lock := lockIn(r.Type()); lock != "" {
			a.errs.add(a.varPos(r, f.pos), "%s of %s is of type %s, which holds a lock (%s): every call would return a copy of the cached value's lock; return a pointer to it instead", varDesc("result", r, i), fm.name, typeString(r.Type(), a.pkg.Types), lock)
		}
	}
}

// lockIn returns the path to a lock that a value of type t holds, not
// through a pointer (a sync.Mutex, or any type whose pointer has Lock and
// Unlock methods and which has none itself, as go vet's copylocks check
// counts them), or "" when it holds none.
func lockIn(t types.Type) string {
	seen := make(map[types.Type]bool)
	var find func(types.Type) string
	find = func(t types.Type) string {
		t = types.Unalias(t)
		if seen[t] {
			return ""
		}
		seen[t] = true
		if isLock(t) {
			return types.TypeString(t, nil)
		}
		switch u := t.Underlying().(type) {
		case *types.Struct:
			for i := range u.NumFields() {
				if p := find(u.Field(i).Type()); p != "" {
					return p
				}
			}
		case *types.Array:
			return find(u.Elem())
		}
		return ""
	}
	return find(t)
}

// isLock reports whether *t has Lock and Unlock methods that t lacks.
func isLock(t types.Type) bool {
	if _, ok := t.Underlying().(*types.Interface); ok {
		return false
	}
	ptr := types.NewMethodSet(types.NewPointer(t))
	val := types.NewMethodSet(t)
	for _, name := range []string{"Lock", "Unlock"} {
		if ptr.Lookup(nil, name) == nil || val.Lookup(nil, name) != nil {
			return false
		}
	}
	return true
}

// nameResults chooses what each result is called in the wrapper's
// signature: its own name, or memoRes<i> when that would shadow what the
// body refers to, as parameters are renamed (see paramName): a generated
// local (memoCall, memoR, memoErr), the function, a type the wrapper
// names, a predeclared identifier (error, string, nil, false).
func nameResults(fm *funcModel, local *types.Package) {
	reserved := reservedNames(fm, local)
	if fm.recv != nil {
		reserved[fm.recv.name] = true
	}
	for i, v := range fm.results {
		name := v.Name()
		if name != "" && name != "_" && shadows(name, reserved) {
			name = "memoRes" + strconv.Itoa(i)
		}
		fm.resultNames = append(fm.resultNames, name)
	}
}

// receiver models a method's receiver, checking that receiver= or a key
// method says how it enters the key.
func (a *analyzer) receiver(f *found, fm *funcModel) {
	recv := fm.sig.Recv()
	if recv == nil {
		if f.dir.Receiver != receiverAuto {
			a.errs.add(f.optionPos(f.dir.Offsets["receiver"]), "receiver= applies to methods; %s is a function", fm.name)
		}
		return
	}
	rm := &recvModel{name: recv.Name(), typ: recv.Type()}
	base := types.Unalias(recv.Type())
	if p, ok := base.(*types.Pointer); ok {
		base = types.Unalias(p.Elem())
	}
	rm.named, _ = base.(*types.Named)
	if rm.named == nil {
		a.errs.add(f.pos, "cannot resolve the receiver type of %s", fm.name)
		return
	}
	if rm.name == "" || rm.name == "_" {
		rm.name = "memoRecv"
	}
	fm.recv = rm
	recvDesc := "receiver " + recv.Name()
	if recv.Name() == "" || recv.Name() == "_" {
		recvDesc = "receiver " + rm.named.Obj().Name()
	}
	switch f.dir.Receiver {
	case receiverIgnore:
	case receiverFields:
		// A struct is keyed by its fields; any other receiver (type ID
		// int64, type IDs []int) by its value, as an argument would be.
		rm.keyed = true
		if p := keyProblem(recv.Type(), recvDesc, a.pkg.Types, map[types.Type]bool{}); p != "" {
			a.errs.add(a.varPos(recv, f.pos), "%s; give %s a MemoKey(*memo.KeyWriter) method, or use receiver=ignore if the receiver does not affect the result (all receivers then share entries)", p, rm.named.Obj().Name())
		}
	default:
		if !hasKeyMethod(rm.named, a.pkg.Types) {
			a.errs.add(f.pos, "method %s: say how the receiver enters the key: receiver=ignore (all receivers share entries), receiver=fields (key by its fields or value), or give %s a MemoKey(*memo.KeyWriter) method",
				fm.name, rm.named.Obj().Name())
			return
		}
		rm.keyed = true
	}
}

// chooseNames chooses the wrapper's and the handle's names, which users
// see, and checks that none is taken.
func (a *analyzer) chooseNames(f *found, fm *funcModel) {
	base := fm.name
	fm.wrapper = fm.name + "Cached"
	if f.dir.Name != "" {
		base, fm.wrapper = f.dir.Name, f.dir.Name
	}
	fm.handle = base + "Memo"
	fm.handleType = fm.handle + "Handle"
	if fm.recv != nil {
		recvName := fm.recv.named.Obj().Name()
		fm.handleType = withCase(recvName+upperFirst(fm.handle)+"Handle", isExported(fm.handle))
	}
	namePos := f.pos
	if f.dir.Name != "" {
		namePos = f.optionPos(f.dir.Offsets["name"])
		if fm.recv == nil && !a.usableFuncName(namePos, f.dir.Name) {
			return
		}
	}
	// The names derive from one another, so a clash of one usually brings
	// more: report only the first.
	ok := true
	for _, n := range []string{fm.wrapper, fm.handle} {
		if fm.recv != nil {
			ok = ok && a.checkFreeMember(namePos, fm.recv.named, n)
		} else {
			ok = ok && a.checkFree(namePos, n, renameHint)
		}
	}
	if ok {
		a.checkFree(namePos, fm.handleType, renameHint)
	}
}

// usableFuncName reports whether name=name can name a package-level
// wrapper, reporting why not at pos. A name the generated file imports
// (memo, context, time) is usable: the import then takes another name.
func (a *analyzer) usableFuncName(pos token.Position, name string) bool {
	switch {
	case name == "init":
		a.errs.add(pos, `invalid name "init": a function named init initializes the package and cannot be called`)
	case name == "main" && a.pkg.Name == "main":
		a.errs.add(pos, `invalid name "main": in package main, main is the program's entry point`)
	case types.Universe.Lookup(name) != nil:
		a.errs.add(pos, "invalid name %q: it would shadow the predeclared identifier %s, which generated code uses", name, name)
	default:
		return true
	}
	return false
}

// internalNames chooses the names of the cache variable, the Begin function
// and the results type: memo<Name>, memo<Name>Begin and memo<Name>Results,
// where Name is the wrapper's name= or else the function's, prefixed with
// the receiver type for a method (memoStore_Load). They are the
// generator's own, so rather than report a clash (with a function
// Store_Load, or a variable of the package) it numbers them: memoStore_Load2.
func (a *analyzer) internalNames(fm *funcModel) {
	base := fm.name
	if fm.dir.Name != "" {
		base = fm.dir.Name
	}
	if fm.recv != nil {
		base = fm.recv.named.Obj().Name() + "_" + base
	}
	if generatedLocal("memo" + base) {
		// Numbering would not help: memoR2 is a local too.
		base += "Func"
	}
	internal := func(ident string) []string {
		return []string{"memo" + ident, "memo" + ident + "Begin", "memo" + ident + "Results"}
	}
	free := func(ident string) bool {
		for _, n := range internal(ident) {
			if _, taken := a.names[n]; taken || a.avoid[n] || a.pkg.Types.Scope().Lookup(n) != nil || generatedLocal(n) {
				return false
			}
			if _, imported := a.imports[n]; imported {
				return false
			}
		}
		return true
	}
	fm.ident = base
	for i := 2; !free(fm.ident); i++ {
		fm.ident = base + strconv.Itoa(i)
	}
	for _, n := range internal(fm.ident) {
		a.names[n] = fm.pos
	}
}

// takenNames returns the names the generated file's imports must not take:
// the package's own, the generated file's package-level names, and those
// the wrappers declare (parameters, receivers, named results, type
// parameters) or the generated code uses for its locals.
func (a *analyzer) takenNames(funcs []*funcModel) map[string]bool {
	taken := map[string]bool{keyVar: true, "v": true, "h": true, "ctx": true}
	for _, name := range a.pkg.Types.Scope().Names() {
		taken[name] = true
	}
	for name := range a.names {
		taken[name] = true
	}
	for _, fm := range funcs {
		for _, p := range fm.params {
			taken[p.name] = true
		}
		if fm.recv != nil {
			taken[fm.recv.name] = true
		}
		for _, name := range fm.resultNames {
			taken[name] = true
		}
		tps := fm.typeParams()
		for i := range tps.Len() {
			taken[typeParamName(tps.At(i))] = true
		}
	}
	return taken
}

// renameHint resolves a clash of the names name= sets.
const renameHint = "choose another name with name="

// checkFree reports a package-level name that the package already declares
// or imports, or that another directive generates, with hint saying how to
// resolve it, and returns whether the name is free.
func (a *analyzer) checkFree(pos token.Position, name, hint string) bool {
	if obj := a.pkg.Types.Scope().Lookup(name); obj != nil {
		a.errs.add(pos, "%s is already declared at %s; %s", name, a.pkg.Fset.Position(obj.Pos()), hint)
		return false
	}
	if at, ok := a.imports[name]; ok {
		a.errs.add(pos, "%s is imported at %s, and a file's imports cannot share a name with a package-level declaration; %s", name, at, hint)
		return false
	}
	return a.claim(pos, name, hint)
}

// checkFreeMember is checkFree for a method or field of type named.
func (a *analyzer) checkFreeMember(pos token.Position, named *types.Named, name string) bool {
	if obj, _, _ := types.LookupFieldOrMethod(named, true, a.pkg.Types, name); obj != nil {
		a.errs.add(pos, "%s already has a field or method %s (%s); choose another with name=", named.Obj().Name(), name, a.pkg.Fset.Position(obj.Pos()))
		return false
	}
	return a.claim(pos, named.Obj().Name()+"."+name, renameHint)
}

func (a *analyzer) claim(pos token.Position, name, hint string) bool {
	if prev, ok := a.names[name]; ok {
		a.errs.add(pos, "%s is also generated for the directive at %s; %s", name, prev, hint)
		return false
	}
	a.names[name] = pos
	return true
}

// reservedNames are the identifiers a wrapper's body refers to, which its
// receiver and parameters must not shadow.
func reservedNames(fm *funcModel, local *types.Package) map[string]bool {
	r := map[string]bool{"memo": true, "memoimpl": true, "context": true, "time": true, fm.name: true}
	var visit func(t types.Type)
	seen := map[types.Type]bool{}
	visit = func(t types.Type) {
		if seen[t] {
			return
		}
		seen[t] = true
		switch t := types.Unalias(t).(type) {
		case *types.Named:
			if pkg := t.Obj().Pkg(); pkg != nil && pkg != local {
				r[pkg.Name()] = true
			} else {
				r[t.Obj().Name()] = true
			}
			for i := range t.TypeArgs().Len() {
				visit(t.TypeArgs().At(i))
			}
		case *types.TypeParam:
			r[t.Obj().Name()] = true
		case *types.Pointer:
			visit(t.Elem())
		case *types.Slice:
			visit(t.Elem())
		case *types.Array:
			visit(t.Elem())
		case *types.Map:
			visit(t.Key())
			visit(t.Elem())
		case *types.Chan:
			visit(t.Elem())
		case *types.Signature:
			for _, tuple := range []*types.Tuple{t.Params(), t.Results()} {
				for i := range tuple.Len() {
					visit(tuple.At(i).Type())
				}
			}
		case *types.Struct:
			for i := range t.NumFields() {
				visit(t.Field(i).Type())
			}
		}
	}
	for _, tuple := range []*types.Tuple{fm.sig.Params(), fm.sig.Results()} {
		for i := range tuple.Len() {
			visit(tuple.At(i).Type())
		}
	}
	if fm.recv != nil {
		visit(fm.recv.typ)
	}
	return r
}

// generatedLocals are the names of the locals, receivers and parameters
// that generated code may declare besides those generatedLocal numbers.
// A package-level generated name must be none of them, or a local would
// shadow it where the code refers to it (a handle's receiver memoH in the
// methods of function H's handle, which call the cache variable memoH).
var generatedLocals = map[string]bool{
	"memoH": true, "memoW": true, "memoCtx": true, "memoRecv": true,
	"memoCall": true, "memoR": true, "memoOK": true, "memoErr": true, "memoOutcome": true,
}

// generatedLocal reports whether name is one that generated code may
// declare as a local: one of generatedLocals, or a numbered one
// (memoArg1, memoRes0, memoR0, memoK1, memoV1, memoI0).
func generatedLocal(name string) bool {
	if generatedLocals[name] {
		return true
	}
	for _, prefix := range []string{"memoArg", "memoRes", "memoR", "memoK", "memoV", "memoI"} {
		if digits, ok := strings.CutPrefix(name, prefix); ok && digits != "" && strings.Trim(digits, "0123456789") == "" {
			return true
		}
	}
	return false
}

// generatedName reports whether name has the form of memogen's own locals
// (memoCall, memoR0, memoArg1…), which a parameter must not shadow; names
// such as "memory" are left alone.
func generatedName(name string) bool {
	rest, ok := strings.CutPrefix(name, "memo")
	if !ok {
		return false
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return rest == "" || unicode.IsUpper(r) || unicode.IsDigit(r)
}

func contains(list []string, s string) bool { return indexOf(list, s) >= 0 }

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

func isExported(name string) bool { return ast.IsExported(name) }

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

func withCase(s string, exported bool) string {
	if exported {
		return upperFirst(s)
	}
	return lowerFirst(s)
}
