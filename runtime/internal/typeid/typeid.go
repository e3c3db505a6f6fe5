// Package typeid identifies types for keys and for the instances of
// generic functions, in words that hold across processes where it can.
package typeid

import (
	"errors"
	"fmt"
	"reflect"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/memogen/memogen/runtime/internal/registry"
)

// A type's identity has two parts, for two audiences.
//
// Its spelling (see speller) is its full import path, name and structure:
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
//
// Reflection names the package of every program's main package "main", so
// that two programs that each declare main.Item would spell them alike.
// A spelling names the main package by the import path the program was
// built from instead (example.com/cmd/a.Item), as the program's build
// information records it, and as tests of the package already spell it.
// A program built from files named on the command line (go run main.go),
// or without module information (GOPATH mode, some build systems), has no
// such path: every one is "command-line-arguments" or nothing. Its types
// of package main are then told apart in this process only, as ambiguous
// types are, and calls that involve them run uncached on byte-level
// backends (ErrUnnamedMain): another program of that kind could declare
// the same names with another meaning.

// ErrAmbiguousType is memo.ErrAmbiguousType.
var ErrAmbiguousType = errors.New("memo: a type shares its name and structure with another type of this program; byte-level backends cannot tell them apart")

// ErrUnnamedMain is memo.ErrUnnamedMain.
var ErrUnnamedMain = errors.New("memo: a type of package main of a program built from files, without an import path; byte-level backends cannot tell it from other programs' types")

// mainPath returns the import path of the program's main package, or ""
// when the program was built without one.
var mainPath = sync.OnceValue(func() string {
	info, ok := debug.ReadBuildInfo()
	if !ok || info.Path == "command-line-arguments" {
		return ""
	}
	return info.Path
})

// Info is what the process knows of one type.
type Info struct {
	Spelling string         // stable across processes; see speller
	Ranked   string         // spelling#rank: distinct in this process
	group    *spellingGroup // every type of this process with this spelling
	// unnamedMain is set when the spelling names package main of a
	// program built without its import path: valid in this process only.
	unnamedMain bool
}

// spellingGroup counts the types of one spelling this process has met.
type spellingGroup struct {
	types     int         // guarded by typeSpellings.mu
	ambiguous atomic.Bool // set once types reaches 2
}

var (
	// typeInfos caches Of, which keys and generic wrappers ask for
	// on every call.
	typeInfos sync.Map // reflect.Type → *Info

	typeSpellings struct {
		mu     sync.Mutex
		groups map[string]*spellingGroup // guarded by mu
	}
)

// Of returns what the process knows of t, registering t on first use.
func Of(t reflect.Type) *Info {
	if info, ok := typeInfos.Load(t); ok {
		return info.(*Info)
	}
	sp := speller{expanding: make(map[reflect.Type]bool), mainPkg: "main", mainPath: mainPath()}
	sp.spell(t)
	spelling := sp.b.String()

	typeSpellings.mu.Lock()
	defer typeSpellings.mu.Unlock()
	if info, ok := typeInfos.Load(t); ok { // registered meanwhile
		return info.(*Info)
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
		registry.Changed()
	}
	info := &Info{Spelling: spelling, Ranked: spelling + "#" + strconv.Itoa(g.types), group: g, unnamedMain: sp.unnamedMain}
	typeInfos.Store(t, info)
	return info
}

// Identity spells the type for keys: its spelling, and whether the
// spelling is valid in this process only, ranked when it is ambiguous.
func (info *Info) Identity() (id string, local bool) {
	if info.group.ambiguous.Load() {
		return info.Ranked, true
	}
	return info.Spelling, info.unnamedMain
}

// ErrLocal describes the first of types whose identity is valid in this
// process only, nil if none: byte-level backends cannot tell it from
// another type.
func ErrLocal(types ...*Info) error {
	for _, info := range types {
		switch {
		case info.group.ambiguous.Load():
			return fmt.Errorf("%w: %s", ErrAmbiguousType, info.Spelling)
		case info.unnamedMain:
			return fmt.Errorf("%w: %s", ErrUnnamedMain, info.Spelling)
		}
	}
	return nil
}

// AnyAmbiguous reports whether the spelling of one of types is ambiguous.
func AnyAmbiguous(types []*Info) bool {
	for _, info := range types {
		if info.group.ambiguous.Load() {
			return true
		}
	}
	return false
}

// A speller writes the spelling of types.
type speller struct {
	b         strings.Builder
	expanding map[reflect.Type]bool // named types being spelled
	// mainPkg is the package path reflection gives the main package,
	// "main", and mainPath the import path written in its place, "" when
	// the program has none (see mainPath).
	mainPkg, mainPath string
	// unnamedMain is set once a spelling names the main package while
	// mainPath is "".
	unnamedMain bool
}

// pkg writes the package path of a type, field or method.
func (s *speller) pkg(path string) {
	switch {
	case path != s.mainPkg:
		s.b.WriteString(path)
	case s.mainPath == "":
		s.unnamedMain = true
		s.b.WriteString(path)
	default:
		s.b.WriteString(s.mainPath)
	}
}

// spell writes t; a named type already being spelled is written by name
// alone, which ends recursion.
func (s *speller) spell(t reflect.Type) {
	b := &s.b
	if t.Name() != "" {
		if t.PkgPath() != "" {
			s.pkg(t.PkgPath())
			b.WriteByte('.')
		}
		b.WriteString(t.Name())
		if t.PkgPath() == "" || s.expanding[t] {
			return // predeclared, or recursive
		}
		s.expanding[t] = true
		defer delete(s.expanding, t)
		b.WriteByte('=')
	}
	switch t.Kind() {
	case reflect.Pointer:
		b.WriteByte('*')
		s.spell(t.Elem())
	case reflect.Slice:
		b.WriteString("[]")
		s.spell(t.Elem())
	case reflect.Array:
		b.WriteString("[" + strconv.Itoa(t.Len()) + "]")
		s.spell(t.Elem())
	case reflect.Map:
		b.WriteString("map[")
		s.spell(t.Key())
		b.WriteByte(']')
		s.spell(t.Elem())
	case reflect.Chan:
		b.WriteString(t.ChanDir().String() + " ")
		s.spell(t.Elem())
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
				s.pkg(f.PkgPath)
				b.WriteByte('.')
			}
			b.WriteString(f.Name + " ")
			s.spell(f.Type)
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
			s.spell(t.In(i))
		}
		b.WriteString(")(")
		for i := range t.NumOut() {
			if i > 0 {
				b.WriteString(", ")
			}
			s.spell(t.Out(i))
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
				s.pkg(m.PkgPath)
				b.WriteByte('.')
			}
			b.WriteString(m.Name + " ")
			s.spell(m.Type)
		}
		b.WriteByte('}')
	default: // bool, numbers, string, unsafe.Pointer
		b.WriteString(t.Kind().String())
	}
}
