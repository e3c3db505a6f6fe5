// Package tiered puts a fast, in-process backend in front of a slower,
// shared one: typically a memory store in front of Redis or S3, so that hot
// entries cost a map lookup instead of a network round trip.
//
// Importing it registers the "tiered" URL scheme. Both tiers are URLs
// themselves, query-escaped:
//
//	MEMO_BACKEND_<NAME>=tiered://?front=mem%3A%2F%2F%3Fmax_entries%3D1000&back=redis%3A%2F%2F127.0.0.1%3A6379&front_ttl=30s
//
// front defaults to mem://, and front_ttl to DefaultFrontTTL; back is
// required (see [ParseURL]). Build the value with url.QueryEscape.
//
// # Consistency
//
// The front is a cache of the back, private to this process, and nothing
// tells it when another process changes the back. A Set, Delete or Clear
// made through this Store is seen at once by every later Get through it; one
// made by another process, or directly on the back, stays invisible here
// while the front holds a copy: at most Options.FrontTTL, and never past the
// entry's own expiry. Choose FrontTTL as the staleness the application
// tolerates after a result is recomputed or forgotten elsewhere. A Store
// that is the only writer of its back can afford a long FrontTTL.
//
// # Decoded results
//
// When the front is a memory store (any store.ValueStore), memogen's
// runtime keeps there, for each function, the results it decoded from the
// back's entries (see [Store.DecodedFront]), so that a front hit costs a
// table lookup: no copy, checksum or decode. A kept result is the back's
// entry decoded, never the result as the function returned it, so a front
// hit returns what reading the back would; it is kept for at most
// Options.FrontTTL after the back was read, by the runtime's clock
// (memo.Config.Now), and never past the entry's expiry. Like the memory
// backend's, a kept result is shared by every hit: treat results as
// read-only. Other callers of Get are served copies of the bytes.
package tiered

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/memogen/memogen/backends/internal/urlopt"
	_ "github.com/memogen/memogen/backends/memory" // the default front, mem://
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/store"
)

// DefaultFrontTTL is how long a copy lives in the front when Options leave
// FrontTTL zero.
const DefaultFrontTTL = time.Minute

// Options configure a Store.
type Options struct {
	// FrontTTL bounds how long an entry may be served from the front
	// without asking the back, and so how long a change made by another
	// process may go unseen. The entry's own expiry bounds it too. 0 or
	// negative means DefaultFrontTTL.
	FrontTTL time.Duration
}

// A Store serves entries from its front and falls back to its back, filling
// the front on the way. The back is the system of record: writes go to it
// first. A Store is safe for concurrent use.
type Store struct {
	front, back store.Backend
	frontTTL    time.Duration
	seed        maphash.Seed
	decoded     decodedTables // the runtime's decoded results, by function
	// stripes order fills of the front with writes to the same keys; a key
	// uses the stripe its digest hashes to.
	stripes [64]stripe

	closeOnce sync.Once
	closeErr  error // what the one Close returned
}

// stripe keeps a Get that read the back before a concurrent write from
// filling the front with the value the write replaced. Gets, Sets and
// Deletes change a key's front copy with mu held and only if gen did not
// move since they went to the back; Clear moves every stripe's gen before
// it clears the front.
type stripe struct {
	mu  sync.Mutex
	gen uint64 // writes to the back finished on the stripe's keys; guarded by mu
}

var (
	_ store.Backend = (*Store)(nil)
	_ store.Lister  = (*Store)(nil)
	_ store.Pruner  = (*Store)(nil)
	_ io.Closer     = (*Store)(nil)
)

// New returns a store that keeps copies of back's entries in front. The
// front should be fast and local, such as a *memory.Store; the Store takes
// ownership of both, and Close closes them.
func New(front, back store.Backend, opts Options) *Store {
	if opts.FrontTTL <= 0 {
		opts.FrontTTL = DefaultFrontTTL
	}
	return &Store{front: front, back: back, frontTTL: opts.FrontTTL, seed: maphash.MakeSeed()}
}

// A URLConfig is what a tiered:// URL describes: the URLs of the two
// tiers, for memo.Open, and the Store's options.
type URLConfig struct {
	Front string // the front's URL; "mem://" when the URL names none
	Back  string // the back's URL
	Options
}

// ParseURL returns the configuration that a URL of the form
//
//	tiered://?front=<url>&back=<url>&front_ttl=<duration>
//
// describes, the nested URLs query-escaped (url.QueryEscape). back is
// required; front defaults to mem://; front_ttl sets Options.FrontTTL, a
// positive duration such as 30s, DefaultFrontTTL when absent. An unknown,
// repeated or malformed parameter is an error. ParseURL does not open the
// tiers.
func ParseURL(rawURL string) (URLConfig, error) {
	u, q, err := urlopt.Parse("tiered", rawURL, "tiered")
	if err != nil {
		return URLConfig{}, err
	}
	if err := urlopt.QueryOnly("tiered", u, "tiered://?front=…&back=…"); err != nil {
		return URLConfig{}, err
	}
	cfg := URLConfig{Front: q.String("front"), Back: q.String("back")}
	cfg.FrontTTL = q.Duration("front_ttl")
	if cfg.Front == "" {
		cfg.Front = "mem://"
	}
	if !q.Has("back") {
		q.Errorf("no back= URL; want tiered://?back=<query-escaped URL>")
	}
	if err := q.Err(); err != nil {
		if strings.Contains(u.RawQuery, "://") {
			err = fmt.Errorf("%w\ntiered: query-escape the URLs in front= and back= (url.QueryEscape)", err)
		}
		return URLConfig{}, err
	}
	return cfg, nil
}

// open is the opener of tiered:// URLs: it opens both tiers with memo.Open.
func open(u *url.URL) (store.Backend, error) {
	cfg, err := ParseURL(u.String())
	if err != nil {
		return nil, err
	}
	front, err := memo.Open(cfg.Front)
	if err != nil {
		return nil, fmt.Errorf("tiered: front: %w", err)
	}
	back, err := memo.Open(cfg.Back)
	if err != nil {
		closeBackend(front)
		return nil, fmt.Errorf("tiered: back: %w", err)
	}
	return New(front, back, cfg.Options), nil
}

func init() { store.RegisterScheme("tiered", open) }

// Get returns the front's copy of key if it has one, else the back's value,
// which it copies into the front. A failing front counts as a miss.
func (s *Store) Get(ctx context.Context, key store.Key) ([]byte, error) {
	if value, err := s.front.Get(ctx, key); err == nil {
		return value, nil
	}
	st := s.stripe(key)
	st.mu.Lock()
	gen := st.gen
	st.mu.Unlock()
	value, err := s.back.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	// The back returns bytes only; the entry's metadata says when it
	// expires. A value that is not an entry is served but not copied, since
	// the front could outlive it; nor is an entry that answers another key
	// than the one it was read under, which the runtime rejects and deletes.
	expires, err := store.EntryExpires(value)
	if err != nil || !store.EntryAnswers(value, key) {
		return value, nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.gen == gen {
		s.fillLocked(ctx, key, value, expires)
	}
	return value, nil
}

// Set stores value in the back, then in the front. If the back fails, Set
// returns its error and drops the front's copy, so that the next Get asks
// the back.
func (s *Store) Set(ctx context.Context, key store.Key, value []byte, expires time.Time) error {
	st := s.stripe(key)
	st.mu.Lock()
	gen := st.gen
	st.mu.Unlock()
	err := s.back.Set(ctx, key, value, expires)
	st.mu.Lock()
	defer st.mu.Unlock()
	st.gen++
	s.dropDecoded(key)
	// Another write to the stripe while this one reached the back may have
	// landed in either order there, so the front cannot tell which value
	// won; it forgets the key instead.
	if err != nil || st.gen != gen+1 {
		_ = s.front.Delete(ctx, key)
		return err
	}
	s.fillLocked(ctx, key, value, expires)
	return nil
}

// fillLocked copies value into the front until the sooner of expires and
// the front TTL; an expired value removes the front's copy instead.
func (s *Store) fillLocked(ctx context.Context, key store.Key, value []byte, expires time.Time) {
	now := time.Now()
	if !expires.IsZero() && !now.Before(expires) {
		_ = s.front.Delete(ctx, key)
		return
	}
	until := now.Add(s.frontTTL)
	if !expires.IsZero() && expires.Before(until) {
		until = expires
	}
	if s.front.Set(ctx, key, value, until) != nil {
		_ = s.front.Delete(ctx, key)
	}
}

// Delete removes key from the back, then from the front.
func (s *Store) Delete(ctx context.Context, key store.Key) error {
	err := s.back.Delete(ctx, key)
	st := s.stripe(key)
	st.mu.Lock()
	defer st.mu.Unlock()
	st.gen++
	s.dropDecoded(key)
	return errors.Join(err, s.front.Delete(ctx, key))
}

// Clear removes every entry of fn from the back, then from the front.
func (s *Store) Clear(ctx context.Context, fn store.FuncID) error {
	err := s.back.Clear(ctx, fn)
	for i := range s.stripes {
		st := &s.stripes[i]
		st.mu.Lock()
		st.gen++
		st.mu.Unlock()
	}
	// A Get that read the back before it was cleared has seen its stripe
	// change and will not fill; one that filled earlier is removed here.
	s.clearDecoded(fn)
	return errors.Join(err, s.front.Clear(ctx, fn))
}

// List lists the back's entries. It fails with an error wrapping
// errors.ErrUnsupported if the back cannot list.
func (s *Store) List(ctx context.Context, fn store.FuncID, yield func(store.StoredEntry) bool) error {
	l, ok := s.back.(store.Lister)
	if !ok {
		return fmt.Errorf("tiered: back %T cannot list its entries: %w", s.back, errors.ErrUnsupported)
	}
	return l.List(ctx, fn, yield)
}

// Prune prunes the back. It fails with an error wrapping
// errors.ErrUnsupported if the back cannot prune, as a back whose server
// expires entries itself need not. Front copies expire on their own.
func (s *Store) Prune(ctx context.Context) (store.PruneStats, error) {
	p, ok := s.back.(store.Pruner)
	if !ok {
		return store.PruneStats{}, fmt.Errorf("tiered: back %T cannot prune: %w", s.back, errors.ErrUnsupported)
	}
	return p.Prune(ctx)
}

// Close closes the front and the back, those that are io.Closers, once;
// later calls return what the first returned.
func (s *Store) Close() error {
	s.closeOnce.Do(func() { s.closeErr = errors.Join(closeBackend(s.front), closeBackend(s.back)) })
	return s.closeErr
}

func closeBackend(b store.Backend) error {
	if c, ok := b.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

func (s *Store) stripe(key store.Key) *stripe {
	return &s.stripes[maphash.String(s.seed, key.Digest)%uint64(len(s.stripes))]
}
