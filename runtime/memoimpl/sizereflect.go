package memoimpl

import (
	"reflect"
	"sync"
	"unsafe"
)

// The bounds of the reflective estimate ([DynamicSize], [ReferencedSize]).
// It runs on a miss, so it must cost little next to the call it follows,
// whatever the result holds: a million-element slice, a cycle, a list a
// million nodes long.
const (
	sizeBudget   = 1 << 14 // values walked at most, for one result
	sizeMaxDepth = 1 << 12 // pointers, interfaces, slices and maps followed one within another
	sizeSample   = 64      // elements walked of a slice, an array or a map, the rest scaled from them
)

// sizeWalker estimates by reflection the bytes a value references.
type sizeWalker struct {
	budget int // values it may still walk
	// seen holds the pointers walked, and the maps and slices whose
	// elements can lead on to further pointers, maps, slices or
	// interfaces: a cycle ends where it closes, and memory that two parts
	// of a value share through them is counted once. A slice or map of
	// strings or numbers, which can lead nowhere, is not recorded.
	seen map[sizeKey]struct{}
}

// sizeKey identifies a pointer, map or slice: what it points to, as what
// type, since a struct and its first field share an address.
type sizeKey struct {
	ptr unsafe.Pointer
	typ reflect.Type
}

// extra returns the estimated bytes v references outside itself; depth
// counts the pointers, interfaces, slices and maps it was reached through.
func (w *sizeWalker) extra(v reflect.Value, depth int) int64 {
	if w.budget <= 0 || depth > sizeMaxDepth {
		return 0
	}
	w.budget--
	t := v.Type()
	switch v.Kind() {
	case reflect.String:
		return int64(v.Len())
	case reflect.Slice:
		if v.Cap() == 0 || links(t.Elem()) && !w.first(v) {
			return 0
		}
		return int64(v.Cap())*int64(t.Elem().Size()) + w.elems(v, depth+1)
	case reflect.Array:
		return w.elems(v, depth) // its elements are inline
	case reflect.Map:
		if v.IsNil() || (links(t.Key()) || links(t.Elem())) && !w.first(v) {
			return 0
		}
		return mapSize(v.Len(), int64(t.Key().Size()+t.Elem().Size())) + w.entries(v, depth)
	case reflect.Pointer:
		if v.IsNil() || !w.first(v) {
			return 0
		}
		n := int64(t.Elem().Size())
		if holds(t.Elem()) {
			n += w.extra(v.Elem(), depth+1)
		}
		return n
	case reflect.Interface:
		if v.IsNil() {
			return 0
		}
		e := v.Elem()
		return boxSize(e.Type()) + w.extra(e, depth+1)
	case reflect.Struct:
		var n int64
		for i := range t.NumField() {
			if holds(t.Field(i).Type) {
				n += w.extra(v.Field(i), depth)
			}
		}
		return n
	}
	// A func's closure and a channel's buffer are out of sight.
	return 0
}

// first reports whether the pointer, map or slice v is met for the first
// time, and records it.
func (w *sizeWalker) first(v reflect.Value) bool {
	k := sizeKey{v.UnsafePointer(), v.Type()}
	if w.seen == nil {
		w.seen = make(map[sizeKey]struct{})
	}
	if _, ok := w.seen[k]; ok {
		return false
	}
	w.seen[k] = struct{}{}
	return true
}

// elems returns what the elements of slice or array v, at depth,
// reference, walking a sample of them when they are many.
func (w *sizeWalker) elems(v reflect.Value, depth int) int64 {
	n := v.Len()
	if n == 0 || !holds(v.Type().Elem()) {
		return 0
	}
	k := min(n, sizeSample)
	var sum int64
	for j := range k {
		sum += w.extra(v.Index(j*n/k), depth)
	}
	return scale(sum, n, k)
}

// entries returns what the keys and values of map v reference, walking a
// sample of them when they are many: the first a map's iteration, which
// starts at random, yields.
func (w *sizeWalker) entries(v reflect.Value, depth int) int64 {
	t := v.Type()
	keys, values := holds(t.Key()), holds(t.Elem())
	n := v.Len()
	if n == 0 || !keys && !values {
		return 0
	}
	k := min(n, sizeSample)
	var sum int64
	it := v.MapRange()
	for j := 0; j < k && it.Next(); j++ {
		if keys {
			sum += w.extra(it.Key(), depth+1)
		}
		if values {
			sum += w.extra(it.Value(), depth+1)
		}
	}
	return scale(sum, n, k)
}

// scale returns sum, the total of k of n elements, extended to all n.
func scale(sum int64, n, k int) int64 {
	if k == n {
		return sum
	}
	return int64(float64(sum) * float64(n) / float64(k))
}

// boxSize returns the bytes an interface holding a value of type t
// allocates for it: none for a pointer, a map, a chan or a func, which it
// holds directly.
func boxSize(t reflect.Type) int64 {
	switch t.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return 0
	}
	return int64(t.Size())
}

// reach says what a value of a type can reference, as holds and links
// report it.
type reach uint8

const (
	reachStrings reach = 1 << iota // string bytes
	reachLinks                     // a pointer, a slice, a map or an interface
)

// reachCache caches reachOf for struct types, which it walks field by
// field.
var reachCache sync.Map // reflect.Type → reach

// reachOf returns what a value of type t can reference. A time.Time's
// location is shared, not counted.
func reachOf(t reflect.Type) reach {
	switch t.Kind() {
	case reflect.String:
		return reachStrings
	case reflect.Slice, reflect.Map, reflect.Pointer, reflect.Interface:
		return reachLinks
	case reflect.Array:
		if t.Len() == 0 {
			return 0
		}
		return reachOf(t.Elem())
	case reflect.Struct:
		if t == timeType {
			return 0
		}
		if r, ok := reachCache.Load(t); ok {
			return r.(reach)
		}
		var r reach
		for i := range t.NumField() {
			r |= reachOf(t.Field(i).Type)
		}
		reachCache.Store(t, r)
		return r
	}
	return 0
}

// holds reports whether a value of type t can reference memory outside
// itself that an estimate counts: through a string, a slice, a map, a
// pointer or an interface.
func holds(t reflect.Type) bool { return reachOf(t) != 0 }

// links reports whether a value of type t can reference a pointer, a
// slice, a map or an interface, and so lead back to memory already
// counted.
func links(t reflect.Type) bool { return reachOf(t)&reachLinks != 0 }
