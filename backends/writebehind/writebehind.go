// Package writebehind defers writes to a slow backend: Set and Delete queue
// the change and return at once, and background workers apply it to the
// back. A memoized function whose results go to S3 or a remote Redis thus
// returns its result without waiting for the store.
//
// Importing it registers the "writebehind" URL scheme; the back is a URL
// itself, query-escaped:
//
//	MEMO_BACKEND_<NAME>=writebehind://?back=file%3A%2F%2F%2Fvar%2Fcache%2Fmemo&queue_size=1024&workers=2
//
// back is required; queue_size, workers and write_timeout default to
// DefaultQueueSize, DefaultWorkers and DefaultWriteTimeout (see [ParseURL]).
//
// # Guarantees
//
// A Store reads its own writes: Get answers from the queued changes before
// asking the back, so a queued Set is seen, and so is a queued Delete. The
// changes to one key reach the back in the order they were made, and a
// change made while an earlier one is still queued replaces it, so the back
// sees only the latest. Clear drops the function's queued changes before it
// clears the back.
//
// The price is durability: a write that fails is reported (see
// Options.OnError and [Store.Errors]) but not retried, other processes see
// a change only once it is written, and the changes still queued when the
// process ends are lost. [Store.Close] writes them; so does memo.Close,
// which closes every bound backend: a program that ends by returning from
// main should
//
//	defer memo.Close(context.Background())
//
// A crash, SIGKILL, os.Exit, log.Fatal or an unrecovered panic runs no
// deferred call, and loses the queue: up to QueueSize keys, as many as
// [Store.Len] reports at that moment. Flush with a deadline bounds the wait
// at exit; a queue that outlives it is lost the same way.
package writebehind

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/memogen/memogen/backends/internal/urlopt"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/store"
)

// Defaults of Options' fields.
const (
	DefaultQueueSize    = 1024
	DefaultWorkers      = 1
	DefaultWriteTimeout = 30 * time.Second
)

// ErrClosed is returned by changes made after [Store.Close].
var ErrClosed = errors.New("writebehind: store closed")

// Options configure a Store.
type Options struct {
	// QueueSize bounds the keys with changes not yet written. A Set or
	// Delete of another key waits for room, or for its context to end; a
	// change to a key already queued always has room, since it replaces the
	// queued one. 0 or negative means DefaultQueueSize.
	QueueSize int
	// Workers is the number of goroutines writing to the back. Changes to
	// one key are written by one worker at a time, in order. 0 or negative
	// means DefaultWorkers.
	Workers int
	// WriteTimeout bounds each write to the back. Writes do not run under
	// the context of the Set that queued them, which has usually ended by
	// then. 0 or negative means DefaultWriteTimeout.
	WriteTimeout time.Duration
	// OnError, if not nil, is called with every write to the back that
	// failed, on a worker's goroutine; with several workers it must be safe
	// for concurrent use. Failures are counted in [Store.Errors] either way.
	OnError func(store.Key, error)
}

// A Store queues changes for a back backend and writes them in the
// background. It is safe for concurrent use.
type Store struct {
	back      store.Backend
	opts      Options
	queue     chan *record // records awaiting a worker; never more than QueueSize, so sends do not block
	workers   sync.WaitGroup
	failures  atomic.Uint64 // failed writes
	written   atomic.Uint64 // successful writes
	closeOnce func() error  // drains and stops the workers, once

	mu       sync.Mutex
	pending  map[store.Key]*record // keys with changes not yet written; guarded by mu
	seq      uint64                // changes accepted so far; guarded by mu
	progress chan struct{}         // closed and replaced when a write ends or the store closes; guarded by mu
	closed   bool                  // guarded by mu
}

// record is the change queued for one key: the state the key must reach in
// the back. Its fields are guarded by Store.mu.
type record struct {
	key     store.Key
	value   []byte
	expires time.Time
	deleted bool
	// since is the sequence number of the oldest change not yet in the
	// back, the one a write in progress may be applying.
	since uint64
	// writing is set while a worker writes the record; changes made
	// meanwhile set next, the sequence number of the first of them, and
	// the worker writes again.
	writing bool
	next    uint64
}

var (
	_ store.Backend = (*Store)(nil)
	_ store.Lister  = (*Store)(nil)
	_ store.Pruner  = (*Store)(nil)
	_ io.Closer     = (*Store)(nil)
)

// New returns a store that writes to back in the background, and starts its
// workers. The Store takes ownership of back; Close writes what is queued,
// stops the workers and closes back if it is an io.Closer.
func New(back store.Backend, opts Options) *Store {
	if opts.QueueSize <= 0 {
		opts.QueueSize = DefaultQueueSize
	}
	if opts.Workers <= 0 {
		opts.Workers = DefaultWorkers
	}
	if opts.WriteTimeout <= 0 {
		opts.WriteTimeout = DefaultWriteTimeout
	}
	s := &Store{
		back:     back,
		opts:     opts,
		queue:    make(chan *record, opts.QueueSize),
		pending:  make(map[store.Key]*record),
		progress: make(chan struct{}),
	}
	s.closeOnce = sync.OnceValue(s.shutdown)
	s.workers.Add(opts.Workers)
	for range opts.Workers {
		go s.work()
	}
	return s
}

// A URLConfig is what a writebehind:// URL describes: the URL of the back,
// for memo.Open, and the Store's options.
type URLConfig struct {
	Back string // the back's URL
	Options
}

// ParseURL returns the configuration that a URL of the form
//
//	writebehind://?back=<url>&queue_size=N&workers=N&write_timeout=<duration>
//
// describes, the back's URL query-escaped (url.QueryEscape). back is
// required; queue_size and workers, positive integers, and write_timeout, a
// positive duration such as 10s, set the Options fields of the same names,
// their defaults when absent. An unknown, repeated or malformed parameter
// is an error. ParseURL does not open the back.
func ParseURL(rawURL string) (URLConfig, error) {
	u, q, err := urlopt.Parse("writebehind", rawURL, "writebehind")
	if err != nil {
		return URLConfig{}, err
	}
	if err := urlopt.QueryOnly("writebehind", u, "writebehind://?back=…"); err != nil {
		return URLConfig{}, err
	}
	cfg := URLConfig{Back: q.String("back")}
	cfg.QueueSize = q.Int("queue_size", 1, math.MaxInt)
	cfg.Workers = q.Int("workers", 1, math.MaxInt)
	cfg.WriteTimeout = q.Duration("write_timeout")
	if !q.Has("back") {
		q.Errorf("no back= URL; want writebehind://?back=<query-escaped URL>")
	}
	if err := q.Err(); err != nil {
		if strings.Contains(u.RawQuery, "://") {
			err = fmt.Errorf("%w\nwritebehind: query-escape the URL in back= (url.QueryEscape)", err)
		}
		return URLConfig{}, err
	}
	return cfg, nil
}

// open is the opener of writebehind:// URLs: it opens the back with
// memo.Open.
func open(u *url.URL) (store.Backend, error) {
	cfg, err := ParseURL(u.String())
	if err != nil {
		return nil, err
	}
	back, err := memo.Open(cfg.Back)
	if err != nil {
		return nil, fmt.Errorf("writebehind: back: %w", err)
	}
	return New(back, cfg.Options), nil
}

func init() { store.RegisterScheme("writebehind", open) }

// Get returns the value of key's queued Set, store.ErrNotFound for a queued
// Delete, and otherwise asks the back.
func (s *Store) Get(ctx context.Context, key store.Key) ([]byte, error) {
	s.mu.Lock()
	r := s.pending[key]
	if r == nil {
		s.mu.Unlock()
		return s.back.Get(ctx, key)
	}
	value, expires, deleted := r.value, r.expires, r.deleted
	s.mu.Unlock()
	if deleted || (!expires.IsZero() && !time.Now().Before(expires)) {
		return nil, store.ErrNotFound
	}
	return bytes.Clone(value), nil
}

// Set queues the storing of a copy of value under key and returns. If
// QueueSize other keys are already queued, it waits for room until ctx
// ends; it never drops a change. After Close it returns ErrClosed.
func (s *Store) Set(ctx context.Context, key store.Key, value []byte, expires time.Time) error {
	value = bytes.Clone(value)
	return s.change(ctx, key, func(r *record) {
		r.value, r.expires, r.deleted = value, expires, false
	})
}

// Delete queues the removal of key, and waits for room as Set does. From
// then on, Get reports key missing.
func (s *Store) Delete(ctx context.Context, key store.Key) error {
	return s.change(ctx, key, func(r *record) {
		r.value, r.expires, r.deleted = nil, time.Time{}, true
	})
}

// change applies set to key's record, queueing a new record if the key has
// none.
func (s *Store) change(ctx context.Context, key store.Key, set func(*record)) error {
	s.mu.Lock()
	for {
		if s.closed {
			s.mu.Unlock()
			return ErrClosed
		}
		if s.pending[key] != nil || len(s.pending) < s.opts.QueueSize {
			break
		}
		wait := s.progress
		s.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return fmt.Errorf("writebehind: waiting for room in the queue: %w", context.Cause(ctx))
		}
		s.mu.Lock()
	}
	defer s.mu.Unlock()
	s.seq++
	r := s.pending[key]
	if r == nil {
		r = &record{key: key, since: s.seq}
		s.pending[key] = r
		s.queue <- r
	} else if r.writing && r.next == 0 {
		r.next = s.seq
	}
	set(r)
	return nil
}

// Clear turns the queued changes of fn into deletions, so that Get reports
// them missing and none is written after the back is cleared, then clears
// fn in the back.
func (s *Store) Clear(ctx context.Context, fn store.FuncID) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrClosed
	}
	for key, r := range s.pending {
		if key.Func != fn {
			continue
		}
		s.seq++
		if r.writing && r.next == 0 {
			r.next = s.seq
		}
		r.value, r.expires, r.deleted = nil, time.Time{}, true
	}
	s.mu.Unlock()
	return s.back.Clear(ctx, fn)
}

// Flush waits until every change queued before the call has been written,
// or until ctx ends. Changes queued meanwhile do not delay it. A write that
// failed counts as written; see Options.OnError.
func (s *Store) Flush(ctx context.Context) error {
	s.mu.Lock()
	upto := s.seq
	waitFor := slices.SortedFunc(maps.Values(s.pending), func(a, b *record) int { return cmp.Compare(a.since, b.since) })
	for {
		// A record's since only grows, and records queued later start
		// past upto, so the set to wait for only shrinks; workers take
		// records oldest first, so it shrinks from the front.
		for len(waitFor) > 0 && (s.pending[waitFor[0].key] != waitFor[0] || waitFor[0].since > upto) {
			waitFor = waitFor[1:]
		}
		if len(waitFor) == 0 {
			s.mu.Unlock()
			return nil
		}
		wait := s.progress
		s.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return fmt.Errorf("writebehind: flush: %w", context.Cause(ctx))
		}
		s.mu.Lock()
	}
}

// Errors returns the number of writes to the back that have failed.
func (s *Store) Errors() uint64 { return s.failures.Load() }

// Len returns the number of keys with changes not yet written to the back:
// what the process would lose if it ended now without Close.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pending)
}

// Stats are a Store's counters.
type Stats struct {
	Queued  int    // keys with changes not yet written, as Len reports
	Written uint64 // writes to the back that succeeded
	Errors  uint64 // writes to the back that failed, as Errors reports
}

// Stats returns the store's counters.
func (s *Store) Stats() Stats {
	return Stats{Queued: s.Len(), Written: s.written.Load(), Errors: s.failures.Load()}
}

// List waits for the changes queued so far to be written, then lists the
// back's entries. It fails with an error wrapping errors.ErrUnsupported if
// the back cannot list.
func (s *Store) List(ctx context.Context, fn store.FuncID, yield func(store.StoredEntry) bool) error {
	l, ok := s.back.(store.Lister)
	if !ok {
		return fmt.Errorf("writebehind: back %T cannot list its entries: %w", s.back, errors.ErrUnsupported)
	}
	if err := s.Flush(ctx); err != nil {
		return err
	}
	return l.List(ctx, fn, yield)
}

// Prune waits for the changes queued so far to be written, then prunes the
// back. It fails with an error wrapping errors.ErrUnsupported if the back
// cannot prune, as a back whose server expires entries itself need not.
func (s *Store) Prune(ctx context.Context) (store.PruneStats, error) {
	p, ok := s.back.(store.Pruner)
	if !ok {
		return store.PruneStats{}, fmt.Errorf("writebehind: back %T cannot prune: %w", s.back, errors.ErrUnsupported)
	}
	if err := s.Flush(ctx); err != nil {
		return store.PruneStats{}, err
	}
	return p.Prune(ctx)
}

// Close stops accepting changes, waits for every queued change to be
// written, stops the workers and closes the back if it is an io.Closer.
// It waits as long as the writes take; call Flush with a deadline first to
// bound that. Later calls return the first call's result.
func (s *Store) Close() error { return s.closeOnce() }

func (s *Store) shutdown() error {
	s.mu.Lock()
	s.closed = true
	close(s.queue)
	s.signalLocked()
	s.mu.Unlock()
	s.workers.Wait()
	if c, ok := s.back.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// work writes records until the queue is closed and drained.
func (s *Store) work() {
	defer s.workers.Done()
	for r := range s.queue {
		s.write(r)
	}
}

// write applies r to the back, again and again while changes arrive during
// the write, and then forgets r. Only the worker that took r from the queue
// writes it, so the changes to a key reach the back in order.
func (s *Store) write(r *record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		r.writing = true
		key, value, expires, deleted := r.key, r.value, r.expires, r.deleted
		s.mu.Unlock()
		if err := s.apply(key, value, expires, deleted); err != nil {
			s.failures.Add(1)
			if s.opts.OnError != nil {
				s.opts.OnError(key, err)
			}
		} else {
			s.written.Add(1)
		}
		s.mu.Lock()
		r.writing = false
		s.signalLocked()
		if r.next == 0 {
			delete(s.pending, key)
			return
		}
		r.since, r.next = r.next, 0
	}
}

func (s *Store) apply(key store.Key, value []byte, expires time.Time, deleted bool) error {
	ctx, cancel := context.WithTimeout(context.Background(), s.opts.WriteTimeout)
	defer cancel()
	if deleted {
		return s.back.Delete(ctx, key)
	}
	return s.back.Set(ctx, key, value, expires)
}

// signalLocked wakes every goroutine waiting for progress.
func (s *Store) signalLocked() {
	close(s.progress)
	s.progress = make(chan struct{})
}
