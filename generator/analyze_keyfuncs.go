package generator

import (
	"go/types"
)

// checkKeyFuncPlacement reports every //memo:key function that keys one of
// fm's arguments but is declared in a file with a build constraint other
// than the directive's own: a build that compiles the directive's file
// but not the key function's would not compile the generated code
// (GOOS=darwin, undefined: keyRegexp). A key function in a constrained
// file serves only directives under the same constraint.
func (a *analyzer) checkKeyFuncPlacement(f *found, fm *funcModel) {
	if a.constraints == nil {
		a.constraints = make(map[string]fileConstraint)
	}
	want := constraintKey(constraintOf(a.constraints, f.pos.Filename).expr)
	reported := make(map[*types.Func]bool)
	seen := make(map[types.Type]bool)
	var walk func(t types.Type)
	walk = func(t types.Type) {
		t = types.Unalias(t)
		if seen[t] {
			return
		}
		seen[t] = true
		if fn := keyFuncFor(t, a.pkg.Types); fn != nil {
			pos := a.pkg.Fset.Position(fn.Pos())
			fc := constraintOf(a.constraints, pos.Filename)
			if key := constraintKey(fc.expr); key != "" && key != want && !reported[fn] {
				reported[fn] = true
				a.errs.add(f.pos, "key function %s, which keys %s, is declared in a file built only where %s, but %s is built elsewhere too; declare %s in a file without that constraint or under the same one",
					fn.Name(), typeString(t, a.pkg.Types), fc.expr, fm.name, fn.Name())
			}
			return
		}
		elems, _ := elemTypes(t, a.pkg.Types)
		for _, e := range elems {
			walk(e)
		}
	}
	if fm.recv != nil && fm.recv.keyed {
		walk(fm.recv.typ)
	}
	for _, p := range fm.params {
		if p.keyed {
			walk(p.typ)
		}
	}
}
