// Package alloc is what the decoding guards of memogen's codecs share:
// what allocating a value costs the heap, and a budget to charge it to.
//
// A guard reads an entry before its decoder does and adds up what the
// decoder will allocate; these are the sizes it adds.
package alloc

import (
	"fmt"
	"math"

	"github.com/memogen/memogen/runtime/store"
)

// Size bounds what allocating size bytes takes from the heap: Go rounds a
// request up to its size class, at most an eighth more, and larger objects
// carry a header.
func Size(size int64) int64 { return size + size/8 + 16 }

// huge is what Product returns for a product too large for any budget: a
// quarter of the int64 range, leaving room to add and double.
const huge = math.MaxInt64 / 4

// Product returns n times size, or huge when that is more.
func Product(n int, size int64) int64 {
	if n < 0 || size > 0 && int64(n) > huge/size {
		return huge
	}
	return int64(n) * size
}

// MapEntry is what one entry of a map made for its final size, with keys
// and values of these sizes, may cost: its slot, with the slack of a table
// at most half full after growing, and a key and a value allocated for it.
// Keys and values over 128 bytes live outside the slot.
func MapEntry(key, value int64) int64 {
	slot := int64(8) // the control byte and padding
	for _, size := range []int64{key, value} {
		if size > 128 {
			slot += 8 + Size(size)
		} else {
			slot += size
		}
	}
	return 2*slot + Size(key) + Size(value)
}

// HintedMapEntry is what one entry costs a map made with room for all its
// entries, besides keys and values the decoder allocates: a table of at
// most 16/7 slots an entry, and the keys and values over 128 bytes, which
// live outside their slots.
func HintedMapEntry(key, value int64) int64 {
	slot, outside := mapSlot(key, value)
	return 3*slot + outside
}

// GrownMapEntry is what one entry costs a map that grows one entry at a
// time: the tables it outgrew add at most as much again as the last one.
func GrownMapEntry(key, value int64) int64 {
	slot, outside := mapSlot(key, value)
	return 5*slot + outside
}

// mapSlot returns the size of a map slot for keys and values of these
// sizes, with its control byte and padding, and what an entry's key and
// value take outside the slot, when over 128 bytes.
func mapSlot(key, value int64) (slot, outside int64) {
	slot = 8
	for _, size := range []int64{key, value} {
		if size > 128 {
			slot += 8
			outside += Size(size)
		} else {
			slot += size
		}
	}
	return slot, outside
}

// MapHeader is what an empty map costs.
const MapHeader = 64

// NextCap returns the capacity append gives a slice of capacity oldCap
// that must hold newLen elements (runtime.nextslicecap, before rounding
// up to a size class). reflect.Value.Grow grows a slice the same way.
func NextCap(newLen, oldCap int) int {
	doubled := 2 * oldCap
	if newLen > doubled {
		return newLen
	}
	const threshold = 256
	if oldCap < threshold {
		return doubled
	}
	c := oldCap
	for c < newLen {
		c += (c + 3*threshold) >> 2
	}
	return c
}

// A Budget is what a decode may still allocate.
type Budget struct {
	Left  int64  // not yet charged
	Total int64  // the whole budget, for messages
	Codec string // the codec's name, for messages
}

// New returns a budget of total bytes.
func New(codec string, total int64) Budget {
	return Budget{Left: total, Total: total, Codec: codec}
}

// Charge takes n bytes from the budget, or fails with an error wrapping
// store.ErrTooLarge when fewer are left.
func (b *Budget) Charge(n int64) error {
	if n > b.Left {
		return fmt.Errorf("%w: %s: decoding would allocate more than the %d bytes allowed", store.ErrTooLarge, b.Codec, b.Total)
	}
	b.Left -= n
	return nil
}

// Charged returns what was charged so far.
func (b *Budget) Charged() int64 { return b.Total - b.Left }
