package generator

import (
	"fmt"
	"go/types"
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
		a.errs.add(f.pos, "%s of %s has an invalid type; fix the package's type errors first", varDesc("parameter", p, i), fm.name)
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
			a.errs.add(f.pos, "%s; %s", prob, keyHint(p, a.pkg.Types))
		}
	}
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
// to leave it out.
func unkeyableHint(p *types.Var) string {
	if p.Name() == "" {
		return "name it _ to leave it out of the key, or give the type a MemoKey(*memo.KeyWriter) method"
	}
	return fmt.Sprintf("add %s to ignore= or give the type a MemoKey(*memo.KeyWriter) method", p.Name())
}
