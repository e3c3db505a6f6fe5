// Command e2esizes stores results of many shapes in a memory store bounded
// by bytes and shows what each entry counts: the store's overhead, the
// result's own size, and what the result references, which the generated
// estimator (memoimpl.FuncInfo.Size) counts without reflection. The functions
// take no arguments, so that their keys are empty; each line checks the
// count against the bytes the value is known to hold and against the
// runtime's reflective estimate. The last lines fill a bounded store with
// results that each hold a kilobyte and show it evicting to stay within
// its bound.
package main

import (
	"fmt"
	"math/big"
	"time"
	"unsafe"

	"github.com/memogen/memogen/backends/memory"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/memoimpl"
)

// Record is 96 bytes holding a kilobyte.
type Record struct {
	ID   int64
	Data []byte
	Pad  [64]byte
}

// MakeRecord returns a Record of id whose Data has a capacity of 1024.
func MakeRecord(id int64) Record {
	return Record{ID: id, Data: make([]byte, 1000, 1024)}
}

// Text returns a string of 11 bytes.
//
//memo:cache backend=sizes
func Text() string { return fmt.Sprint("hello, ", "world")[:11] }

// OneRecord returns a Record.
//
//memo:cache backend=sizes
func OneRecord() Record { return MakeRecord(1) }

// Leaf is reached through a pointer.
type Leaf struct {
	Name string
	Hits [4]int32
}

// OneLeaf returns a pointer to a Leaf named with 5 bytes.
//
//memo:cache backend=sizes
func OneLeaf() *Leaf { return &Leaf{Name: string([]byte("sprig"))} }

// Index returns a map of 3 slices of capacity 2.
//
//memo:cache backend=sizes
func Index() map[string][]int {
	return map[string][]int{"a": make([]int, 2), "bb": make([]int, 2), "ccc": make([]int, 2)}
}

// User is what a Doc points to.
type User struct{ Name string }

// Doc holds one of each kind of field.
type Doc struct {
	Title   string
	Tags    []string
	Meta    map[string]string
	Owner   *User
	Extra   any
	Created time.Time
	Big     *big.Int
}

// OneDoc returns a Doc.
//
//memo:cache backend=sizes
func OneDoc() Doc {
	return Doc{
		Title:   string([]byte("report")),
		Tags:    []string{string([]byte("x")), string([]byte("yy"))},
		Meta:    map[string]string{string([]byte("k")): string([]byte("vvvv"))},
		Owner:   &User{Name: string([]byte("ada"))},
		Extra:   []string{string([]byte("zzz"))},
		Created: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		Big:     new(big.Int).Lsh(big.NewInt(1), 256),
	}
}

// Chain is a recursive type; Ring makes a cycle of it.
type Chain struct {
	Label string
	Next  *Chain
}

// Ring returns three Chains in a ring, each counted once.
//
//memo:cache backend=sizes
func Ring() *Chain {
	a, b, c := &Chain{Label: "a"}, &Chain{Label: "bb"}, &Chain{Label: "ccc"}
	a.Next, b.Next, c.Next = b, c, a
	return a
}

// Pair has two results, stored together.
//
//memo:cache backend=sizes
func Pair() (string, []byte) { return string([]byte("left")), make([]byte, 16) }

// Flat references nothing: it counts its own size alone.
type Flat struct{ A, B int64 }

// OneFlat returns a Flat.
//
//memo:cache backend=sizes
func OneFlat() Flat { return Flat{1, 2} }

// Three is generic: the runtime estimates its results by reflection.
//
//memo:cache backend=sizes
func Three[T any]() []T { return make([]T, 3) }

// ID is a named string.
type ID string

// OneID returns an ID of 4 bytes.
//
//memo:cache backend=sizes
func OneID() ID { return ID([]byte("id-7")) }

// LeafRef is a named pointer.
type LeafRef *Leaf

// Tagline is a named pointer to a struct without a name.
type Tagline *struct{ Text string }

// Refs holds named pointers, in a map keyed by structs that hold strings
// and on their own.
type Refs struct {
	ByKey map[Key]LeafRef
	Pair  [2]string
	Line  Tagline
}

// Key is a struct used as a map key.
type Key struct {
	Name string
	N    int
}

// OneRefs returns Refs of one entry.
//
//memo:cache backend=sizes
func OneRefs() Refs {
	return Refs{
		ByKey: map[Key]LeafRef{{Name: "k"}: &Leaf{Name: "ab"}},
		Pair:  [2]string{"c", "de"},
		Line:  &struct{ Text string }{"xyz"},
	}
}

// Anything returns an interface holding a []int of capacity 4.
//
//memo:cache backend=sizes
func Anything() any { return make([]int, 4) }

// Load returns a Record for id, in a store bounded to 10 of them.
//
//memo:cache backend=bounded
func Load(id int64) Record { return MakeRecord(id) }

var store = memory.New(memory.Options{})

// show calls get, which stores one result, and prints what the store
// counted for it beyond its overhead, what the value holds by the
// estimate's rules, and what the runtime's reflection finds in it.
func show[R any](name string, get func() R, want int64) {
	before := store.Bytes()
	r := get()
	counted := store.Bytes() - before - memory.EntryOverhead
	reflected := int64(unsafe.Sizeof(r)) + memoimpl.ReferencedSize(&r)
	verdict := "ok"
	if counted != want || reflected != want {
		verdict = "WRONG"
	}
	fmt.Printf("%-10s counted %5d, want %5d, reflection %5d: %s\n", name, counted, want, reflected, verdict)
}

func main() {
	memo.Register("sizes", store)
	const (
		word   = 8
		str    = 16 // a string header
		slice  = 24 // a slice header
		header = 48 // a map's header
	)
	show("Text", TextCached, str+11)
	show("OneRecord", OneRecordCached, 96+1024)
	show("OneLeaf", OneLeafCached, word+(str+16)+5)
	// A map of up to 8 entries is one group of 8 slots (a key and a
	// value each) and 8 control bytes.
	show("Index", IndexCached, word+header+8*(str+slice+1)+(1+2+3)+3*2*word)
	docMap := header + 8*(2*str+1) + 1 + 4
	bigWords := int64(cap(OneDoc().Big.Bits())) * word
	show("OneDoc", OneDocCached, int64(unsafe.Sizeof(Doc{}))+6+2*str+1+2+int64(docMap)+(str+3)+(slice+str+3)+int64(unsafe.Sizeof(big.Int{}))+bigWords)
	show("Ring", RingCached, word+3*(str+word)+1+2+3)
	show("Pair", func() struct {
		R0 string
		R1 []byte
	} {
		s, b := PairCached()
		return struct {
			R0 string
			R1 []byte
		}{s, b}
	}, str+slice+4+16)
	show("OneFlat", OneFlatCached, 16)
	show("Three", ThreeCached[string], slice+3*str)
	show("OneID", OneIDCached, str+4)
	refsMap := header + 8*(int64(unsafe.Sizeof(Key{}))+word+1)
	show("OneRefs", OneRefsCached, int64(unsafe.Sizeof(Refs{}))+refsMap+1+(str+16)+2+1+2+str+3)
	show("Anything", AnythingCached, 2*word+slice+4*word)

	// Each Record counts 96 bytes, 1024 referenced, its key (an int64's
	// 8 bytes) and the entry: a bound of ten of them holds ten.
	const key = 8
	perRecord := int64(memory.EntryOverhead + key + 96 + 1024)
	bounded := memory.New(memory.Options{MaxBytes: 10 * perRecord})
	memo.Register("bounded", bounded)
	for id := range int64(100) {
		LoadCached(id)
	}
	st := LoadMemo().Stats()
	fmt.Printf("bounded: %d entries of %d bytes in %d <= %d bytes; misses %d, evictions %d\n",
		bounded.Len(), perRecord, bounded.Bytes(), 10*perRecord, st.Misses, st.Evictions)
}
