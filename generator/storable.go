package generator

import (
	"fmt"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"
)

// unstorable returns why a function's results would not come back from a
// byte-level backend as the values stored, or "" when they would as far as
// their types tell. It knows what each built-in codec does with a Go value
// (codecRules): which fields it keeps, which marshaling methods it calls,
// what it cannot encode. A codec the user registers is unknown here: its
// losses can only show at run time. The runtime runs a function with a
// reason uncached when it is bound to a byte-level backend, and says why.
func unstorable(results []*types.Var, codec string, local *types.Package, fset *token.FileSet) string {
	rules := rulesFor(codec)
	if rules == nil {
		return ""
	}
	s := storeChecker{rules: rules, local: local, fset: fset, seen: make(map[string]bool)}
	for i, r := range results {
		if reason := s.check(r.Type(), fmt.Sprintf("result %d", i+1), visit{addressable: true, direct: true}); reason != "" {
			return reason
		}
	}
	return ""
}

// storeChecker walks result types for what a codec cannot carry.
type storeChecker struct {
	rules *codecRules
	local *types.Package
	fset  *token.FileSet
	seen  map[string]bool // named types already walked in a context, for recursive types
}

// visit is the context a value is met in.
type visit struct {
	// direct says whether the value is the thing named by where rather
	// than something it holds.
	direct bool
	// addressable says whether the codec can take the value's address, as
	// it can for a result, a struct field of an addressable struct, a
	// slice element or a pointer's target, but not for a map key or value.
	addressable bool
	// viaPointer says whether the value is a pointer's target.
	viaPointer bool
}

// check returns why a value of type t, found at where (result 1, field
// T.f), would not survive the codec, or "".
func (s *storeChecker) check(t types.Type, where string, v visit) string {
	t = types.Unalias(t)
	verb := "is"
	if !v.direct {
		verb = "contains"
	}
	if _, ok := t.(*types.TypeParam); ok {
		return "" // known only at run time
	}
	if named, ok := t.(*types.Named); ok {
		key := fmt.Sprintf("%s %t %t", types.TypeString(named, nil), v.addressable, v.viaPointer)
		if s.seen[key] {
			return ""
		}
		s.seen[key] = true
	}
	if _, ok := t.Underlying().(*types.Interface); ok {
		if s.rules.interfaces {
			return ""
		}
		return fmt.Sprintf("%s %s an interface (%s): %s would lose its dynamic type", where, verb, s.typeString(t), s.rules.name)
	}
	if _, ok := t.Underlying().(*types.Pointer); !ok {
		if reason, itself := s.marshaling(t, where, verb, v); itself || reason != "" {
			return reason
		}
	}
	held := visit{addressable: true}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Kind() == types.UnsafePointer:
			return fmt.Sprintf("%s %s an unsafe.Pointer, which no codec can store", where, verb)
		case u.Info()&types.IsComplex != 0 && !s.rules.complex:
			return fmt.Sprintf("%s %s a %s, which %s cannot store", where, verb, u.Name(), s.rules.name)
		case u.Kind() == types.Uintptr && !s.rules.uintptr:
			return fmt.Sprintf("%s %s a uintptr, which %s cannot store", where, verb, s.rules.name)
		}
	case *types.Signature:
		return fmt.Sprintf("%s %s a func, which no codec can store", where, verb)
	case *types.Chan:
		return fmt.Sprintf("%s %s a channel, which no codec can store", where, verb)
	case *types.Pointer:
		held.viaPointer = true
		return s.check(u.Elem(), where, held)
	case *types.Slice:
		return s.check(u.Elem(), where, held)
	case *types.Array:
		held.addressable = v.addressable
		return s.check(u.Elem(), where, held)
	case *types.Map:
		held.addressable = false
		reason := ""
		if s.rules.textKeys {
			reason = s.jsonMapKey(u.Key(), where, verb)
		} else {
			reason = s.check(u.Key(), where, held)
		}
		if reason != "" {
			return reason
		}
		return s.check(u.Elem(), where, held)
	case *types.Struct:
		return s.structFields(t, u, where, v)
	}
	return ""
}

// structFields checks the fields of a struct the codec encodes field by
// field: that the codec keeps each, and that each survives it.
func (s *storeChecker) structFields(t types.Type, st *types.Struct, where string, v visit) string {
	root, owner := where+" field ", ""
	if named, ok := t.(*types.Named); ok {
		owner = s.typeString(named) + "."
		root = "field " + owner
	}
	kept, problem := s.rules.layout(st)
	if problem != nil {
		return s.describe(problem, root, owner) + s.ignoredMethods(t)
	}
	for _, f := range kept {
		fv := visit{direct: true, addressable: v.addressable}
		for _, p := range f.vars[:len(f.vars)-1] {
			if _, ptr := types.Unalias(p.Type()).(*types.Pointer); ptr {
				fv.addressable = true // reached through an embedded pointer
			}
		}
		if reason := s.check(f.last().Type(), root+f.path(), fv); reason != "" {
			return reason
		}
	}
	return ""
}

// describe spells a field the codec loses: root names it ("field T.",
// "result 1 field "), owner the field that hides it ("T.", "").
func (s *storeChecker) describe(p *fieldProblem, root, owner string) string {
	subject := root + p.field.path() + s.pos(p.field.last())
	codec := s.rules.name
	var other string
	if p.other != nil {
		other = owner + p.other.path() + s.pos(p.other.last())
	}
	switch p.kind {
	case lostUnexported:
		return fmt.Sprintf("%s is unexported: %s would drop it", subject, codec)
	case lostTagged:
		return fmt.Sprintf("%s is tagged %s:\"-\": %s would drop it", subject, codec, codec)
	case lostHidden:
		return fmt.Sprintf("%s is hidden by %s, of the same name %q: %s would drop it", subject, other, p.name, codec)
	case lostConflict:
		return fmt.Sprintf("%s and %s have the same name %q: %s would drop both", subject, other, p.name, codec)
	case lostAlias:
		return fmt.Sprintf("%s is read into %s, whose alias is %q: %s would drop it", subject, other, p.name, codec)
	case lostSelfEmbedded:
		return fmt.Sprintf("%s embeds its own type: %s would drop the fields it holds", subject, codec)
	case lostUnexportedPointer:
		return fmt.Sprintf("%s embeds a pointer to an unexported struct type: %s cannot decode into it", subject, codec)
	}
	panic("unknown field problem")
}

// typeString spells t as the generated package would.
func (s *storeChecker) typeString(t types.Type) string { return typeString(t, s.local) }

// pos returns where obj is declared, " (file.go:12)", for objects of the
// package memogen generates for; other packages' declarations are named
// by their package instead.
func (s *storeChecker) pos(obj types.Object) string {
	if s.fset == nil || obj == nil || obj.Pkg() != s.local || !obj.Pos().IsValid() {
		return ""
	}
	p := s.fset.Position(obj.Pos())
	return fmt.Sprintf(" (%s:%d)", filepath.Base(p.Filename), p.Line)
}

// typePos returns where t is declared, for a named type of the package.
func (s *storeChecker) typePos(t types.Type) string {
	if named, ok := types.Unalias(t).(*types.Named); ok {
		return s.pos(named.Obj())
	}
	return ""
}

// ignoredMethods returns, for a type whose fields the codec loses, the
// marshaling methods it has for other codecs, which this one does not
// call: " (msgpack does not call Money's MarshalJSON and UnmarshalJSON)".
func (s *storeChecker) ignoredMethods(t types.Type) string {
	named, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return ""
	}
	methods := types.NewMethodSet(types.NewPointer(named))
	var pairs []string
	for _, pair := range marshalingPairs {
		if s.rules.calls(pair[0]) {
			continue
		}
		if methods.Lookup(nil, pair[0]) != nil && methods.Lookup(nil, pair[1]) != nil {
			pairs = append(pairs, pair[0]+" and "+pair[1])
		}
	}
	if len(pairs) == 0 {
		return ""
	}
	return fmt.Sprintf(" (%s does not call %s's %s)", s.rules.name, named.Obj().Name(), strings.Join(pairs, ", "))
}

// marshalingPairs are the method pairs by which some codec lets a type
// encode itself.
var marshalingPairs = [][2]string{
	{"EncodeMsgpack", "DecodeMsgpack"},
	{"MarshalMsgpack", "UnmarshalMsgpack"},
	{"MarshalJSON", "UnmarshalJSON"},
	{"GobEncode", "GobDecode"},
	{"MarshalBinary", "UnmarshalBinary"},
	{"MarshalText", "UnmarshalText"},
}
