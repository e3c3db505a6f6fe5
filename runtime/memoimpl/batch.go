package memoimpl

import (
	"context"
	"fmt"
	memo "github.com/memogen/memogen/runtime"
	"runtime/debug"
	"time"
)

// This file is the runtime of //memo:batch: a function that takes a slice
// of IDs and returns a result for each. The wrapper looks up every ID
// under its own key, written as a memoized func(ctx, id K) (V, error)
// writes it, calls the function with only the IDs it did not find, stores
// each result under its ID's key and merges. Concurrent batches share the
// IDs in flight: a batch waits for the IDs another is fetching and fetches
// only the rest.

// A Batch is the cache of a function memoized with //memo:batch: its
// results, one entry per ID, and the markers of the IDs it did not
// return, which a later batch does not ask for again until they expire.
// Generated code creates one per function with [NewBatch].
type Batch struct {
	values *Func // one entry per ID the function returned
	// missing holds a marker per ID the function did not return, kept for
	// errttl=; nil without it, when such IDs are asked for every time.
	missing *Func
}

// missingSuffix ends the name of the function whose entries mark the IDs
// a batch function did not return: "GetUsers#missing". Go names have no
// "#", so it names no function of its own.
const missingSuffix = "#missing"

// NewBatch returns the cache of the batch function info describes; info's
// TTL applies to the results. When missingTTL is positive, IDs the function
// does not return are remembered as missing for that long, in the same
// backend under the function's name with "#missing" appended.
func NewBatch(info FuncInfo, missingTTL time.Duration) *Batch {
	b := &Batch{values: NewFunc(info)}
	if missingTTL > 0 {
		mi := FuncInfo{
			Package: info.Package, Receiver: info.Receiver, Name: info.Name + missingSuffix,
			Fingerprint: info.Fingerprint, Version: info.Version,
			TTL: missingTTL, Backend: info.Backend, MaxEntries: info.MaxEntries, Codec: info.Codec,
			// Markers are stored where results are, and not where
			// results cannot be: an ID is then asked for every time.
			Unstorable: info.Unstorable,
		}
		b.missing = NewFunc(mi)
	}
	return b
}

// Func returns the cache of the results, which [Batch.Begin] calls of
// generated code start on.
func (b *Batch) Func() *Func { return b.values }

// Stats returns the batch function's counters, one per ID: an ID found
// marked missing counts as a hit.
func (b *Batch) Stats() memo.Stats {
	s := b.values.Stats()
	if b.missing != nil {
		m := b.missing.Stats()
		s.Hits += m.Hits
		s.Failures += m.Failures
		s.Corrupt += m.Corrupt
		s.Evictions += m.Evictions
	}
	return s
}

// Clear removes every cached result and missing marker.
func (b *Batch) Clear(ctx context.Context) error {
	err := b.values.Clear(ctx)
	if b.missing != nil {
		err = joinErrs(err, b.missing.Clear(ctx))
	}
	return err
}

// Forget removes the cached result or missing marker of one ID. begin
// starts a call on the Func it is given and writes the ID's key.
func (b *Batch) Forget(begin func(*Func) *Call) error {
	err := begin(b.values).Forget()
	if b.missing != nil {
		err = joinErrs(err, begin(b.missing).Forget())
	}
	return err
}

// Contains reports whether a batch would not ask the function for one ID:
// a live result, or a live missing marker, is cached for it. begin starts
// a call on the Func it is given and writes the ID's key.
func (b *Batch) Contains(begin func(*Func) *Call) bool {
	if begin(b.values).Contains() {
		return true
	}
	return b.missing != nil && begin(b.missing).Contains()
}

// absent is what a flight of an ID the function did not return carries in
// place of a value; no caller can make one, so it is told apart from any V.
type absent struct{}

var absentID = &absent{}

// batchItem is one distinct ID of a batch that was not found cached.
type batchItem[K comparable] struct {
	id     K
	c      *Call // on the results' Func, its key written
	mc     *Call // on the missing markers' Func, or nil
	fc     *flightCall
	leader bool
}

// BatchMap serves a batch function that returns a map: ids, deduplicated,
// are looked up one by one, fetch is called once with those neither cached
// nor in flight in another batch, and the result holds every ID found,
// whether cached, fetched, or fetched by a concurrent batch. An ID fetch
// does not return is absent from the result and, with errttl=, cached as
// missing. begin starts a call on the Func it is given and writes one
// ID's key; with refresh set no cache is read and every ID is fetched.
// An error from fetch is returned for the whole batch, and nothing of that
// fetch is stored.
func BatchMap[K comparable, V any](ctx context.Context, b *Batch, ids []K, refresh bool, begin func(f *Func, id K) *Call, fetch func(ids []K) (map[K]V, error)) (map[K]V, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	out := make(map[K]V, len(ids))
	seen := make(map[K]struct{}, len(ids))
	var todo []*batchItem[K]
	defer func() {
		for _, it := range todo {
			it.release()
		}
	}()
	// Each item's calls stay open until the batch ends: a flight is
	// finished under its leader's key bytes.
	for _, id := range ids {
		if _, dup := seen[id]; dup {
			continue
		}
		seen[id] = struct{}{}
		it, v, found := batchLookup[K, V](b, id, refresh, begin)
		switch {
		case it != nil:
			todo = append(todo, it)
		case found:
			out[id] = v
		}
	}
	for pending := todo; len(pending) > 0; {
		var err error
		if pending, err = batchRound(ctx, b, pending, out, fetch); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// BatchSlice serves a batch function that returns a slice whose element i
// answers ids[i]. Its result answers the caller's ids in the same way,
// duplicates included; fetch must return exactly one result per ID it is
// given, or the batch fails with [memo.ErrBatchLength].
func BatchSlice[K comparable, V any](ctx context.Context, b *Batch, ids []K, refresh bool, begin func(f *Func, id K) *Call, fetch func(ids []K) ([]V, error)) ([]V, error) {
	m, err := BatchMap(ctx, b, ids, refresh, begin, func(missing []K) (map[K]V, error) {
		vs, err := fetch(missing)
		if err != nil {
			return nil, err
		}
		if len(vs) != len(missing) {
			return nil, fmt.Errorf("%w: %s returned %d results for %d IDs", memo.ErrBatchLength, b.values.id, len(vs), len(missing))
		}
		m := make(map[K]V, len(missing))
		for i, id := range missing {
			m[id] = vs[i]
		}
		return m, nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]V, len(ids))
	for i, id := range ids {
		out[i] = m[id]
	}
	return out, nil
}

// batchLookup looks id up among the results, then among the missing
// markers. It returns the value and true when a result is cached, a nil
// item and false when the ID is marked missing, and otherwise the item to
// fetch the ID with.
func batchLookup[K comparable, V any](b *Batch, id K, refresh bool, begin func(*Func, K) *Call) (it *batchItem[K], v V, found bool) {
	c := begin(b.values, id)
	if v, ok := Lookup[V](c, refresh); ok {
		return nil, v, true
	}
	it = &batchItem[K]{id: id, c: c}
	if b.missing != nil {
		it.mc = begin(b.missing, id)
		if _, ok := Lookup[string](it.mc, refresh); ok {
			it.mc = nil // the hit ended it
			it.release()
			return nil, v, false
		}
	}
	return it, v, false
}

// recheckMissing is recheck for the ID's missing marker in an in-memory
// table: a batch that finished between this one's missed lookups and its
// joining the ID's flight may have marked the ID missing, which this batch
// and the flight's waiters then share instead of fetching the ID again.
func recheckMissing[K comparable](it *batchItem[K]) bool {
	mc := it.mc
	if mc == nil || mc.refresh || mc.b == nil || mc.b.table == nil || mc.f.fresh {
		return false
	}
	_, expires, ok := loadTable[string](mc)
	if !ok {
		return false
	}
	it.fc.val, it.fc.expires = absentID, expires
	it.c.f.flight.finish(string(it.c.w.Bytes()), it.fc)
	mc.hit(expires)
	return true
}

// release ends the item's calls that are still open.
func (it *batchItem[K]) release() {
	if it.c != nil {
		it.c.release()
		it.c = nil
	}
	if it.mc != nil {
		it.mc.release()
		it.mc = nil
	}
}

// batchRound joins the flight of each item, fetches the IDs it leads (and
// those that cannot be cached) in one call, and waits for the IDs other
// batches lead, adding what it finds to out. It returns the items to try
// again: IDs whose leader gave up for reasons of its own.
func batchRound[K comparable, V any](ctx context.Context, b *Batch, todo []*batchItem[K], out map[K]V, fetch func([]K) (map[K]V, error)) (again []*batchItem[K], err error) {
	var lead, uncached, wait []*batchItem[K]
	for _, it := range todo {
		usable := it.c.usable()
		if it.c.strictErr != nil {
			return todo, it.c.strictErr
		}
		if !usable {
			uncached = append(uncached, it)
			continue
		}
		if it.c.b.boundErr != nil {
			b.values.reportBound(it.c)
		}
		if it.c.refresh {
			// As for one call (see Run): a refresh leads a run of its own.
			it.fc, it.leader = b.values.flight.replace(it.c.w.Bytes()), true
		} else {
			it.fc, it.leader = b.values.flight.join(it.c.w.Bytes())
		}
		if !it.leader {
			wait = append(wait, it)
			continue
		}
		if v, ok := recheck[V](it.c, it.fc); ok {
			out[it.id] = v
			continue
		}
		if recheckMissing(it) {
			continue
		}
		lead = append(lead, it)
	}
	if len(lead)+len(uncached) > 0 {
		if err := leadBatch(ctx, b, lead, uncached, out, fetch); err != nil {
			return nil, err
		}
	}
	for i, it := range wait {
		select {
		case <-it.fc.done:
		case <-ctx.Done():
			// The IDs still waited for are canceled calls, as in Run.
			for _, it := range wait[i:] {
				b.values.stats.canceled.Add(1)
				if it.c.observed {
					b.values.report(it.c.ctx, it.c.cfg, it.c.keyBytes(), memo.Uncached, it.c.start, 0, ctx.Err())
				}
			}
			return nil, ctx.Err()
		}
		fc := it.fc
		if fc.panicked != nil {
			panic(fc.panicked)
		}
		if fc.goexit || (fc.abandoned && isContextErr(fc.err) && ctx.Err() == nil) {
			again = append(again, it) // the leader gave up for its own reasons
			continue
		}
		b.values.stats.shared.Add(1)
		if it.c.cfg.observing() {
			b.values.report(it.c.ctx, it.c.cfg, it.c.keyBytes(), memo.Shared, it.c.start, fc.expires, joinErrs(fc.err, it.c.cacheErr))
		}
		if fc.err != nil {
			return nil, fc.err
		}
		switch v := fc.val.(type) {
		case *absent:
		case V:
			out[it.id] = v
		case nil:
			var zero V // a nil interface result
			out[it.id] = zero
		}
	}
	return again, nil
}

// leadBatch calls fetch with the IDs of lead and uncached, stores the
// results and missing markers of the IDs it leads, publishes them to their
// waiters and adds them to out. A panic is recorded for the waiters and
// raised again here; a runtime.Goexit is recorded so that waiters fetch
// their IDs themselves, as [lead] does for one call.
func leadBatch[K comparable, V any](ctx context.Context, b *Batch, lead, uncached []*batchItem[K], out map[K]V, fetch func([]K) (map[K]V, error)) (err error) {
	ids := make([]K, 0, len(lead)+len(uncached))
	for _, it := range lead {
		ids = append(ids, it.id)
	}
	for _, it := range uncached {
		ids = append(ids, it.id)
	}
	var m map[K]V
	normal, recovered := false, false
	var panicked *memo.PanicError
	defer func() {
		abandoned := ctx.Err() != nil
		for _, it := range lead {
			fc := it.fc
			switch {
			case recovered:
				fc.panicked = panicked
			case !normal:
				fc.goexit = true
			}
			fc.abandoned = abandoned
			b.values.flight.finish(string(it.c.w.Bytes()), fc)
		}
	}()
	func() {
		defer func() {
			if normal {
				return
			}
			if p := recover(); p != nil {
				recovered = true
				panicked = &memo.PanicError{Value: p, Stack: trimStack(debug.Stack())}
				panic(p) // again, from where fetch panicked: see lead
			}
		}()
		m, err = fetch(ids)
		normal = true
	}()
	fetchErr := err
	for _, it := range lead {
		err = joinErrs(err, settle(b, it, m, fetchErr, out))
	}
	for _, it := range uncached {
		if v, ok := m[it.id]; ok && fetchErr == nil {
			out[it.id] = v
		}
	}
	return err
}

// settle records the outcome of one ID this batch fetched: it stores the
// ID's result, or its missing marker, publishes it to the waiters of the
// ID's flight, adds a result to out and accounts for the run. fetchErr is
// the fetch's error, which is every fetched ID's; the error settle returns
// is a backend failure under Config.Strict.
func settle[K comparable, V any](b *Batch, it *batchItem[K], m map[K]V, fetchErr error, out map[K]V) error {
	c, fc := it.c, it.fc
	key := string(c.w.Bytes())
	var err error
	switch v, found := m[it.id]; {
	case fetchErr != nil:
		fc.err = fetchErr
	case found:
		fc.val = v
		fc.expires, err = storeLive(c, fc, func() (int64, error) { return keep(c, key, v) })
		out[it.id] = v
	default:
		fc.val = absentID
		if it.mc != nil && it.mc.usable() {
			_, err = storeLive(it.mc, fc, func() (int64, error) { return keep(it.mc, string(it.mc.w.Bytes()), "") })
		}
	}
	if err != nil && fc.err == nil {
		fc.err = err
	}
	outcome := memo.Miss
	if c.refresh {
		outcome = memo.Refresh
	}
	b.values.stats.misses.Add(1)
	if fetchErr != nil {
		b.values.stats.errors.Add(1)
	}
	if c.cfg.observing() {
		b.values.report(c.ctx, c.cfg, c.keyBytes(), outcome, c.start, fc.expires, joinErrs(fc.err, c.cacheErr))
	}
	if fetchErr != nil {
		return nil // returned once, by leadBatch
	}
	return err
}
