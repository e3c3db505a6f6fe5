package generator

import (
	"fmt"
	"go/types"
)

// dynamicParams checks dynamic= against the parameters and returns the
// names it validly opts in: parameters whose type is an interface, or
// holds one ([]any, map[string]any, ...any), that no static encoding can
// key. Generated code keys them at run time by their dynamic type and
// value, with memo.Dynamic, as it keys values of type parameters. leftOut
// holds the names ignore= and nocache= leave out.
func (a *analyzer) dynamicParams(f *found, fm *funcModel, leftOut map[string]bool) map[string]bool {
	if len(f.dir.Dynamic) == 0 {
		return nil
	}
	ps := fm.sig.Params()
	names := paramNames(ps)
	valid := make(map[string]bool)
	for i, name := range f.dir.Dynamic {
		pos := f.optionPos(f.dir.DynamicOffsets[i])
		j := indexOf(names, name)
		if j < 0 || name == "_" {
			a.errs.add(pos, "dynamic=%s: %s has no parameter %q%s", name, fm.name, name, didYouMean(name, names))
			continue
		}
		if leftOut[name] {
			option := "ignore="
			if name == f.dir.NoCache {
				option = "nocache="
			}
			a.errs.add(pos, "dynamic=%s: %s leaves %s out of the key, which dynamic= would key; name it in one of them", name, option, name)
			continue
		}
		if problem := a.dynamicProblem(ps.At(j).Type()); problem != "" {
			a.errs.add(pos, "dynamic=%s: parameter %s %s", name, name, problem)
			continue
		}
		valid[name] = true
	}
	return valid
}

// dynamicProblem says why dynamic= cannot, or need not, name a parameter
// of type t, or returns "".
func (a *analyzer) dynamicProblem(t types.Type) string {
	local := a.pkg.Types
	spelled := typeString(t, local)
	switch {
	case invalidType(t):
		return "has an invalid type"
	case isNamed(t, "context", "Context"):
		return "is a context.Context, which is never part of the key"
	case isTypeParam(t):
		return fmt.Sprintf("needs no dynamic=: values of type parameter %s are keyed by their dynamic type already", spelled)
	case keyProblem(t, "", local, map[types.Type]bool{}) == "":
		return fmt.Sprintf("of type %s needs no dynamic=: memogen keys it without reflection; dynamic= is for interfaces (any, error, fmt.Stringer), which have no static encoding", spelled)
	case !holdsInterface(t, local):
		return fmt.Sprintf("of type %s is not an interface and holds none; dynamic= keys interface values (any, error, fmt.Stringer, []any) by their dynamic type and value", spelled)
	}
	return ""
}

// isTypeParam reports whether t is a type parameter.
func isTypeParam(t types.Type) bool {
	_, ok := types.Unalias(t).(*types.TypeParam)
	return ok
}

// holdsFuncOrChan reports whether a value of type t contains, where its
// encoding recurses, a func or a channel, which keying at run time refuses
// even when nil: dynamic= would leave every call uncached (an
// *http.Client's CheckRedirect).
func holdsFuncOrChan(t types.Type, local *types.Package) bool {
	return holds(t, local, func(t types.Type, _ keyKind) bool {
		switch t.Underlying().(type) {
		case *types.Signature, *types.Chan:
			return true
		}
		return false
	})
}

// holdsInterface reports whether a value of type t is, or contains where
// its encoding recurses, an interface without a MemoKey method: what
// dynamic= lets memogen key at run time.
func holdsInterface(t types.Type, local *types.Package) bool {
	return holds(t, local, func(t types.Type, kind keyKind) bool {
		_, ok := t.Underlying().(*types.Interface)
		return ok && kind == kindInvalid
	})
}

// holds reports whether t, or a type its encoding recurses into (elements,
// keys, fields, pointees), matches.
func holds(t types.Type, local *types.Package, match func(t types.Type, kind keyKind) bool) bool {
	seen := make(map[types.Type]bool)
	var find func(types.Type) bool
	find = func(t types.Type) bool {
		t = types.Unalias(t)
		if seen[t] {
			return false
		}
		seen[t] = true
		kind, _ := classify(t, local)
		if match(t, kind) {
			return true
		}
		switch kind {
		case kindSlice, kindArray, kindMap, kindPointer, kindStruct:
			elems, _ := elemTypes(t, local)
			for _, e := range elems {
				if find(e) {
					return true
				}
			}
		}
		return false
	}
	return find(t)
}

// keyHint says how to resolve a parameter p whose type cannot be keyed:
// for one that is or holds an interface, dynamic= first.
func keyHint(p *types.Var, local *types.Package) string {
	if p.Name() == "" || isReader(p.Type()) || isWriter(p.Type()) || !holdsInterface(p.Type(), local) || holdsFuncOrChan(p.Type(), local) {
		return unkeyableHint(p, local)
	}
	if isError(p.Type()) {
		// An error is rarely what a result depends on by its dynamic
		// value: see the manual's dynamic=.
		return fmt.Sprintf("add %[1]s to dynamic= to key it at run time by its dynamic type and value (rarely what an error means: see dynamic= in the manual), or, if %[1]s does not affect the result, add it to ignore= (calls that differ only in %[1]s then share one result)", p.Name())
	}
	return fmt.Sprintf("add %[1]s to dynamic= to key it at run time by its dynamic type and value, or, if %[1]s does not affect the result, add it to ignore= (calls that differ only in %[1]s then share one result)", p.Name())
}
