package generator

import (
	"fmt"
	"go/token"
	"go/types"
	"slices"
	"strconv"
)

// params models the parameters: what each is called in generated code,
// which enter the key, which is the context and which the nocache= flag.
func (a *analyzer) params(f *found, fm *funcModel) {
	ps := fm.sig.Params()
	leftOut := a.leftOut(f, fm, paramNames(ps))
	dynamic := a.dynamicParams(f, fm, leftOut)
	reserved := reservedNames(fm, a.pkg.Types)
	renameReceiver(fm.recv, reserved)
	for i := range ps.Len() {
		p := ps.At(i)
		pm := paramModel{
			name:     paramName(p, i, reserved),
			typ:      p.Type(),
			variadic: fm.sig.Variadic() && i == ps.Len()-1,
			dynamic:  dynamic[p.Name()],
		}
		a.classifyParam(f, fm, p, i, &pm, leftOut)
		if fm.nocacheParam == "" && f.dir.NoCache != "" && p.Name() == f.dir.NoCache {
			fm.nocacheParam = pm.name
		}
		fm.params = append(fm.params, pm)
	}
}

// warnUnkeyed warns, at ignore=, when it leaves out every parameter that
// would otherwise have been keyed: every call then shares one result,
// which is rarely what a function with parameters means.
func (a *analyzer) warnUnkeyed(f *found, fm *funcModel) {
	if len(f.dir.Ignore) == 0 || fm.recv != nil && fm.recv.keyed || fm.batch != nil {
		return
	}
	for _, p := range fm.params {
		if p.keyed {
			return
		}
	}
	a.errs.warn(f.optionPos(f.dir.Offsets["ignore"]), "ignore= leaves no argument of %s in the key: every call shares one result, whatever its arguments", fm.name)
}

// paramNames returns the names of the parameters, as declared.
func paramNames(ps *types.Tuple) []string {
	names := make([]string, ps.Len())
	for i := range ps.Len() {
		names[i] = ps.At(i).Name()
	}
	return names
}

// leftOut checks ignore= and nocache= against the parameters' names and
// returns the names they leave out of the key.
func (a *analyzer) leftOut(f *found, fm *funcModel, names []string) map[string]bool {
	a.checkIgnore(f, fm, names)
	out := make(map[string]bool)
	for _, name := range f.dir.Ignore {
		out[name] = true
	}
	if nc := f.dir.NoCache; nc != "" {
		a.checkNoCache(f, fm, names)
		if i := slices.Index(f.dir.Ignore, nc); i >= 0 {
			a.errs.warn(f.optionPos(f.dir.IgnoreOffsets[i]), "ignore=%s: %s is the nocache= flag, which never enters the key; ignore= need not name it", nc, nc)
		}
		out[nc] = true
	}
	return out
}

// checkIgnore reports each name ignore= lists that names no parameter.
func (a *analyzer) checkIgnore(f *found, fm *funcModel, names []string) {
	for i, name := range f.dir.Ignore {
		if !contains(names, name) || name == "_" {
			a.errs.add(f.optionPos(f.dir.IgnoreOffsets[i]), "ignore=%s: %s has no parameter %q%s", name, fm.name, name, didYouMean(name, names))
		}
	}
}

// checkNoCache reports a nocache= that names no parameter, or one that is
// not a bool.
func (a *analyzer) checkNoCache(f *found, fm *funcModel, names []string) {
	nc := f.dir.NoCache
	pos := f.optionPos(f.dir.Offsets["nocache"])
	i := indexOf(names, nc)
	if i < 0 {
		a.errs.add(pos, "nocache=%s: %s has no parameter %q%s", nc, fm.name, nc, didYouMean(nc, names))
		return
	}
	t := fm.sig.Params().At(i).Type()
	if b, ok := t.Underlying().(*types.Basic); !ok || b.Info()&types.IsBoolean == 0 {
		a.errs.add(pos, "nocache=%s: parameter %s is %s, want bool", nc, nc, typeString(t, a.pkg.Types))
	}
}

// renameReceiver renames a method's receiver that would shadow what the
// wrapper's body refers to, and adds its name to reserved, which the
// parameters then avoid. rm is nil for a plain function.
func renameReceiver(rm *recvModel, reserved map[string]bool) {
	if rm == nil {
		return
	}
	if rm.name != "memoRecv" && shadows(rm.name, reserved) {
		rm.name = "memoRecv"
	}
	reserved[rm.name] = true
}

// paramName returns what the i'th parameter p is called in generated
// code: its own name, or memoArg<i> when it has none or its own would
// shadow what the wrapper's body refers to.
func paramName(p *types.Var, i int, reserved map[string]bool) string {
	if name := p.Name(); name != "" && name != "_" && !shadows(name, reserved) {
		return name
	}
	return "memoArg" + strconv.Itoa(i)
}

// shadows reports whether a receiver or parameter called name would
// shadow what a wrapper's body refers to: a reserved name, one of
// memogen's locals, or a predeclared identifier.
func shadows(name string, reserved map[string]bool) bool {
	return reserved[name] || generatedName(name) || types.Universe.Lookup(name) != nil
}

// classifyParam decides whether the i'th parameter p enters the key,
// records the first context.Context as the context parameter, and reports
// a type that is invalid or cannot be keyed. leftOut holds the names
// ignore= and nocache= leave out.
func (a *analyzer) classifyParam(f *found, fm *funcModel, p *types.Var, i int, pm *paramModel, leftOut map[string]bool) {
	switch {
	case invalidType(p.Type()):
		a.errs.add(a.varPos(p, f.pos), "%s of %s has an invalid type; fix the package's type errors first", varDesc("parameter", p, i), fm.name)
	case isNamed(p.Type(), "context", "Context"):
		if fm.ctxParam == "" {
			fm.ctxParam = pm.name
		}
	case leftOut[p.Name()] || p.Name() == "_":
	case pm.dynamic:
		pm.keyed = true // at run time, by its dynamic type and value
	default:
		pm.keyed = true
		if prob := keyProblem(p.Type(), varDesc("parameter", p, i), a.pkg.Types, map[types.Type]bool{}); prob != "" {
			a.errs.add(a.varPos(p, f.pos), "%s; %s", prob, keyHint(p, a.pkg.Types))
		}
	}
}

// varPos returns where the parameter, result or receiver v is declared
// (its name, or its type when it has none), or fallback when that is
// unknown.
func (a *analyzer) varPos(v *types.Var, fallback token.Position) token.Position {
	if !v.Pos().IsValid() {
		return fallback
	}
	return a.pkg.Fset.Position(v.Pos())
}

// varDesc names the i'th parameter or result v in messages, as kind
// ("parameter", "result") and its name or number.
func varDesc(kind string, v *types.Var, i int) string {
	if v.Name() == "" {
		return fmt.Sprintf("%s %d (unnamed)", kind, i+1)
	}
	return kind + " " + v.Name()
}

// unkeyableHint says how to resolve a parameter p whose type cannot be
// keyed. ignore= cannot name an unnamed parameter: naming it _ is the way
// to leave it out. Leaving a parameter out is suggested only with what it
// costs, and never for a reader, whose content decides the result.
func unkeyableHint(p *types.Var, local *types.Package) string {
	name := p.Name()
	if name == "" {
		name = "it"
	}
	if isReader(p.Type()) {
		return fmt.Sprintf("a reader's content decides the result, and keying it would consume it: read it into a []byte first (data, err := io.ReadAll(%s)) and memoize a function of the bytes; leaving %s out of the key would make every call share one result whatever it reads", name, name)
	}
	if isWriter(p.Type()) {
		return fmt.Sprintf("a function that writes to %s has an effect a cached call skips: a hit returns the result without writing anything; memoize a function that returns what it would write (a []byte or a string) and write that to %s after the call", name, name)
	}
	method := "give the type a MemoKey(*memo.KeyWriter) method"
	if _, isFunc := types.Unalias(p.Type()).(*types.Signature); isFunc {
		// An unnamed func type can have no methods.
		method = "pass a value that identifies the function (a name, an ID) instead and choose the function from it"
	} else if foreign(p.Type(), local) {
		method = "declare a key function for the type with //memo:key"
	}
	if p.Name() == "" {
		return fmt.Sprintf("%s, or, if it does not affect the result, name it _ to leave it out of the key (calls that differ only in it then share one result)", method)
	}
	return fmt.Sprintf("%s, or, if %s does not affect the result, add %s to ignore= (calls that differ only in %s then share one result)", method, p.Name(), p.Name(), p.Name())
}

// isReader reports whether a value of type t is a source of data: its
// method set, or its pointer's, has io.Reader's Read or io.ReaderAt's
// ReadAt, and no Write, which would make it a channel of communication (a
// net.Conn) rather than the input of a computation.
func isReader(t types.Type) bool {
	if obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "Write"); obj != nil {
		return false
	}
	for _, name := range []string{"Read", "ReadAt"} {
		obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name)
		fn, ok := obj.(*types.Func)
		if !ok {
			continue
		}
		sig := fn.Type().(*types.Signature)
		if sig.Params().Len() >= 1 && types.Identical(sig.Params().At(0).Type(), types.NewSlice(types.Typ[types.Byte])) &&
			sig.Results().Len() == 2 && isError(sig.Results().At(1).Type()) {
			return true
		}
	}
	return false
}

// isWriter reports whether a value of type t is a sink of data: its method
// set, or its pointer's, has io.Writer's Write, and no Read, which would
// make it a channel of communication (a net.Conn, an *os.File) rather than
// the output of a computation.
func isWriter(t types.Type) bool {
	if obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "Read"); obj != nil {
		return false
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "Write")
	fn, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	sig := fn.Type().(*types.Signature)
	return sig.Params().Len() == 1 && types.Identical(sig.Params().At(0).Type(), types.NewSlice(types.Typ[types.Byte])) &&
		sig.Results().Len() == 2 && isError(sig.Results().At(1).Type())
}

// foreign reports whether t, or what it points to, is a named type of
// another package, to which the user cannot add methods.
func foreign(t types.Type, local *types.Package) bool {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	n, ok := t.(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg() != local
}
