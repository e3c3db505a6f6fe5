package memoimpl

import (
	"reflect"
	"unsafe"
)

// This file estimates how many bytes a result keeps alive in a memory
// table, so that a store bounded by bytes (mem://?max_bytes=N) bounds
// memory and not merely strings. A table holds a copy of the result in an
// interface, and the copy references whatever the result does: the
// backing arrays of its strings, slices and maps, the values its pointers
// and interfaces hold. Generated code knows the result types and counts
// all that without reflection ([FuncInfo.Size]); the runtime counts by
// reflection, within bounds, the results of generic functions and of code
// generated without an estimator. The table adds the key and its own
// bookkeeping.
//
// Sizes are estimates: allocations round up to size classes, a map's
// table is counted at an average load, memory a result shares with the
// rest of the program is counted as its own, memory two parts of a result
// share is counted once only where reflection walks (pointers, maps, and
// slices of what references more), and a func's closure or a channel's
// buffer is not counted at all.

// resultSize returns the estimated bytes that r, stored in a memory table,
// keeps alive: its own copy and what it references.
func resultSize[R any](f *Func, r R) int64 {
	n := int64(unsafe.Sizeof(r))
	if size, ok := f.info.Size.(func(R) int64); ok {
		return n + size(r)
	}
	return n + reflectedSize(r)
}

// reflectedSize estimates by reflection the bytes r references. It copies
// r to the heap, for reflection to walk, only if r's type can reference
// anything.
func reflectedSize[R any](r R) int64 {
	if !holds(reflect.TypeFor[R]()) {
		return 0
	}
	p := new(R)
	*p = r
	return ReferencedSize(p)
}

// SliceSize returns the bytes of s's backing array, 0 for a nil or
// zero-capacity slice; not what its elements reference. It is for
// generated code ([FuncInfo.Size]).
func SliceSize[E any](s []E) int64 {
	var e E
	return int64(cap(s)) * int64(unsafe.Sizeof(e))
}

// MapSize returns the estimated bytes of m's table, 0 for a nil map; not
// what its keys and values reference. It is for generated code
// ([FuncInfo.Size]).
func MapSize[K comparable, V any](m map[K]V) int64 {
	if m == nil {
		return 0
	}
	var (
		k K
		v V
	)
	return mapSize(len(m), int64(unsafe.Sizeof(k)+unsafe.Sizeof(v)))
}

// PointeeSize returns the size of the value p points to, without reading
// it; 0 for nil. It is for generated code ([FuncInfo.Size]).
func PointeeSize[T any](p *T) int64 {
	if p == nil {
		return 0
	}
	return int64(unsafe.Sizeof(*p))
}

// Map layout, as Go's swiss tables lay it out (internal/runtime/maps): a
// header, then groups of 8 slots, each slot a key and a value, each group
// led by 8 control bytes. A table grows by doubling once 7/8 of its slots
// are full, so its load lies between 7/16 and 7/8: an average slot count
// of 3/2 per entry. A map of up to 8 entries is a single group.
const (
	mapHeader    = 48 // bytes of the map's header (maps.Map)
	mapGroupSize = 8  // slots per group, and control bytes per group
)

// mapSize estimates the table of a map of n entries whose key and value
// together take slot bytes.
func mapSize(n int, slot int64) int64 {
	if n == 0 {
		return mapHeader
	}
	slots := int64(mapGroupSize)
	if n > mapGroupSize {
		slots = int64(n) * 3 / 2
	}
	return mapHeader + slots*(slot+1) // one control byte per slot
}

// DynamicSize returns the estimated bytes v's dynamic value keeps alive: a
// copy of it, unless it is a pointer, a map, a chan or a func, which an
// interface holds directly, and what it references; 0 for nil. It serves
// interfaces, whose dynamic values generated code cannot see, and counts
// by reflection within bounds: what lies more than 4096 pointers,
// interfaces, slices or maps deep (the tail of a long linked list), or
// past the first 16384 values walked, is not counted, and the elements of
// a slice, an array or a map longer than 64 are counted by a sample of
// 64, evenly spaced, scaled up. It is for generated code ([FuncInfo.Size]).
func DynamicSize(v any) int64 {
	switch v := v.(type) {
	case nil:
		return 0
	case string:
		return int64(unsafe.Sizeof(v)) + int64(len(v))
	case []byte:
		return int64(unsafe.Sizeof(v)) + int64(cap(v))
	}
	rv := reflect.ValueOf(v)
	if !holds(rv.Type()) {
		return boxSize(rv.Type())
	}
	w := sizeWalker{budget: sizeBudget}
	return boxSize(rv.Type()) + w.extra(rv, 0)
}

// ReferencedSize returns the estimated bytes that the value p points to
// references: not the value itself, but the backing arrays of its strings,
// slices and maps and what its pointers and interfaces hold, as
// [DynamicSize] counts them. It serves what generated code counts by
// reflection: another package's struct with unexported fields, a type that
// holds itself (a list, a tree), whose values may hold cycles. It is for
// generated code ([FuncInfo.Size]).
func ReferencedSize[T any](p *T) int64 {
	t := reflect.TypeFor[T]()
	if p == nil || !holds(t) {
		return 0
	}
	w := sizeWalker{budget: sizeBudget}
	return w.extra(reflect.ValueOf(p).Elem(), 0)
}
