package kv

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync/atomic"
	"time"
	"unsafe"

	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/internal/registry"
	"github.com/memogen/memogen/runtime/internal/typeid"
	"github.com/memogen/memogen/runtime/memoimpl"
	"github.com/memogen/memogen/runtime/store"
)

// DefaultNamespace is the FuncID.Package of a store's entries when
// [Options.Namespace] is empty: memocache ls lists a store named "sessions"
// as the function "kv.sessions".
const DefaultNamespace = "kv"

// Options configure a Store. A nil *Options means the zero value, every
// field's default.
type Options struct {
	// Codec is the codec spec values are encoded with, such as "json" or
	// "msgpack+zstd"; "" means memo.DefaultCodec (msgpack). The program
	// imports the codec's package.
	Codec string
	// Namespace is the FuncID.Package the store's entries are kept and
	// listed under, an import-path-like name; "" means DefaultNamespace.
	// Stores of one name in two namespaces are two stores.
	Namespace string
	// Summary is the store's summary= option: "true" keeps a readable
	// rendering of each key in its entry, "false" never does, and ""
	// follows memo.Config.Summaries (by default, only in backends private
	// to this machine).
	Summary string
	// NoVerify stores values without first decoding each one to check
	// that it reads back equal, as verify=false does for a function.
	NoVerify bool
}

// ErrUnsupported reports an operation that the store's backend cannot do:
// iterating or counting over a backend that cannot list its entries (the
// in-memory one). It wraps errors.ErrUnsupported.
var ErrUnsupported = fmt.Errorf("kv: the backend cannot list its entries: %w", errors.ErrUnsupported)

// A Store is a typed map from K to V kept in a backend. Its methods are safe
// for concurrent use. Each operation is bounded by ctx and by
// memo.Config.Timeout, and judges expiry by memo.Config.Now.
type Store[K comparable, V any] struct {
	id          store.FuncID
	backend     store.Backend
	backendName string
	codec       store.Codec
	codecSpec   string
	keepsLocal  bool   // the codec reads times in time.Local back in it
	prefix      []byte // hashed before a key's encoding: the store's identity and its types
	keys        *keyCodec
	opts        Options
	private     bool // the backend says its entries stay on this machine
	owned       bool // Open opened the backend from a URL: Close closes it

	corrupt    atomic.Uint64
	unstorable atomic.Uint64
}

// Open returns the store name in backend, a backend URL such as
// "redis://cache:6379/0" or "file:///var/lib/app" (whose package the
// program imports), or the name of a bound backend ("default", or one
// bound with memo.Register or MEMO_BACKEND_<NAME>). It fails for a key
// type it cannot encode ([ErrKeyType]), a codec that is not registered, a
// name that is empty or holds a slash, and a backend that cannot be
// opened. It opens a URL anew on each call, and [Store.Close] closes that
// backend; a bound backend is the registry's (memo.Close closes it).
func Open[K comparable, V any](name, backend string, opts *Options) (*Store[K, V], error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if name == "" || strings.ContainsAny(name, "/\x00") {
		return nil, fmt.Errorf("kv: store name %q: want a non-empty name without slashes", name)
	}
	if o.Summary != "" && o.Summary != "true" && o.Summary != "false" {
		return nil, fmt.Errorf("kv: Options.Summary %q: want \"true\", \"false\" or \"\"", o.Summary)
	}
	keys, err := newKeyCodec(reflect.TypeFor[K]())
	if err != nil {
		return nil, err
	}
	s := &Store[K, V]{keys: keys, opts: o, codecSpec: o.Codec}
	if s.codecSpec == "" {
		s.codecSpec = memo.DefaultCodec
	}
	if s.codec, err = store.LookupCodec(s.codecSpec); err != nil {
		return nil, err
	}
	base, _, _ := strings.Cut(s.codecSpec, "+")
	s.keepsLocal = base == "msgpack"
	ns := o.Namespace
	if ns == "" {
		ns = DefaultNamespace
	}
	s.id = store.FuncID{Package: ns, Name: name}
	kt, vt := typeid.Of(reflect.TypeFor[K]()), typeid.Of(reflect.TypeFor[V]())
	if err := typeid.ErrLocal(kt, vt); err != nil {
		return nil, fmt.Errorf("kv: %s: %w", s.id, err)
	}
	kid, _ := kt.Identity()
	vid, _ := vt.Identity()
	// The types are part of every key's digest: a store reopened with other
	// types, or another codec, does not read what the first one wrote.
	s.prefix = fmt.Appendf(nil, "kv\x00%s\x00%s\x00%s\x00%s\x00", s.id, s.codecSpec, kid, vid)
	if s.backend, s.backendName, s.owned, err = resolve(backend); err != nil {
		return nil, err
	}
	s.private = store.IsPrivate(s.backend)
	return s, nil
}

// resolve returns the backend a URL or a bound name designates, a name for
// it in errors, and whether it opened it.
func resolve(backend string) (b store.Backend, name string, opened bool, err error) {
	if strings.Contains(backend, "://") {
		b, err := registry.Open(backend)
		if err != nil {
			return nil, "", false, err
		}
		scheme, _, _ := strings.Cut(backend, ":")
		return b, scheme, true, nil
	}
	if backend == "" {
		backend = memo.DefaultBackend
	}
	b, err = registry.Resolve(backend)
	return b, backend, false, err
}

// Close closes the backend Open opened from a URL, if it is an io.Closer
// (a Redis client, a write-behind queue, which Close drains); a bound
// backend is left open. The store must not be used after.
func (s *Store[K, V]) Close() error {
	if c, ok := s.backend.(io.Closer); ok && s.owned {
		return c.Close()
	}
	return nil
}

// ID returns the identity the store's entries are kept and listed under.
func (s *Store[K, V]) ID() store.FuncID { return s.id }

// Backend returns the backend the store keeps its entries in.
func (s *Store[K, V]) Backend() store.Backend { return s.backend }

// Stats returns the store's fault counters: Corrupt counts entries that
// failed their checks or their decoding and were deleted, Unstorable the
// values Set refused because they would not read back equal.
func (s *Store[K, V]) Stats() memo.Stats {
	return memo.Stats{Corrupt: s.corrupt.Load(), Unstorable: s.unstorable.Load()}
}

// key returns the byte-level key of k and k's encoding.
func (s *Store[K, V]) key(k *K) (store.Key, []byte) {
	enc := s.keys.encode(nil, unsafe.Pointer(k))
	return store.Key{Func: s.id, Digest: digestHex(s.prefix, enc), Codec: s.codecSpec}, enc
}

// opContext bounds one backend operation by ctx and Config.Timeout.
func opContext(ctx context.Context, c config) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, c.timeout)
}

// Get returns the live value stored under key. A missing, expired or
// corrupt entry reports ok false and a nil error (a corrupt one is deleted
// and counted); a failing backend returns its error.
func (s *Store[K, V]) Get(ctx context.Context, key K) (value V, ok bool, err error) {
	c := currentConfig()
	k, _ := s.key(&key)
	payload, ok, err := s.load(ctx, c, k)
	if !ok || err != nil {
		return value, false, err
	}
	if !s.decode(ctx, c, k, payload, &value) {
		var zero V
		return zero, false, nil
	}
	return value, true, nil
}

// Contains reports whether a live entry is stored under key, without
// decoding its value.
func (s *Store[K, V]) Contains(ctx context.Context, key K) (bool, error) {
	c := currentConfig()
	k, _ := s.key(&key)
	_, ok, err := s.load(ctx, c, k)
	return ok, err
}

// load reads the entry of k and returns the encoded value it holds, when
// it is live and intact.
func (s *Store[K, V]) load(ctx context.Context, c config, k store.Key) (value []byte, ok bool, err error) {
	opCtx, cancel := opContext(ctx, c)
	data, err := s.backend.Get(opCtx, k)
	cancel()
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, false, nil
	case errors.Is(err, store.ErrTooLarge), errors.Is(err, store.ErrCorrupt):
		s.discard(ctx, c, k)
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("kv: %s: %s: get: %w", s.id.Name, s.backendName, err)
	case len(data) > c.maxBytes:
		s.discard(ctx, c, k)
		return nil, false, nil
	}
	payload, expires, err := store.CheckEntry(data, k)
	switch {
	case errors.Is(err, store.ErrOldEntry):
		return nil, false, nil
	case err != nil:
		s.discard(ctx, c, k)
		return nil, false, nil
	case !expires.IsZero() && !c.now().Before(expires):
		return nil, false, nil
	}
	_, value, err = splitPayload(payload)
	if err != nil {
		s.discard(ctx, c, k)
		return nil, false, nil
	}
	return value, true, nil
}

// decode decodes an entry's value into v, deleting the entry when it does
// not decode.
func (s *Store[K, V]) decode(ctx context.Context, c config, k store.Key, data []byte, v *V) bool {
	if err := memoimpl.Unmarshal(s.codec, data, v, c.limits(time.Now().Add(c.timeout))); err != nil {
		if !errors.Is(err, context.DeadlineExceeded) {
			s.discard(ctx, c, k) // a slow decode says the process is loaded, not that the entry is bad
		}
		return false
	}
	return true
}

// discard deletes an entry that cannot be used and counts it.
func (s *Store[K, V]) discard(ctx context.Context, c config, k store.Key) {
	s.corrupt.Add(1)
	opCtx, cancel := opContext(context.WithoutCancel(ctx), c)
	defer cancel()
	_ = s.backend.Delete(opCtx, k)
}

// Set stores value under key for ttl, or until deleted when ttl is 0. It
// fails, storing nothing, for a negative ttl, for a value the codec cannot
// encode or that would not read back equal (memo.ErrUnstorable), for one
// over memo.Config.MaxEntryBytes (store.ErrTooLarge), and when the backend
// fails. A Set that fails also deletes the key's previous value (best
// effort), so that Get does not serve a value the caller meant to replace.
func (s *Store[K, V]) Set(ctx context.Context, key K, value V, ttl time.Duration) error {
	c := currentConfig()
	k, enc := s.key(&key)
	err := s.set(ctx, c, &key, k, enc, &value, ttl)
	if err != nil {
		opCtx, cancel := opContext(context.WithoutCancel(ctx), c)
		defer cancel()
		_ = s.backend.Delete(opCtx, k)
	}
	return err
}

// set is Set, given the configuration and key's store key and encoding.
func (s *Store[K, V]) set(ctx context.Context, c config, key *K, k store.Key, enc []byte, value *V, ttl time.Duration) error {
	if ttl < 0 {
		return fmt.Errorf("kv: %s: negative lifetime %v", s.id.Name, ttl)
	}
	lim := c.limits(time.Time{})
	data, err := memoimpl.Marshal(s.codec, value, lim)
	switch {
	case errors.Is(err, store.ErrTooLarge):
		return fmt.Errorf("kv: %s: %w", s.id.Name, err)
	case err != nil:
		s.unstorable.Add(1)
		return fmt.Errorf("%w: kv: %s: codec %s cannot encode the value: %w", memo.ErrUnstorable, s.id.Name, s.codecSpec, err)
	}
	if !s.opts.NoVerify {
		if err := memoimpl.RoundTrip(s.codec, s.codecSpec, s.keepsLocal, value, data, lim); err != nil {
			s.unstorable.Add(1)
			return fmt.Errorf("%w: kv: %s: codec %s: %v", memo.ErrUnstorable, s.id.Name, s.codecSpec, strings.Replace(err.Error(), "result", "value", 1))
		}
	}
	e := store.Entry{Codec: s.codecSpec, Created: c.now(), Digest: k.Digest, Payload: joinPayload(enc, data)}
	if ttl > 0 {
		e.Expires = c.now().Add(ttl)
	}
	if c.policy.KeepsSummary(s.opts.Summary, s.private) {
		e.Summary = fmt.Sprintf("%+v", *key)
	}
	entry := store.EncodeEntry(e)
	if len(entry) > c.maxBytes {
		return fmt.Errorf("kv: %s: %w", s.id.Name, store.EntryTooLarge(int64(len(entry)), c.maxBytes))
	}
	opCtx, cancel := opContext(ctx, c)
	defer cancel()
	if err := s.backend.Set(opCtx, k, entry, e.Expires); err != nil {
		return fmt.Errorf("kv: %s: %s: set: %w", s.id.Name, s.backendName, err)
	}
	return nil
}

// Delete removes the entry of key; deleting an absent key is not an error.
func (s *Store[K, V]) Delete(ctx context.Context, key K) error {
	c := currentConfig()
	k, _ := s.key(&key)
	opCtx, cancel := opContext(ctx, c)
	defer cancel()
	if err := s.backend.Delete(opCtx, k); err != nil {
		return fmt.Errorf("kv: %s: %s: delete: %w", s.id.Name, s.backendName, err)
	}
	return nil
}

// Clear removes every entry of the store. Like memo's Clear, it may take
// as long as the backend needs, so ctx alone bounds it.
func (s *Store[K, V]) Clear(ctx context.Context) error {
	if err := s.backend.Clear(ctx, s.id); err != nil {
		return fmt.Errorf("kv: %s: %s: clear: %w", s.id.Name, s.backendName, err)
	}
	return nil
}
