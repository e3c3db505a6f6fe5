package memoimpl

import (
	"context"
	"fmt"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/internal/registry"
	"github.com/memogen/memogen/runtime/internal/state"
	"github.com/memogen/memogen/runtime/internal/typeid"
	"github.com/memogen/memogen/runtime/store"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// FuncInfo describes a memoized function. Generated code fills it in once
// per function; the fields mirror the //memo:cache directive.
type FuncInfo struct {
	Package string // import path of the function's package
	// Receiver is the receiver's type name for a method, else "". Name is
	// the function's name. An instance of a [Generic] adds its type
	// arguments to the receiver's name for a method of a generic type
	// ("List[int]"), else to the function's ("Map[int,string]").
	Receiver string
	Name     string
	// Fingerprint digests the directive's options, the function's code and
	// the code, constants and types it reaches (see the README's
	// "Invalidation by code"): a change to any of them orphans the entries
	// byte-level backends hold.
	Fingerprint string
	Version     string        // version=
	TTL         time.Duration // ttl=; 0 means no expiry
	Backend     string        // backend=; "" means "default"
	MaxEntries  int           // size=; 0 means no per-function bound
	Codec       string        // codec=, for byte-level backends
	Errors      bool          // whether the last result is an error
	// Unstorable, when not empty, says why the results cannot survive a
	// byte-level backend's round trip (an unexported field, an interface
	// whose dynamic type the codec would lose, a func). Bound to such a
	// backend, the function runs uncached and the reason is reported once:
	// a stored result would come back as a different value.
	Unstorable string
	// Recursive says the result types can hold themselves (through
	// pointers, slices, maps or interfaces). Bound to a byte-level
	// backend, each result is checked before it is encoded, and one that
	// holds a cycle, or nests deeper than the codec can take, is returned
	// but not stored: encoding it would overflow the stack. Such a call is
	// counted as a failure and reported with [memo.ErrUnstorable].
	Recursive bool
	// Equal, when not nil, is a func(d *Diff, a, b *R) bool, where R is
	// the type Lookup and Run are called with: it reports whether b, what
	// a's encoding decodes to, equals a (see [Diff]). Generated code sets
	// it from the result types, reflection-free; without it, and for a
	// generic function, whose result types vary by instantiation, results
	// are compared by [Diff.Reflect].
	Equal any
	// Size, when not nil, is a func(r R) int64, where R is the type Lookup
	// and Run are called with: it estimates the bytes r references outside
	// itself (the backing arrays of its strings, slices and maps, what its
	// pointers and interfaces hold), which a memory store bounded by bytes
	// counts with the result's own size and its key. It takes r by value:
	// a pointer, passed through an interface, would move every result to
	// the heap. Generated code sets it from the result types,
	// reflection-free where it can see them ([SliceSize], [MapSize],
	// [PointeeSize], [DynamicSize], [ReferencedSize]), and leaves it nil
	// for results that reference nothing; without it, and for a generic
	// function, the runtime estimates by reflection ([ReferencedSize]),
	// which stops at once for such results.
	Size any
	// NoVerify (verify=false) stores results in byte-level backends
	// without decoding them first to check that they read back equal.
	NoVerify bool
	// Summary is summary=: "true" keeps a readable summary of the keyed
	// arguments in each entry of a byte-level backend, "false" never does,
	// and "" follows memo.Config.Summaries (see memo.SummaryPolicy).
	Summary string
	// KeepsLocal says that the codec reads a time in time.Local back in
	// the zone it was stored in, whatever the reading process's time.Local
	// (memogen's msgpack does; json and gob store an offset alone).
	KeepsLocal bool
	// NoLock (lock=false) keeps misses from taking a lease in a
	// byte-level backend that offers one ([store.Locker]); see lock.go.
	NoLock bool
	// Tags (tags=) are the tags [memo.InvalidateTags] drops the results of
	// the function by.
	Tags []string
	// Freshness options (see fresh.go and the README's "Freshness"):
	// stale=, stale_if_error=, early= (XFetch's beta), errttl= and
	// ttl_refresh=true. A function with any of them is called through
	// [LookupFresh] and [RunFresh].
	Stale, StaleIfError, ErrTTL time.Duration
	Early                       float64
	TTLRefresh                  bool
	// CacheError, when not nil (errttl_if=), picks the errors errttl=
	// caches; the others are returned, not cached.
	CacheError func(error) bool
	// Sentinels are the error variables the function's package declares, by name:
	// an error cached under errttl= in a byte-level backend that is, or
	// wraps, one of them reads back as it, or as a [memo.CachedError]
	// that errors.Is matches with it.
	Sentinels map[string]error
}

// A Func is the cache of one memoized function: its binding to a backend,
// its in-flight calls and its counters. Generated code creates one per
// function with [NewFunc], and a generic function one per instantiation
// through a [Generic]; every method is safe for concurrent use.
type Func struct {
	info    FuncInfo
	id      store.FuncID
	prefix  []byte   // identity, fingerprint, version and type arguments: hashed before a byte-level key
	generic *Generic // the generic function f is an instance of, or nil
	// typeArgs are the type arguments of an instance of a generic
	// function; if the identity of one is valid in this process only
	// (see errLocal), byte-level backends cannot tell the instance from
	// another.
	typeArgs []*typeid.Info

	bound      atomic.Pointer[binding] // the backend this Func last resolved
	reported   atomic.Bool             // whether an unbound backend was reported
	mismatched atomic.Bool             // whether a result that read back different was reported
	// boundReported says whether a size= bound the store's own bound
	// makes unreachable was reported; see bound.go.
	boundReported atomic.Bool
	flight        flightGroup
	stats         counters
	// writes counts this process's stores, deletions and clears of the
	// function's byte-level entries, so that a ttl_refresh= hit does not
	// store again an entry replaced since it read it; see extend.
	writes atomic.Uint64
	// writeMu orders, for a function with ttl_refresh=, its byte-level
	// writes with the check a hit makes before storing its entry again.
	writeMu sync.Mutex
	// tagsRecorded is the binding whose Tagger backend has recorded the
	// function's tags; see lock.go.
	tagsRecorded atomic.Pointer[binding]
	fresh        bool // the function has freshness options
}

// binding is what a Func resolved its backend name to, valid while the
// registry's generation is gen.
type binding struct {
	gen       uint64
	table     store.Table      // the function's table in a ValueStore, or nil
	backend   store.Backend    // a byte-level backend, when table is nil
	codec     store.Codec      // the codec for backend
	codecSpec string           // the spec codec was looked up by
	front     store.FrontTable // decoded results kept in front of backend, or nil
	private   bool             // backend says its entries stay on this machine (store.PrivateBackend)
	err       error            // why the backend cannot be used, or nil
	boundErr  error            // why the function's size= can never be reached in table's store, or nil
	// health is the cooldown state of the backend bound to the name,
	// which every Func bound to it shares; see cooldown.go.
	health *registry.Health
	// plainTable is whether the binding is an in-memory table without an
	// error to report: a lookup then needs no further check (see Lookup).
	plainTable bool
}

// NewFunc returns the cache of the function info describes. It binds no
// backend yet: that happens on first use.
func NewFunc(info FuncInfo) *Func {
	return newFunc(info, "", nil)
}

// newFunc returns a Func; for an instance of generic, typeArgs are the
// spellings of its type arguments, which its key prefix carries.
func newFunc(info FuncInfo, typeArgs string, generic *Generic) *Func {
	f := &Func{info: info, id: info.id(), generic: generic, fresh: info.hasFreshness()}
	f.prefix = fmt.Appendf(nil, "%s\x00%s\x00%s\x00", f.id, info.Fingerprint, info.Version)
	if typeArgs != "" {
		f.prefix = append(f.prefix, typeArgs...)
	}
	if generic == nil { // an instance shares its Generic's backend
		registry.Use(info.backendName(), info.codecSpec(), f.id.String(), false)
	}
	state.List(&state.Listed{
		Package: f.id.Package, Name: f.id.Name, Backend: f.backendName(),
		Stats: func() any { return f.Stats() }, Entries: f.entries, Bytes: f.bytes,
	})
	if len(info.Tags) > 0 {
		registry.Tag(info.Tags, f)
	}
	return f
}

// bytes returns the estimated bytes of the function's entries in a value
// store that counts them ([store.SizedTable]), and false otherwise or
// before its first call.
func (f *Func) bytes() (int64, bool) {
	if b := f.bound.Load(); b != nil && b.err == nil {
		if t, ok := b.table.(store.SizedTable); ok {
			return t.Bytes(), true
		}
	}
	return 0, false
}

// entries returns the number of entries the function holds in a value
// store, and false for a byte-level backend, which does not count them, or
// before the function's first call bound its backend: asking binds
// nothing.
func (f *Func) entries() (int, bool) {
	if b := f.bound.Load(); b != nil && b.err == nil && b.table != nil {
		return b.table.Len(), true
	}
	return 0, false
}

// id returns the identity of the function info describes.
func (info FuncInfo) id() store.FuncID {
	name := info.Name
	if info.Receiver != "" {
		name = info.Receiver + "." + info.Name
	}
	return store.FuncID{Package: info.Package, Name: name}
}

// codecSpec returns the codec spec the function encodes with in a
// byte-level backend.
func (info FuncInfo) codecSpec() string {
	if info.Codec == "" {
		return memo.DefaultCodec
	}
	return info.Codec
}

// backendName returns the name of the backend the function uses.
func (info FuncInfo) backendName() string {
	if info.Backend == "" {
		return memo.DefaultBackend
	}
	return info.Backend
}

// ID returns the function's identity.
func (f *Func) ID() store.FuncID { return f.id }

// Stats returns the function's counters.
func (f *Func) Stats() memo.Stats { return f.stats.snapshot() }

// Clear removes every cached result of the function. It may take as long as
// the backend needs (listing and deleting many objects), so ctx, not
// Config.Timeout, bounds it.
func (f *Func) Clear(ctx context.Context) error {
	f.flight.invalidateAll() // before the clear: see invalidate.go
	b := f.bind()
	switch {
	case b.err != nil:
		return b.err
	case b.table != nil:
		b.table.Clear()
		return nil
	}
	if f.info.TTLRefresh {
		f.writeMu.Lock()
		defer f.writeMu.Unlock()
	}
	f.writes.Add(1)
	return b.backend.Clear(ctx, f.id)
}

func (f *Func) backendName() string { return f.info.backendName() }

func (f *Func) onEvict(n int) { f.stats.evictions.Add(uint64(n)) }

// bind returns the function's current binding, resolving it again after a
// change to the registry.
func (f *Func) bind() *binding {
	gen := registry.Gen()
	if b := f.bound.Load(); b != nil && b.gen == gen {
		return b
	}
	return f.rebind(gen)
}

func (f *Func) rebind(gen uint64) *binding {
	b := &binding{gen: gen, health: registry.HealthOf(f.backendName())}
	backend, err := registry.Resolve(f.backendName())
	switch {
	case err != nil:
		b.err = err
	default:
		if vs, ok := backend.(store.ValueStore); ok {
			b.table = vs.Table(store.TableConfig{Func: f.id, MaxEntries: f.info.MaxEntries, OnEvict: f.onEvict})
			b.boundErr = f.unreachableBound(vs)
			break
		}
		b.backend = backend
		b.codecSpec = f.info.codecSpec()
		b.private = store.IsPrivate(backend)
		if f.info.Unstorable != "" {
			b.err = fmt.Errorf("%w: %s: %s", memo.ErrUnstorable, f.backendName(), f.info.Unstorable)
			break
		}
		if err := typeid.ErrLocal(f.typeArgs...); err != nil {
			b.err = fmt.Errorf("%s: %w", f.backendName(), err)
			break
		}
		b.codec, b.err = store.LookupCodec(b.codecSpec)
		if df, ok := backend.(store.DecodedFront); ok && b.err == nil {
			b.front = df.DecodedFront(f.id)
		}
	}
	b.plainTable = b.table != nil && b.err == nil && b.boundErr == nil
	f.bound.Store(b)
	return b
}

// reportUnbound tells the hook and the logger, once per function, that its
// backend cannot be used.
func (f *Func) reportUnbound(ctx context.Context, cfg *config, err error) {
	if !f.reported.CompareAndSwap(false, true) {
		return
	}
	cfg.hook(memo.CallInfo{Func: f.id, Outcome: memo.Uncached, Err: err})
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	logger.LogAttrs(ctx, slog.LevelError, "memo: calls run uncached",
		slog.String("func", f.id.String()), slog.Any("error", err))
}
