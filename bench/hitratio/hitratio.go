// Package hitratio replays key traces through caches of equal capacity and
// measures their hit ratios: memogen's memory backend (through a table,
// the path generated code takes), an LRU (github.com/hashicorp/golang-lru/v2)
// and otter v2 (W-TinyLFU).
package hitratio

import (
	"encoding/binary"
	"math/rand/v2"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/maypok86/otter/v2"

	"github.com/memogen/memogen/backends/memory"
	"github.com/memogen/memogen/runtime/store"
)

// A Trace is the sequence of keys a program asks for.
type Trace struct {
	Name string
	Keys []uint64
}

// Zipf returns n requests over keys 0 to space-1, key k asked for with a
// probability proportional to 1/(k+1)^s; s must exceed 1.
func Zipf(n, space int, s float64, seed uint64) []uint64 {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	z := rand.NewZipf(r, s, 1, uint64(space-1))
	keys := make([]uint64, n)
	for i := range keys {
		keys[i] = z.Uint64()
	}
	return keys
}

// Scan returns every key from 0 to space-1 once, in order, offset so
// that it shares no key with a Zipf trace over the same space: a batch job
// reading each record once.
func Scan(space int) []uint64 {
	keys := make([]uint64, space)
	for i := range keys {
		keys[i] = uint64(space + i)
	}
	return keys
}

// Traces returns the two traces of the comparison: Zipf requests over a
// key space, and the same with a scan of twice as many other keys in the
// middle, each read once.
func Traces(requests, space int) []Trace {
	z := Zipf(requests, space, 1.01, 1)
	half := len(z) / 2
	scan := append(append(append([]uint64(nil), z[:half]...), Scan(2*space)...), z[half:]...)
	return []Trace{{"zipf", z}, {"zipf+scan", scan}}
}

// A Cache is one contender: get reports a hit, set stores after a miss.
type Cache struct {
	Name string
	New  func(capacity int) (get func(key string) bool, set func(key string))
}

// Caches returns the contenders, memogen first.
func Caches() []Cache {
	return []Cache{
		{"memogen", func(capacity int) (func(string) bool, func(string)) {
			t := memory.New(memory.Options{MaxEntries: capacity}).Table(store.TableConfig{Func: store.FuncID{Package: "hitratio", Name: "F"}})
			return func(k string) bool { _, _, ok := t.Get([]byte(k)); return ok },
				func(k string) { t.Set(k, k, 0, 0) }
		}},
		{"golang-lru (LRU)", func(capacity int) (func(string) bool, func(string)) {
			c, err := lru.New[string, string](capacity)
			if err != nil {
				panic(err)
			}
			return func(k string) bool { _, ok := c.Get(k); return ok },
				func(k string) { c.Add(k, k) }
		}},
		{"otter v2 (W-TinyLFU)", func(capacity int) (func(string) bool, func(string)) {
			c := otter.Must(&otter.Options[string, string]{MaximumSize: capacity})
			return func(k string) bool { _, ok := c.GetIfPresent(k); return ok },
				func(k string) { c.Set(k, k) }
		}},
	}
}

// Keys encodes a trace's keys as memogen encodes an int64 argument: eight
// bytes.
func Keys(t Trace) []string {
	keys := make([]string, len(t.Keys))
	for i, k := range t.Keys {
		keys[i] = string(binary.BigEndian.AppendUint64(nil, k))
	}
	return keys
}

// Ratio replays keys through a new cache of capacity and returns the share
// of requests that hit, a miss storing the key.
func Ratio(c Cache, capacity int, keys []string) float64 {
	get, set := c.New(capacity)
	hits := 0
	for _, k := range keys {
		if get(k) {
			hits++
		} else {
			set(k)
		}
	}
	return float64(hits) / float64(len(keys))
}
