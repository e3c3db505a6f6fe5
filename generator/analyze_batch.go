package generator

import (
	"go/token"
	"go/types"
	"strings"
)

// A //memo:batch directive memoizes a batch function, one that takes a
// slice of IDs and returns a result for each:
//
//	func(ctx context.Context, ids []K) (map[K]V, error) // the map form
//	func(ctx context.Context, ids []K) ([]V, error)     // the slice form: result i answers ids[i]
//
// The IDs are the last parameter, a slice or a variadic ...K; the context
// is optional, and every other parameter is keyed into each ID's key as
// //memo:cache keys it (ignore=, dynamic=, nocache= apply). Each ID is
// cached under the key of the memoized func(ctx, <other parameters>, id K)
// (V, error), so the entries are those of a memoized call, one per ID.

// batchModel is what a //memo:batch directive adds to its function's model.
type batchModel struct {
	ids    string     // the IDs parameter's name in generated code
	idType types.Type // K
	// value is a result of type V, which each ID's entry holds: what
	// valueResults returns for a batch function.
	value *types.Var
	slice bool // the slice form: result i answers ids[i]
	// idName names one ID in the handle's methods: ids's singular when
	// free ("id" for "ids"), else memoID.
	idName string
}

// batchIDLocal is the local that holds one ID in generated code.
const batchIDLocal = "memoID"

// batch checks the signature of a //memo:batch function and models it. It
// runs after params, which keyed every parameter, the IDs' slice
// included: the IDs leave the key, and each ID enters it in their place.
func (a *analyzer) batch(f *found, fm *funcModel) {
	if !f.batch {
		return
	}
	if fm.typeParams().Len() > 0 {
		if fm.recv != nil {
			a.errs.add(f.pos, "//memo:batch does not take methods of generic types; the receiver of %s has type parameters", fm.name)
		} else {
			a.errs.add(f.pos, "//memo:batch does not take generic functions; %s has type parameters", fm.name)
		}
		return
	}
	ps := fm.sig.Params()
	var idsVar *types.Var
	var elem types.Type
	if n := ps.Len(); n > 0 {
		idsVar = ps.At(n - 1)
		if s, ok := idsVar.Type().Underlying().(*types.Slice); ok {
			elem = s.Elem()
		}
	}
	res := fm.sig.Results()
	var value types.Type
	slice := false
	if res.Len() == 2 && isError(res.At(1).Type()) && elem != nil {
		switch t := res.At(0).Type().Underlying().(type) {
		case *types.Map:
			if types.Identical(t.Key(), elem) {
				value = t.Elem()
			}
		case *types.Slice:
			value, slice = t.Elem(), true
		}
	}
	if elem == nil || value == nil {
		a.errs.add(f.pos, "//memo:batch wants func(ctx context.Context, ids []K) (map[K]V, error), or ([]V, error) where result i answers ids[i], with the IDs as the last parameter; %s is %s",
			fm.name, strings.TrimPrefix(typeString(fm.sig, a.pkg.Types), "func"))
		return
	}
	idsParam := &fm.params[len(fm.params)-1]
	pos := a.varPos(idsVar, f.pos)
	switch {
	case contains(f.dir.Ignore, idsVar.Name()):
		a.errs.add(f.optionPos(f.dir.IgnoreOffsets[indexOf(f.dir.Ignore, idsVar.Name())]), "ignore=%s: %s holds the batch's IDs, each of which is part of its own key", idsVar.Name(), idsVar.Name())
	case idsParam.dynamic:
		a.errs.add(f.optionPos(f.dir.DynamicOffsets[indexOf(f.dir.Dynamic, idsVar.Name())]), "dynamic=%s: %s holds the batch's IDs, which are keyed by their type", idsVar.Name(), idsVar.Name())
	case !types.Comparable(elem):
		a.errs.add(pos, "the IDs of //memo:batch must be comparable, to find each ID's result; %s is not", typeString(elem, a.pkg.Types))
	}
	if slice && f.dir.Fresh.ErrTTL > 0 {
		a.errs.add(f.optionPos(f.dir.Offsets["errttl"]), "errttl= caches the IDs a batch function does not return, which the slice form, one result per ID, cannot leave out: return map[%s]%s to leave IDs out", typeString(elem, a.pkg.Types), typeString(value, a.pkg.Types))
	}
	idsParam.keyed = false
	fm.batch = &batchModel{
		ids:    idsParam.name,
		idType: elem,
		value:  types.NewVar(token.NoPos, a.pkg.Types, "", value),
		slice:  slice,
		idName: singularID(idsParam.name, fm),
	}
}

// singularID returns what the handle's methods call one ID: the IDs
// parameter's name without its final s ("id" for "ids", "key" for
// "keys") when that names no other parameter and is not a generated or
// reserved name, else memoID.
func singularID(ids string, fm *funcModel) string {
	name, ok := strings.CutSuffix(ids, "s")
	if !ok || identifierProblem(name) != "" || generatedName(name) || types.Universe.Lookup(name) != nil || name == "h" || name == "ctx" {
		return batchIDLocal
	}
	for _, p := range fm.params {
		if p.name == name {
			return batchIDLocal
		}
	}
	if fm.recv != nil && fm.recv.name == name {
		return batchIDLocal
	}
	return name
}

// directiveText is what the fingerprint digests of the directive: its
// canonical options, preceded by "batch" for //memo:batch, whose entries
// (one per ID) are not those of //memo:cache on the same function.
func (f *funcModel) directiveText() string {
	if f.batch != nil {
		return "batch " + f.dir.Canonical
	}
	return f.dir.Canonical
}
