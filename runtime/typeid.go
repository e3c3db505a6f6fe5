package runtime

import (
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// typeIdentities caches typeIdentity, which generic wrappers ask for on
// every call.
var typeIdentities sync.Map // reflect.Type → string

// typeIdentity spells t so that distinct types get distinct spellings,
// stable from one run of a program to the next: named types by their full
// import path and name, followed by the structure of their underlying type.
// The structure tells apart equally named types that reflection cannot:
// types declared inside two functions of one package, or same-named types
// of two packages inside an unnamed struct, which reflect.Type.String
// spells by package name only.
func typeIdentity(t reflect.Type) string {
	if s, ok := typeIdentities.Load(t); ok {
		return s.(string)
	}
	var b strings.Builder
	spellType(&b, t, make(map[reflect.Type]bool))
	s := b.String()
	typeIdentities.Store(t, s)
	return s
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
