package memory

// queue is a FIFO of entries, oldest first, linked through their prev and
// next fields; guarded by the store's mutex. Each table has two (see
// policy.go).
type queue struct {
	head, tail *entry
	n          int
	bytes      int64
}

func (q *queue) push(e *entry) {
	e.prev, e.next = q.tail, nil
	if q.tail != nil {
		q.tail.next = e
	} else {
		q.head = e
	}
	q.tail = e
	q.n++
	q.bytes += e.size
}

func (q *queue) remove(e *entry) {
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		q.head = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	} else {
		q.tail = e.prev
	}
	e.prev, e.next = nil, nil
	q.n--
	q.bytes -= e.size
}

// replace puts e in old's place.
func (q *queue) replace(old, e *entry) {
	e.prev, e.next = old.prev, old.next
	if e.prev != nil {
		e.prev.next = e
	} else {
		q.head = e
	}
	if e.next != nil {
		e.next.prev = e
	} else {
		q.tail = e
	}
	old.prev, old.next = nil, nil
	q.bytes += e.size - old.size
}

// oldest returns the oldest entry other than keep, or nil.
func (q *queue) oldest(keep *entry) *entry {
	if e := q.head; e != keep {
		return e
	}
	return q.head.next
}
