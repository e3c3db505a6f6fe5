package memory

// entry is one cached value. It sits on two intrusive lists at once: the
// store's, which orders all entries by recency for the global bounds, and
// its table's, which orders one function's entries for the per-function
// bound.
type entry struct {
	key     string
	value   any
	expires int64 // Unix nanoseconds; 0 for never
	size    int64 // bytes, when known
	t       *table
	links   [2]links // indexed by which
}

type links struct{ prev, next *entry }

// which selects one of an entry's two lists.
type which int

const (
	global which = iota
	local
)

// ring is a circular doubly linked list with a sentinel: root.next is the
// most recently used entry, root.prev the least.
type ring struct {
	root  entry
	which which
}

func (r *ring) init(w which) {
	r.which = w
	r.root.links[w] = links{&r.root, &r.root}
}

func (r *ring) pushFront(e *entry) {
	w := r.which
	next := r.root.links[w].next
	e.links[w] = links{&r.root, next}
	next.links[w].prev = e
	r.root.links[w].next = e
}

func (r *ring) remove(e *entry) {
	w := r.which
	l := e.links[w]
	l.prev.links[w].next = l.next
	l.next.links[w].prev = l.prev
	e.links[w] = links{}
}

func (r *ring) moveToFront(e *entry) {
	if r.root.links[r.which].next == e {
		return
	}
	r.remove(e)
	r.pushFront(e)
}

// back returns the least recently used entry, or nil.
func (r *ring) back() *entry {
	if e := r.root.links[r.which].prev; e != &r.root {
		return e
	}
	return nil
}
