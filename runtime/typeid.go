package runtime

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// A type's identity has two parts, for two audiences.
//
// Its spelling (see spellType) is its full import path, name and structure:
// stable from one run of a program to the next and from one build to the
// next, so byte-level backends, which outlive a process, key by it. The
// structure tells apart equally named types that reflection cannot: types
// of the same name declared inside two functions of one package with
// different fields, or same-named types of two packages inside an unnamed
// struct, which reflect.Type.String spells by package name only.
//
// Two types can still share a spelling: types of one name and structure
// declared inside two functions of one package (type L struct{ X int } in
// both), or inside a function and at package level. A program records
// nothing else about them, so no other process can tell them apart. This
// process can: each reflect.Type is its own type, and the first time it
// meets a second type of a spelling, that spelling becomes ambiguous. From
// then on each of its types is identified, in this process, by the spelling
// and its rank among them ("#1", "#2"), and keys and instances built from
// them stay in memory: a byte-level backend runs such calls uncached
// (ErrAmbiguousType), because another process could give the ranks to the
// types the other way round. Before a process meets the second type, it
// cannot know the spelling is ambiguous: give such types distinct names
// when a byte-level backend is shared by processes that use different ones.

// ErrAmbiguousType reports a call whose key or type arguments involve a
// type that shares its name and structure with another type of the
// program, such as two types declared inside two functions: memory tables
// tell them apart, but byte-level backends, which other processes share,
// cannot, so the call runs uncached there.
var ErrAmbiguousType = errors.New("memo: a type shares its name and structure with another type of this program; byte-level backends cannot tell them apart")

// typeInfo is what the process knows of one type.
type typeInfo struct {
	spelling string         // stable across processes; see spellType
	ranked   string         // spelling#rank: distinct in this process
	group    *spellingGroup // every type of this process with this spelling
}

// spellingGroup counts the types of one spelling this process has met.
type spellingGroup struct {
	types     int         // guarded by typeSpellings.mu
	ambiguous atomic.Bool // set once types reaches 2
}

var (
	// typeInfos caches typeInfoOf, which keys and generic wrappers ask for
	// on every call.
	typeInfos sync.Map // reflect.Type → *typeInfo

	typeSpellings struct {
		mu     sync.Mutex
		groups map[string]*spellingGroup // guarded by mu
	}
)

// typeInfoOf returns what the process knows of t, registering t on first
// use.
func typeInfoOf(t reflect.Type) *typeInfo {
	if info, ok := typeInfos.Load(t); ok {
		return info.(*typeInfo)
	}
	var b strings.Builder
	spellType(&b, t, make(map[reflect.Type]bool))
	spelling := b.String()

	typeSpellings.mu.Lock()
	defer typeSpellings.mu.Unlock()
	if info, ok := typeInfos.Load(t); ok { // registered meanwhile
		return info.(*typeInfo)
	}
	if typeSpellings.groups == nil {
		typeSpellings.groups = make(map[string]*spellingGroup)
	}
	g := typeSpellings.groups[spelling]
	if g == nil {
		g = new(spellingGroup)
		typeSpellings.groups[spelling] = g
	}
	g.types++
	if g.types == 2 {
		// Before t is published, so that no key ever spells it plainly.
		g.ambiguous.Store(true)
		// Instances bound to byte-level backends under the spelling must
		// now run uncached: rebinding tells them.
		registry.gen.Add(1)
	}
	info := &typeInfo{spelling: spelling, ranked: spelling + "#" + strconv.Itoa(g.types), group: g}
	typeInfos.Store(t, info)
	return info
}

// typeIdentity spells t for keys: its spelling, and whether the spelling is
// ambiguous, in which case it is ranked and valid in this process only.
func typeIdentity(t reflect.Type) (id string, local bool) {
	info := typeInfoOf(t)
	if info.group.ambiguous.Load() {
		return info.ranked, true
	}
	return info.spelling, false
}

// writeType writes the identity of t, marking the key as valid in this
// process only when t's spelling is ambiguous.
func (w *KeyWriter) writeType(t reflect.Type) {
	id, local := typeIdentity(t)
	if local {
		w.local = true
	}
	w.Text(id)
}

// errAmbiguous describes the ambiguous types among types, nil if none.
func errAmbiguous(types []*typeInfo) error {
	for _, info := range types {
		if info.group.ambiguous.Load() {
			return fmt.Errorf("%w: %s", ErrAmbiguousType, info.spelling)
		}
	}
	return nil
}

// spellType writes t; a named type already being spelled is written by
// name alone, which ends recursion.
func spellType(b *strings.Builder, t reflect.Type, expanding map[reflect.Type]bool) {
	if t.Name() != "" {
		if t.PkgPath() != "" {
			b.WriteString(t.PkgPath())
			b.WriteByte('.')
		}
		b.WriteString(t.Name())
		if t.PkgPath() == "" || expanding[t] {
			return // predeclared, or recursive
		}
		expanding[t] = true
		defer delete(expanding, t)
		b.WriteByte('=')
	}
	switch t.Kind() {
	case reflect.Pointer:
		b.WriteByte('*')
		spellType(b, t.Elem(), expanding)
	case reflect.Slice:
		b.WriteString("[]")
		spellType(b, t.Elem(), expanding)
	case reflect.Array:
		b.WriteString("[" + strconv.Itoa(t.Len()) + "]")
		spellType(b, t.Elem(), expanding)
	case reflect.Map:
		b.WriteString("map[")
		spellType(b, t.Key(), expanding)
		b.WriteByte(']')
		spellType(b, t.Elem(), expanding)
	case reflect.Chan:
		b.WriteString(t.ChanDir().String() + " ")
		spellType(b, t.Elem(), expanding)
	case reflect.Struct:
		b.WriteString("struct{")
		for i := range t.NumField() {
			f := t.Field(i)
			if i > 0 {
				b.WriteString("; ")
			}
			if f.Anonymous {
				b.WriteString("embedded ")
			}
			if f.PkgPath != "" { // unexported: the package is part of its name
				b.WriteString(f.PkgPath + ".")
			}
			b.WriteString(f.Name + " ")
			spellType(b, f.Type, expanding)
			if f.Tag != "" {
				b.WriteString(" " + strconv.Quote(string(f.Tag)))
			}
		}
		b.WriteByte('}')
	case reflect.Func:
		b.WriteString("func(")
		for i := range t.NumIn() {
			if i > 0 {
				b.WriteString(", ")
			}
			if t.IsVariadic() && i == t.NumIn()-1 {
				b.WriteString("...")
			}
			spellType(b, t.In(i), expanding)
		}
		b.WriteString(")(")
		for i := range t.NumOut() {
			if i > 0 {
				b.WriteString(", ")
			}
			spellType(b, t.Out(i), expanding)
		}
		b.WriteByte(')')
	case reflect.Interface:
		b.WriteString("interface{")
		for i := range t.NumMethod() {
			m := t.Method(i)
			if i > 0 {
				b.WriteString("; ")
			}
			if m.PkgPath != "" {
				b.WriteString(m.PkgPath + ".")
			}
			b.WriteString(m.Name + " ")
			spellType(b, m.Type, expanding)
		}
		b.WriteByte('}')
	default: // bool, numbers, string, unsafe.Pointer
		b.WriteString(t.Kind().String())
	}
}
