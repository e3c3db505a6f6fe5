package memory

// table holds one function's entries. Its state is guarded by the store's
// mutex: one lock orders both lists, and eviction callbacks run after it is
// released.
type table struct {
	s       *Store
	m       map[string]*entry // guarded by s.mu
	lru     ring              // guarded by s.mu
	max     int               // per-function bound; 0 for none; guarded by s.mu
	onEvict func(n int)       // guarded by s.mu
}

// Get returns the value under key and marks it recently used.
func (t *table) Get(key []byte) (value any, expires int64, ok bool) {
	s := t.s
	s.mu.Lock()
	e := t.m[string(key)]
	if e == nil {
		s.mu.Unlock()
		return nil, 0, false
	}
	s.lru.moveToFront(e)
	t.lru.moveToFront(e)
	value, expires = e.value, e.expires
	s.mu.Unlock()
	return value, expires, true
}

// Peek returns the value under key without marking it used.
func (t *table) Peek(key []byte) (value any, expires int64, ok bool) {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	if e := t.m[string(key)]; e != nil {
		return e.value, e.expires, true
	}
	return nil, 0, false
}

// Set stores value under key, evicting least recently used entries to stay
// within the table's and the store's bounds. size is the value's estimated
// size; the entry counts its key and the store's overhead too.
func (t *table) Set(key string, value any, expires int64, size int64) {
	size = entrySize(key, size)
	s := t.s
	s.mu.Lock()
	if e := t.m[key]; e != nil {
		s.bytes += size - e.size
		e.value, e.expires, e.size = value, expires, size
		s.lru.moveToFront(e)
		t.lru.moveToFront(e)
	} else {
		e = &entry{key: key, value: value, expires: expires, size: size, t: t}
		t.m[key] = e
		s.lru.pushFront(e)
		t.lru.pushFront(e)
		s.entries++
		s.bytes += size
	}
	evicted := s.evictLocked(t)
	s.mu.Unlock()
	notify(evicted)
}

// Delete removes key.
func (t *table) Delete(key []byte) {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	if e := t.m[string(key)]; e != nil {
		t.s.removeLocked(e)
	}
}

// Clear removes every entry of the table.
func (t *table) Clear() {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	for e := t.lru.back(); e != nil; e = t.lru.back() {
		t.s.removeLocked(e)
	}
}

// Len returns the number of entries.
func (t *table) Len() int {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	return len(t.m)
}

func (s *Store) removeLocked(e *entry) {
	delete(e.t.m, e.key)
	s.lru.remove(e)
	e.t.lru.remove(e)
	s.entries--
	s.bytes -= e.size
}

// eviction is the news for one table's eviction callback.
type eviction struct {
	onEvict func(n int)
	n       int
}

// evictLocked enforces t's bound, then the store's, and returns the
// callbacks to run once the lock is released.
func (s *Store) evictLocked(t *table) []eviction {
	var evicted []eviction
	drop := func(e *entry) {
		if e.t.onEvict != nil {
			evicted = append(evicted, eviction{e.t.onEvict, 1})
		}
		s.removeLocked(e)
	}
	for t.max > 0 && len(t.m) > t.max {
		drop(t.lru.back())
	}
	for (s.opts.MaxEntries > 0 && s.entries > s.opts.MaxEntries) ||
		(s.opts.MaxBytes > 0 && s.bytes > s.opts.MaxBytes && s.entries > 1) {
		drop(s.lru.back())
	}
	return evicted
}

// notify runs eviction callbacks; the caller has released the lock.
func notify(evicted []eviction) {
	for _, e := range evicted {
		e.onEvict(e.n)
	}
}
