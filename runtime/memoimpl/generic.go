package memoimpl

import (
	"fmt"
	"github.com/memogen/memogen/runtime/internal/registry"
	"github.com/memogen/memogen/runtime/internal/typeid"
	"github.com/memogen/memogen/runtime/store"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/zeebo/xxh3"
)

// A Generic is the cache of a generic function, or of a method of a generic
// type: one [Func] per instantiation, created on first use, so that each
// instantiation has its own entries, counters, Clear and size= bound.
// Generated code creates one per function with [NewGeneric] and finds an
// instantiation's Func with [Instance], [Instance2], [Instance3] or
// [Generic.InstanceOf]; every method is safe for concurrent use.
type Generic struct {
	info FuncInfo
	id   store.FuncID

	// instances maps the type arguments, as the lookup that found them
	// spells them (a reflect.Type, a [2]reflect.Type, a [3]reflect.Type or
	// a string of ranked identities), to their *Func. Lookups take no lock.
	instances sync.Map

	mu      sync.Mutex       // serializes creating instances
	byTypes map[string]*Func // instances by rankedTypeArgs of their type arguments; guarded by mu

	// boundReported says whether an instance reported that size= can
	// never be reached, which is said once for all instances.
	boundReported atomic.Bool
}

// NewGeneric returns the cache of the generic function info describes. It
// creates no Func yet: each instantiation gets one on first use. The
// Generic is registered at once, so that [memo.CheckBackends] checks its backend
// before any instantiation is called.
func NewGeneric(info FuncInfo) *Generic {
	g := &Generic{info: info, id: info.id()}
	registry.Use(info.backendName(), info.codecSpec(), g.id.String(), true)
	return g
}

// ID returns the generic function's identity; each instance's adds its type
// arguments.
func (g *Generic) ID() store.FuncID { return g.id }

// Instance returns the Func of g's instantiation with type argument T. A
// lookup after the first allocates nothing.
func Instance[T any](g *Generic) *Func {
	t := reflect.TypeFor[T]()
	if f, ok := g.instances.Load(t); ok {
		return f.(*Func)
	}
	return g.create(t, []reflect.Type{t})
}

// Instance2 returns the Func of g's instantiation with type arguments T1
// and T2. A lookup after the first allocates nothing.
func Instance2[T1, T2 any](g *Generic) *Func {
	key := [2]reflect.Type{reflect.TypeFor[T1](), reflect.TypeFor[T2]()}
	if f, ok := g.instances.Load(key); ok {
		return f.(*Func)
	}
	return g.create(key, key[:])
}

// Instance3 returns the Func of g's instantiation with type arguments T1, T2
// and T3. A lookup after the first allocates nothing.
func Instance3[T1, T2, T3 any](g *Generic) *Func {
	key := [3]reflect.Type{reflect.TypeFor[T1](), reflect.TypeFor[T2](), reflect.TypeFor[T3]()}
	if f, ok := g.instances.Load(key); ok {
		return f.(*Func)
	}
	return g.create(key, key[:])
}

// InstanceOf returns the Func of g's instantiation with type arguments
// types, for functions with more type parameters than [Instance3] takes.
// Unlike those, it allocates on every call.
func (g *Generic) InstanceOf(types ...reflect.Type) *Func {
	key := rankedTypeArgs(typeInfosOf(types))
	if f, ok := g.instances.Load(key); ok {
		return f.(*Func)
	}
	return g.create(key, types)
}

// create returns the Func of the instantiation with type arguments types,
// creating it unless another lookup did, and remembers it under key.
// Distinct types make distinct instances, even types that share a
// spelling (see typeid.go).
func (g *Generic) create(key any, types []reflect.Type) *Func {
	g.mu.Lock()
	defer g.mu.Unlock()
	if f, ok := g.instances.Load(key); ok {
		return f.(*Func)
	}
	infos := typeInfosOf(types)
	ranked := rankedTypeArgs(infos)
	f := g.byTypes[ranked]
	if f == nil {
		spellings := typeArgSpellings(infos)
		named := spellings
		if typeid.AnyAmbiguous(infos) {
			// Another instance may have the same spellings: the name,
			// by which memory stores find an instance's table, must
			// differ.
			named = ranked
		}
		info := g.info
		args := "[" + spellTypeArgs(infos, named) + "]"
		if info.Receiver != "" {
			info.Receiver += args
		} else {
			info.Name += args
		}
		f = newFunc(info, spellings, g)
		f.typeArgs = infos
		if g.byTypes == nil {
			g.byTypes = make(map[string]*Func)
		}
		g.byTypes[ranked] = f
	}
	g.instances.Store(key, f)
	return f
}

func typeInfosOf(types []reflect.Type) []*typeid.Info {
	infos := make([]*typeid.Info, len(types))
	for i, t := range types {
		infos[i] = typeid.Of(t)
	}
	return infos
}

// typeArgSpellings joins the spellings of type arguments, which a byte-level
// key prefix carries, each ended by a NUL, which no spelling contains.
func typeArgSpellings(infos []*typeid.Info) string {
	var b strings.Builder
	for _, info := range infos {
		b.WriteString(info.Spelling)
		b.WriteByte(0)
	}
	return b.String()
}

// rankedTypeArgs joins the ranked identities of type arguments: distinct
// for distinct types in this process, even when their spellings are equal.
// A ranked identity is its spelling, "#" and a number, and no spelling
// ends in "#" and digits, so the join is unambiguous.
func rankedTypeArgs(infos []*typeid.Info) string {
	var b strings.Builder
	for _, info := range infos {
		b.WriteString(info.Ranked)
		b.WriteByte(0)
	}
	return b.String()
}

// maxSpelledTypeArgs bounds the type arguments an instance's name spells
// out; longer ones are spelled by their hash.
const maxSpelledTypeArgs = 64

// spellTypeArgs returns how an instance's name spells its type arguments:
// as Go spells them ("int", "string,[]uint8", "map[string]any") when they
// are built of predeclared types alone, and else as 16 hex digits of a
// hash of key, their joined spellings (see typeid.go), or their ranked
// identities when a spelling is ambiguous, so that each instance has a
// table of its own in a memory store. Only the first is both readable and
// unambiguous: a named type's spelling holds its import path and
// structure. Either way the name is a safe file name and Redis key element
// (no slash, backslash, colon, dot, space or NUL), and the spellings
// themselves go into the instance's key prefix, so that a collision of
// names can never mix entries.
func spellTypeArgs(infos []*typeid.Info, key string) string {
	spelled := make([]string, len(infos))
	for i, info := range infos {
		spelled[i] = strings.ReplaceAll(info.Spelling, "interface{}", "any")
	}
	s := strings.Join(spelled, ",")
	if len(s) <= maxSpelledTypeArgs && plainTypeArgs(s) {
		return s
	}
	return fmt.Sprintf("%016x", xxh3.HashString(key))
}

// plainTypeArgs reports whether s spells only predeclared types, slices,
// arrays and maps of them: letters, digits, underscores, brackets and
// commas.
func plainTypeArgs(s string) bool {
	for _, c := range []byte(s) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '_', c == '[', c == ']', c == ',':
		default:
			return false
		}
	}
	return s != ""
}
