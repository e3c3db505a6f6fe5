// Package redis is memogen's Redis backend: entries shared by every process
// that reaches one Redis server, Sentinel-managed primary or Cluster, and
// expired by Redis itself.
//
// Importing it registers the "redis" and "rediss" (TLS) URL schemes, so that
//
//	MEMO_BACKEND_<NAME>=redis://user:pass@localhost:6379/0?prefix=memo
//
// binds a backend from the environment; see [ParseURL] for the URL forms,
// which also select Redis Cluster and Sentinel. Code that holds a go-redis
// client already passes it to [New].
//
// # URL parameters
//
//	prefix        Options.Prefix, which starts every key (default memo)
//	scan_count    Options.ScanCount, the COUNT hint of SCAN (default 1000)
//	master_name   the name of the primary that Sentinels watch; selects
//	              Sentinel
//	addr          host:port of one more cluster seed or Sentinel; may repeat
//	username      with master_name, the primary's user
//	password      with master_name, the primary's password
//	skip_verify   with rediss://, true skips verifying the server's
//	              certificate
//
// Every other parameter sets the go-redis client option of the same name
// in goredis.UniversalOptions, in snake case: client_name, protocol (2 or
// 3), max_retries (-1 for none), min_retry_backoff, max_retry_backoff,
// dial_timeout, dialer_retries, dialer_retry_timeout, read_timeout,
// write_timeout, pool_fifo, pool_size, pool_timeout, min_idle_conns,
// max_idle_conns, max_active_conns, max_concurrent_dials,
// pipeline_pool_size (-1 for no pool), pipeline_read_buffer_size,
// pipeline_write_buffer_size (sizes such as 64KiB), conn_max_idle_time,
// conn_max_lifetime and conn_max_lifetime_jitter; with Redis Cluster or
// Sentinel also read_only (reads from replicas), route_by_latency,
// route_by_latency_tolerance and route_randomly; with Redis Cluster also
// max_redirects and failing_timeout_seconds. Durations are written like
// 500ms or 2s, and 0 turns a time limit off. An unknown, repeated or
// malformed parameter is an error.
//
// # Keys
//
// An entry of function fn with digest d lives under
//
//	<prefix>:<import path>.<Func>:<d>
//
// for example memo:example.com/shop.Cart.Total:0123456789abcdef0123456789abcdef,
// holding the stored form of [store.Entry] as one string value. Its Redis TTL
// is the entry's expiry, so Redis evicts expired entries and the Store needs
// no pruning. Clearing a function and listing entries walk the keys with
// SCAN, never KEYS, on every primary of a cluster.
//
// # Logging
//
// go-redis writes its own diagnostics, such as a "failed to dial" line for
// every connection attempt during an outage, to stderr. Importing this
// package routes them, for every go-redis client of the process, to
// memo.Config.Logger at debug level, or nowhere when no logger is set; a
// program that wants them elsewhere calls goredis.SetLogger after the
// import.
//
// # Time limits
//
// The runtime bounds each backend operation by memo.Config.Timeout through
// its context. Clients made from a URL or [Options.ClientOptions] honour
// context deadlines; a client passed in [Options.Client] should set
// ContextTimeoutEnabled too, or go-redis bounds commands only by its own
// read and write timeouts.
//
// Get, the hit path, hides its context's Done channel from go-redis, which
// would otherwise start a timer for every read: the command is bounded by
// the context's deadline through the connection's read and write deadlines
// and the dial, but waiting for a free connection of a full pool is bounded
// by the client's PoolTimeout, and go-redis's retry back-offs run to their
// end, so a Get may outlast memo.Config.Timeout by those on a failing
// server. Set, Delete, Clear and List honour their context in full.
package redis

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/memogen/memogen/runtime/store"
	goredis "github.com/redis/go-redis/v9"
)

// Defaults of Options' fields.
const (
	DefaultPrefix    = "memo"
	DefaultScanCount = 1000
)

// Options configure a Store. Exactly one of Client and ClientOptions is set.
type Options struct {
	// Client is the connection to Redis: a *goredis.Client (single node or
	// Sentinel failover), a *goredis.ClusterClient, whose every primary
	// Clear and List scan, or a *goredis.Ring, whose every shard they scan.
	// It stays the caller's to close.
	Client goredis.UniversalClient
	// ClientOptions, when Client is nil, configure a client that the Store
	// creates with goredis.NewUniversalClient, with ContextTimeoutEnabled
	// turned on, and closes on Close. The options are not modified.
	ClientOptions *goredis.UniversalOptions
	// Prefix starts every key, followed by a colon, so that several
	// programs or environments can share a server; DefaultPrefix when
	// empty.
	Prefix string
	// ScanCount is the COUNT hint of the SCANs that Clear and List run: how
	// many keys Redis examines per round trip. DefaultScanCount when 0.
	ScanCount int
}

// A Store keeps entries in Redis. It is safe for concurrent use.
type Store struct {
	rdb commands // the deployment as a whole
	// eachNode calls fn on every node that holds keys, the one node unless
	// keys are spread over a cluster's primaries or a ring's shards.
	eachNode    func(ctx context.Context, fn func(context.Context, commands) error) error
	prefix      string
	keyPrefixes sync.Map // store.FuncID → its keys' common prefix
	scanCount   int64
	closeClient func() error // closes a client the Store created; nil for the caller's
}

// commands are the only Redis commands a Store sends, so that it depends on
// no more of go-redis than it uses. A whole deployment (a node, or a cluster
// routing each key to its slot) and one node of a cluster both provide them.
type commands interface {
	GetRange(ctx context.Context, key string, start, end int64) *goredis.StringCmd
	Process(ctx context.Context, cmd goredis.Cmder) error
	Set(ctx context.Context, key string, value any, expiration time.Duration) *goredis.StatusCmd
	Del(ctx context.Context, keys ...string) *goredis.IntCmd
	Scan(ctx context.Context, cursor uint64, match string, count int64) *goredis.ScanCmd
	Pipelined(ctx context.Context, fn func(goredis.Pipeliner) error) ([]goredis.Cmder, error)
	SetNX(ctx context.Context, key string, value any, expiration time.Duration) *goredis.BoolCmd
	Eval(ctx context.Context, script string, keys []string, args ...any) *goredis.Cmd
	SAdd(ctx context.Context, key string, members ...any) *goredis.IntCmd
	SMembers(ctx context.Context, key string) *goredis.StringSliceCmd
}

var (
	_ store.Backend = (*Store)(nil)
	_ store.Lister  = (*Store)(nil)
	_ store.Locker  = (*Store)(nil)
	_ store.Tagger  = (*Store)(nil)
)

// New returns a Store that talks to Redis through opts.Client, or through a
// client made from opts.ClientOptions. It connects lazily: a server that is
// down now is tried again on every operation.
func New(opts Options) (*Store, error) {
	switch {
	case opts.Client != nil && opts.ClientOptions != nil:
		return nil, errors.New("redis: Options set both Client and ClientOptions; set one")
	case opts.Client == nil && opts.ClientOptions == nil:
		return nil, errors.New("redis: Options set neither Client nor ClientOptions")
	case opts.ScanCount < 0:
		return nil, fmt.Errorf("redis: Options.ScanCount %d is negative", opts.ScanCount)
	}
	if opts.Client != nil {
		return newStore(opts.Client, opts.Prefix, opts.ScanCount, nil), nil
	}
	o := *opts.ClientOptions
	o.ContextTimeoutEnabled = true
	client := goredis.NewUniversalClient(&o)
	return newStore(client, opts.Prefix, opts.ScanCount, client.Close), nil
}

// newStore returns a Store on client; closeClient, if not nil, is how Close
// closes it.
func newStore(client goredis.UniversalClient, prefix string, scanCount int, closeClient func() error) *Store {
	if prefix == "" {
		prefix = DefaultPrefix
	}
	if scanCount == 0 {
		scanCount = DefaultScanCount
	}
	s := &Store{rdb: client, prefix: prefix, scanCount: int64(scanCount), closeClient: closeClient}
	// A key lives on one node of a cluster or ring, and SCAN walks one node.
	switch c := client.(type) {
	case *goredis.ClusterClient:
		s.eachNode = func(ctx context.Context, fn func(context.Context, commands) error) error {
			return c.ForEachMaster(ctx, func(ctx context.Context, node *goredis.Client) error { return fn(ctx, node) })
		}
	case *goredis.Ring:
		s.eachNode = func(ctx context.Context, fn func(context.Context, commands) error) error {
			return c.ForEachShard(ctx, func(ctx context.Context, node *goredis.Client) error { return fn(ctx, node) })
		}
	default:
		s.eachNode = func(ctx context.Context, fn func(context.Context, commands) error) error { return fn(ctx, client) }
	}
	return s
}

// Must returns s, and panics if err is not nil. It suits package-level
// variables: var cache = redis.Must(redis.New(opts)).
func Must(s *Store, err error) *Store {
	if err != nil {
		panic(err)
	}
	return s
}

// open is the opener of redis:// and rediss:// URLs. Like New, it does not
// connect yet: a server that is down when a program binds its backend does
// not disable caching for the program's life.
func open(u *url.URL) (store.Backend, error) {
	opts, err := ParseURL(u.String())
	if err != nil {
		return nil, err
	}
	return New(opts)
}

func init() {
	store.RegisterScheme("redis", open)
	store.RegisterScheme("rediss", open)
}

// Close closes the client the Store created from Options.ClientOptions, as
// for a URL; a client passed in Options.Client is left open.
func (s *Store) Close() error {
	if s.closeClient == nil {
		return nil
	}
	if err := s.closeClient(); err != nil {
		return fmt.Errorf("redis: close: %w", err)
	}
	return nil
}

// Get returns the entry stored under key, or store.ErrNotFound. It reads no
// more than one byte over the entry limit (store.DefaultLimits().MaxBytes):
// a longer value, which another client may have put under the key, is
// refused with an error wrapping store.ErrTooLarge, for the runtime to
// delete.
func (s *Store) Get(ctx context.Context, key store.Key) ([]byte, error) {
	keyPrefix := s.funcKeyPrefix(key.Func)
	limit := store.DefaultLimits().MaxBytes
	// GETRANGE answers an absent key with an empty value, and no entry is
	// empty.
	data, err := s.getRange(ctx, keyPrefix, key.Digest, int64(limit))
	if err == nil && len(data) > 0 && len(data) <= limit {
		return data, nil
	}
	k := keyPrefix + key.Digest
	switch {
	case errors.Is(err, goredis.Nil), err == nil && len(data) == 0:
		return nil, store.ErrNotFound
	case err != nil && strings.HasPrefix(err.Error(), "WRONGTYPE"):
		// A key of another type where an entry belongs: corrupt, so that
		// the runtime deletes it rather than taking Redis for down.
		return nil, fmt.Errorf("redis: get %s: %w: %w", k, store.ErrCorrupt, err)
	case err != nil:
		return nil, fmt.Errorf("redis: get %s: %w", k, err)
	case len(data) > limit:
		return nil, fmt.Errorf("redis: get %s: %w", k, store.EntryTooLarge(-1, limit))
	}
	return data, nil
}

// Set stores value under key with a TTL that ends at expires; a zero
// expires means no TTL. A value that has expired already is not stored, and
// replaces any older value by deleting it.
func (s *Store) Set(ctx context.Context, key store.Key, value []byte, expires time.Time) error {
	k := s.key(key.Func, key.Digest)
	var ttl time.Duration
	if !expires.IsZero() {
		ttl = time.Until(expires)
		if ttl <= 0 {
			if err := s.rdb.Del(ctx, k).Err(); err != nil {
				return fmt.Errorf("redis: set %s (expired, so deleting): %w", k, err)
			}
			return nil
		}
		// go-redis truncates to milliseconds; rounding up instead keeps a
		// sub-millisecond TTL from becoming none at all.
		ttl = (ttl + time.Millisecond - 1).Truncate(time.Millisecond)
	}
	if err := s.rdb.Set(ctx, k, value, ttl).Err(); err != nil {
		return fmt.Errorf("redis: set %s: %w", k, err)
	}
	return nil
}

// Delete removes key; deleting an absent key is not an error.
func (s *Store) Delete(ctx context.Context, key store.Key) error {
	k := s.key(key.Func, key.Digest)
	if err := s.rdb.Del(ctx, k).Err(); err != nil {
		return fmt.Errorf("redis: delete %s: %w", k, err)
	}
	return nil
}

// Clear removes every entry of fn: it scans for the function's keys and
// unlinks them a batch at a time, so Redis frees their memory in the
// background.
func (s *Store) Clear(ctx context.Context, fn store.FuncID) error {
	err := s.scan(ctx, s.funcPattern(fn), func(ctx context.Context, node commands, keys []string) error {
		// One UNLINK per key: a cluster refuses a multi-key command whose
		// keys hash to different slots.
		_, err := node.Pipelined(ctx, func(p goredis.Pipeliner) error {
			for _, k := range keys {
				p.Unlink(ctx, k)
			}
			return nil
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("redis: clear %s: %w", fn, err)
	}
	return nil
}

// errStop ends a scan early without being an error.
var errStop = errors.New("redis: listing stopped")

// List calls yield for each entry of fn, or of every function when fn is the
// zero FuncID, until yield returns false. Each entry costs a GETRANGE of its
// metadata line and a STRLEN, pipelined per scanned batch. An entry whose
// metadata does not parse is listed with only its key and size. Listing
// every function, each entry's FuncID is read back from its key, which puts
// the split after a dotted last path element: an entry of gopkg.in/yaml.v3's
// F shows as gopkg.in/yaml's v3.F. In a cluster, yield is called from one
// goroutine at a time.
func (s *Store) List(ctx context.Context, fn store.FuncID, yield func(store.StoredEntry) bool) error {
	pattern := s.funcPattern(fn)
	if fn == (store.FuncID{}) {
		pattern = escapeGlob(s.prefix) + ":*"
	}
	var mu sync.Mutex // serialises yield across the nodes of a cluster
	stopped := false  // guarded by mu
	err := s.scan(ctx, pattern, func(ctx context.Context, node commands, keys []string) error {
		entries, err := s.describe(ctx, node, fn, keys)
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		for _, e := range entries {
			if stopped || !yield(e) {
				stopped = true
				return errStop
			}
		}
		return nil
	})
	// Once yield has had enough, another node's failure no longer matters.
	if err != nil && !stopped {
		return fmt.Errorf("redis: list: %w", err)
	}
	return nil
}

// describe reads the size and metadata of the entries under keys. A key
// that vanished since the scan is left out; when fn is not zero, every key
// belongs to it.
func (s *Store) describe(ctx context.Context, node commands, fn store.FuncID, keys []string) ([]store.StoredEntry, error) {
	type pending struct {
		key  store.Key
		head *goredis.StringCmd
		size *goredis.IntCmd
	}
	batch := make([]pending, 0, len(keys))
	_, err := node.Pipelined(ctx, func(p goredis.Pipeliner) error {
		for _, k := range keys {
			key, ok := s.parseKey(k)
			if !ok {
				continue // not an entry, though under the prefix
			}
			if fn != (store.FuncID{}) {
				key.Func = fn // exact, where parsing guesses at dotted paths
			}
			batch = append(batch, pending{key, p.GetRange(ctx, k, 0, metaBytes-1), p.StrLen(ctx, k)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	entries := make([]store.StoredEntry, 0, len(batch))
	for _, b := range batch {
		size := b.size.Val()
		if size == 0 {
			continue
		}
		e := store.StoredEntry{Key: b.key, Size: size}
		// The checksum covers the payload, left unread: a listing shows what
		// an entry's metadata claims, or none when it does not parse.
		if h, err := store.DecodeEntryHeader([]byte(b.head.Val())); err == nil {
			e.Key.Codec, e.Created, e.Expires, e.Summary = h.Codec, h.Created, h.Expires, h.Summary
		}
		entries = append(entries, e)
	}
	return entries, nil
}

// scan runs SCAN MATCH pattern on every node that holds keys, and passes
// each non-empty batch it returns to batch, with the node it came from.
func (s *Store) scan(ctx context.Context, pattern string, batch func(ctx context.Context, node commands, keys []string) error) error {
	return s.eachNode(ctx, func(ctx context.Context, node commands) error {
		var cursor uint64
		for {
			keys, next, err := node.Scan(ctx, cursor, pattern, s.scanCount).Result()
			if err != nil {
				return err
			}
			if len(keys) > 0 {
				if err := batch(ctx, node, keys); err != nil {
					return err
				}
			}
			if next == 0 {
				return nil
			}
			cursor = next
		}
	})
}
