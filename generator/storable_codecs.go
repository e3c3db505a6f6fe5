package generator

import (
	"fmt"
	"go/types"
	"slices"
	"strings"
)

// codecRules is what memogen knows of a built-in codec, read from its
// sources: which marshaling methods it calls, in which order, on which
// method set (vmihailenco/msgpack/v5's encode_value.go and decode_value.go,
// encoding/json's encode.go and decode.go, encoding/gob's type.go), how it
// lays out a struct, and what it cannot encode at all.
type codecRules struct {
	name string
	// enc and dec are the methods by which a type encodes and decodes
	// itself, most preferred first; enc[i] and dec[i] make a pair.
	enc, dec []methodSig
	// valueFirst: the codec looks for every method on the type's own method
	// set before its pointer's (msgpack); otherwise on its pointer's.
	valueFirst bool
	// addressableOnly: the codec calls a method declared on the pointer type
	// only for a value it can address, and silently encodes other values
	// field by field (json); msgpack and gob fail on them instead.
	addressableOnly bool
	interfaces      bool // keeps an interface's dynamic type (gob, for registered types)
	complex         bool // encodes complex numbers
	uintptr         bool // encodes uintptr
	textKeys        bool // map keys are strings, integers or text (json)
	// registered reports types the codec encodes by an encoder of its own.
	registered func(types.Type) bool
	// layout returns the fields the codec writes for a struct, or the
	// first field it loses.
	layout func(*types.Struct) ([]layoutField, *fieldProblem)
}

// methodSig is a marshaling method: Name() ([]byte, error),
// Name([]byte) error, or, with stream set, Name(*stream) error.
type methodSig struct {
	name    string
	marshal bool      // returns the bytes; else takes them
	stream  [2]string // package path and name of a stream type the method takes, if any
}

var (
	msgpackEncoder   = methodSig{name: "EncodeMsgpack", stream: [2]string{msgpackPath, "Encoder"}}
	msgpackDecoder   = methodSig{name: "DecodeMsgpack", stream: [2]string{msgpackPath, "Decoder"}}
	marshalMsgpack   = methodSig{name: "MarshalMsgpack", marshal: true}
	unmarshalMsgpack = methodSig{name: "UnmarshalMsgpack"}
	marshalBinary    = methodSig{name: "MarshalBinary", marshal: true}
	unmarshalBinary  = methodSig{name: "UnmarshalBinary"}
	marshalText      = methodSig{name: "MarshalText", marshal: true}
	unmarshalText    = methodSig{name: "UnmarshalText"}
	marshalJSON      = methodSig{name: "MarshalJSON", marshal: true}
	unmarshalJSON    = methodSig{name: "UnmarshalJSON"}
	gobEncode        = methodSig{name: "GobEncode", marshal: true}
	gobDecode        = methodSig{name: "GobDecode"}
)

const msgpackPath = "github.com/vmihailenco/msgpack/v5"

// msgpackMethods are the marshaling methods msgpack calls, apart from its
// rules, which its layout needs too.
var msgpackMethods = codecRules{
	enc:        []methodSig{msgpackEncoder, marshalMsgpack, marshalBinary, marshalText},
	dec:        []methodSig{msgpackDecoder, unmarshalMsgpack, unmarshalBinary, unmarshalText},
	valueFirst: true,
}

// msgpackRegistered reports the types msgpack encodes by an extension:
// memogen's codec registers time.Time's and keeps its zone
// (codecs/msgpack).
func msgpackRegistered(t types.Type) bool { return isNamed(t, "time", "Time") }

var (
	msgpackRules = &codecRules{
		name:       "msgpack",
		enc:        msgpackMethods.enc,
		dec:        msgpackMethods.dec,
		valueFirst: true,
		registered: msgpackRegistered,
		layout:     msgpackLayout,
	}
	jsonRules = &codecRules{
		name:            "json",
		enc:             []methodSig{marshalJSON, marshalText},
		dec:             []methodSig{unmarshalJSON, unmarshalText},
		addressableOnly: true,
		uintptr:         true,
		textKeys:        true,
		layout:          jsonLayout,
	}
	gobRules = &codecRules{
		name:       "gob",
		enc:        []methodSig{gobEncode, marshalBinary},
		dec:        []methodSig{gobDecode, unmarshalBinary},
		interfaces: true,
		complex:    true,
		uintptr:    true,
		layout:     exportedLayout,
	}
	// yamlRules: go.yaml.in/yaml/v3 keeps exported fields not tagged
	// yaml:"-", decodes interfaces as plain maps, slices and scalars, and
	// cannot encode complex numbers. MarshalYAML returns a value, not
	// bytes, which these rules do not model: a type with it is checked at
	// run time, when its result is verified before it is stored.
	yamlRules = &codecRules{
		name:    "yaml",
		enc:     []methodSig{marshalText},
		dec:     []methodSig{unmarshalText},
		uintptr: true,
		layout:  yamlLayout,
	}
	// The raw codec takes []byte and string results alone; other results
	// fail to encode at run time.
	rawRules = &codecRules{name: "raw", complex: true, uintptr: true, layout: exportedLayout}
)

// rulesFor returns the rules of the codec a codec= spec names, compressors
// aside, or nil for a codec of the user's own.
func rulesFor(spec string) *codecRules {
	base, _, _ := strings.Cut(spec, "+")
	switch base {
	case "", "msgpack":
		return msgpackRules
	case "json":
		return jsonRules
	case "gob":
		return gobRules
	case "raw":
		return rawRules
	case "yaml":
		return yamlRules
	}
	return nil
}

// calls reports whether the codec calls a method of that name.
func (r *codecRules) calls(name string) bool {
	return slices.ContainsFunc(slices.Concat(r.enc, r.dec), func(m methodSig) bool { return m.name == name })
}

// choice is the marshaling method a codec picks for a type.
type choice struct {
	tier    int // index in the codec's enc or dec list; -1 for none
	sel     *types.Selection
	ptrOnly bool // declared on the pointer type only
}

// choose returns the method of list the codec picks for t, met in context
// v, as the codec's own lookup does.
func (r *codecRules) choose(list []methodSig, t types.Type, v visit, encoding bool) choice {
	own := types.NewMethodSet(t)
	ptr := types.NewMethodSet(types.NewPointer(t))
	switch {
	case r.valueFirst && !v.viaPointer:
		if c := firstMethod(list, own); c.tier >= 0 {
			return c
		}
		c := firstMethod(list, ptr)
		c.ptrOnly = c.tier >= 0
		return c
	case r.addressableOnly && encoding && !v.addressable:
		return firstMethod(list, own)
	}
	c := firstMethod(list, ptr)
	c.ptrOnly = c.tier >= 0 && own.Lookup(nil, list[c.tier].name) == nil
	return c
}

// firstMethod returns the first method of list that methods has.
func firstMethod(list []methodSig, methods *types.MethodSet) choice {
	for i, m := range list {
		if sel := methods.Lookup(nil, m.name); sel != nil && m.matches(sel.Obj().Type().(*types.Signature)) {
			return choice{tier: i, sel: sel}
		}
	}
	return choice{tier: -1}
}

// matches reports whether sig is m's signature.
func (m methodSig) matches(sig *types.Signature) bool {
	bytes := types.NewSlice(types.Typ[types.Byte])
	params, results := sig.Params(), sig.Results()
	switch {
	case m.marshal:
		return params.Len() == 0 && results.Len() == 2 &&
			types.Identical(results.At(0).Type(), bytes) && isError(results.At(1).Type())
	case m.stream != [2]string{}:
		if params.Len() != 1 || results.Len() != 1 || !isError(results.At(0).Type()) {
			return false
		}
		p, ok := types.Unalias(params.At(0).Type()).(*types.Pointer)
		return ok && isNamed(p.Elem(), m.stream[0], m.stream[1])
	}
	return params.Len() == 1 && results.Len() == 1 &&
		types.Identical(params.At(0).Type(), bytes) && isError(results.At(0).Type())
}

// marshaling reports whether the codec encodes t by t's own methods
// (itself), and why such a value would not come back when its methods do
// not make a pair the codec calls both of.
func (s *storeChecker) marshaling(t types.Type, where, verb string, v visit) (reason string, itself bool) {
	r := s.rules
	if r.registered != nil && r.registered(t) {
		return "", true
	}
	enc := r.choose(r.enc, t, v, true)
	dec := r.choose(r.dec, t, v, false)
	if enc.tier < 0 && dec.tier < 0 {
		return "", false
	}
	subject := "type " + s.typeString(t) + s.typePos(t)
	if enc.tier == dec.tier {
		method := r.enc[enc.tier].name
		if enc.ptrOnly && !v.addressable {
			return fmt.Sprintf("%s %s %s, whose %s is declared on *%s: %s cannot call it on a map key or value", where, verb, s.typeString(t), method, s.typeString(t), r.name), true
		}
		return s.promoted(t, subject, enc.sel, dec.sel), true
	}
	if r.addressableOnly && !v.addressable && r.choose(r.enc, t, visit{addressable: true}, true).tier == dec.tier {
		method := r.enc[dec.tier].name
		return fmt.Sprintf("%s %s %s, whose %s is declared on *%s: %s does not call it on a map key or value and would write its fields", where, verb, s.typeString(t), method, s.typeString(t), r.name), true
	}
	switch {
	case enc.tier < 0:
		return fmt.Sprintf("%s has %s but no %s: %s would write its fields and read them with %s", subject, r.dec[dec.tier].name, r.enc[dec.tier].name, r.name, r.dec[dec.tier].name), true
	case dec.tier < 0:
		return fmt.Sprintf("%s has %s but no %s: %s would write it with %s and read it field by field", subject, r.enc[enc.tier].name, r.dec[enc.tier].name, r.name, r.enc[enc.tier].name), true
	}
	return fmt.Sprintf("%s has %s and %s: %s would write it with the one and read it with the other", subject, r.enc[enc.tier].name, r.dec[dec.tier].name, r.name), true
}

// promoted returns why a type whose marshaling methods come from an
// embedded field loses its other fields, or "".
func (s *storeChecker) promoted(t types.Type, subject string, enc, dec *types.Selection) string {
	encPath, decPath := enc.Index()[:len(enc.Index())-1], dec.Index()[:len(dec.Index())-1]
	if !slices.Equal(encPath, decPath) {
		return fmt.Sprintf("%s gets %s and %s from different embedded fields: %s would write it with the one and read it with the other", subject, enc.Obj().Name(), dec.Obj().Name(), s.rules.name)
	}
	for _, i := range encPath {
		st, ok := derefStruct(t)
		if !ok {
			return ""
		}
		for j := range st.NumFields() {
			if f := st.Field(j); j != i && f.Name() != "_" {
				return fmt.Sprintf("%s gets %s from its embedded %s: %s would write only that and drop field %s%s", subject, enc.Obj().Name(), st.Field(i).Name(), s.rules.name, f.Name(), s.pos(f))
			}
		}
		t = st.Field(i).Type()
	}
	return ""
}

// derefStruct returns the struct t is, or points to.
func derefStruct(t types.Type) (*types.Struct, bool) {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	return st, ok
}

// jsonMapKey returns why encoding/json could not write or read back a map
// key of type k, or "". json writes a key of string kind as it is, else by
// MarshalText, else an integer in decimal; it reads a key by UnmarshalText
// when the key's pointer type has it, else as a string or an integer. When
// it writes a key one way and reads it the other, whether the key comes
// back depends on what the text methods do, which only the value shows.
func (s *storeChecker) jsonMapKey(k types.Type, where, verb string) string {
	b, ok := k.Underlying().(*types.Basic)
	plain := ok && b.Info()&(types.IsString|types.IsInteger) != 0
	name := s.typeString(k) + s.typePos(k)
	switch {
	case plain:
	case firstMethod([]methodSig{marshalText}, types.NewMethodSet(k)).tier < 0:
		return fmt.Sprintf("%s %s a map with keys of type %s, which json cannot write", where, verb, name)
	case firstMethod([]methodSig{unmarshalText}, types.NewMethodSet(types.NewPointer(k))).tier < 0:
		return fmt.Sprintf("%s %s a map with keys of type %s, which json cannot read", where, verb, name)
	}
	return ""
}
