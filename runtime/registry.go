package runtime

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// DefaultBackend is the name of the backend a directive without backend=
// uses. Unless rebound, it is the in-memory store opened from "mem://".
const DefaultBackend = "default"

// ErrUnbound reports a backend name with nothing bound to it.
var ErrUnbound = errors.New("memo: backend not bound")

// An Opener opens a backend from a URL such as "mem://?max_entries=100"; backend
// packages register one per scheme with [RegisterScheme].
type Opener func(u *url.URL) (Backend, error)

// registry maps names to backends and schemes to openers. Its generation
// counter lets every Func notice a rebinding with one atomic load.
//
// Openers run with no registry lock held, so an opener may itself call
// [Open] (the tiered and write-behind backends wrap another URL), or bind
// another name. binding serializes the first use of each name, so that a
// name is opened at most once while others bind in parallel.
var registry struct {
	mu       sync.Mutex
	backends map[string]Backend // bound backends, by name; guarded by mu
	failed   map[string]error   // names whose binding failed; guarded by mu
	funcs    []*Func            // every Func created; guarded by mu
	generics []*Generic         // every Generic created; guarded by mu
	gen      atomic.Uint64      // bumped on every change to backends

	binding map[string]*sync.Mutex    // per name, held while opening it; guarded by mu
	order   []string                  // bound names, the most recently bound last; guarded by mu
	closed  []Backend                 // backends that Close closed; guarded by mu
	health  map[string]*backendHealth // cooldown state, by name, of the backend bound to it; guarded by mu

	schemesMu sync.RWMutex
	schemes   map[string]Opener // guarded by schemesMu
}

// Register binds name to b, replacing any earlier binding, including one
// made from the environment. Wrappers pick up the change on their next call.
func Register(name string, b Backend) {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	if registry.backends == nil {
		registry.backends = make(map[string]Backend)
	}
	registry.backends[name] = b
	delete(registry.failed, name)
	delete(registry.health, name) // a new backend starts healthy
	registry.order = append(slices.DeleteFunc(registry.order, func(n string) bool { return n == name }), name)
	registry.gen.Add(1)
}

// Unregister removes the binding of name; the next use binds it again from
// the environment or, for "default", to a fresh in-memory store.
func Unregister(name string) {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	delete(registry.backends, name)
	delete(registry.failed, name)
	delete(registry.health, name)
	registry.order = slices.DeleteFunc(registry.order, func(n string) bool { return n == name })
	registry.gen.Add(1)
}

// RegisterScheme makes URLs of scheme openable by [Open] and by
// MEMO_BACKEND_<NAME> bindings. Backend packages call it from init.
func RegisterScheme(scheme string, open Opener) {
	registry.schemesMu.Lock()
	defer registry.schemesMu.Unlock()
	if registry.schemes == nil {
		registry.schemes = make(map[string]Opener)
	}
	registry.schemes[scheme] = open
}

// Open opens a backend from a URL whose scheme a backend package registered.
func Open(rawURL string) (Backend, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("memo: backend URL: %w", err)
	}
	open := opener(u.Scheme)
	if open == nil {
		return nil, fmt.Errorf("memo: no backend for scheme %q; import its package, e.g. _ \"github.com/memogen/memogen/backends/%s\"", u.Scheme, schemePackage(u.Scheme))
	}
	return open(u)
}

func opener(scheme string) Opener {
	registry.schemesMu.RLock()
	defer registry.schemesMu.RUnlock()
	return registry.schemes[scheme]
}

func schemePackage(scheme string) string {
	switch scheme {
	case "mem":
		return "memory"
	case "rediss":
		return "redis"
	}
	return scheme
}

// EnvVar returns the environment variable that binds backend name:
// MEMO_BACKEND_ followed by name in upper case.
func EnvVar(name string) string { return "MEMO_BACKEND_" + strings.ToUpper(name) }

// Resolve returns the backend bound to name, binding it on first use from
// MEMO_BACKEND_<NAME>, or for "default" to a new in-memory store. A failed
// binding is remembered until [Register] or [Unregister] changes the name.
func Resolve(name string) (Backend, error) {
	if b, err, ok := lookup(name); ok {
		return b, err
	}
	mu := bindingLock(name)
	mu.Lock()
	defer mu.Unlock()
	if b, err, ok := lookup(name); ok { // bound while we waited
		return b, err
	}
	b, err := bind(name)
	registry.mu.Lock()
	defer registry.mu.Unlock()
	if bound, ok := registry.backends[name]; ok { // Register won the race
		if c, ok := b.(io.Closer); ok {
			c.Close()
		}
		return bound, nil
	}
	if err != nil {
		if registry.failed == nil {
			registry.failed = make(map[string]error)
		}
		registry.failed[name] = err
		return nil, err
	}
	if registry.backends == nil {
		registry.backends = make(map[string]Backend)
	}
	registry.backends[name] = b
	registry.order = append(registry.order, name)
	return b, nil
}

// healthOf returns the cooldown state of the backend bound to name, which
// every function using the name shares, so that an outage costs the
// program one timeout, not one per function.
func healthOf(name string) *backendHealth {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	h := registry.health[name]
	if h == nil {
		if registry.health == nil {
			registry.health = make(map[string]*backendHealth)
		}
		h = new(backendHealth)
		registry.health[name] = h
	}
	return h
}

// bindingLock returns the mutex that serializes binding name.
func bindingLock(name string) *sync.Mutex {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	mu := registry.binding[name]
	if mu == nil {
		if registry.binding == nil {
			registry.binding = make(map[string]*sync.Mutex)
		}
		mu = new(sync.Mutex)
		registry.binding[name] = mu
	}
	return mu
}

// lookup reports the binding or the remembered failure of name; ok is false
// when name has not been tried yet.
func lookup(name string) (b Backend, err error, ok bool) {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	if b, ok := registry.backends[name]; ok {
		return b, nil, true
	}
	if err, ok := registry.failed[name]; ok {
		return nil, err, true
	}
	return nil, nil, false
}

// bind opens the backend the environment names for name.
func bind(name string) (Backend, error) {
	raw, ok := os.LookupEnv(EnvVar(name))
	switch {
	case ok && raw != "":
	case name == DefaultBackend:
		raw = "mem://"
	default:
		return nil, fmt.Errorf("%w: %q (call memo.Register(%q, …) or set %s=<url>)", ErrUnbound, name, name, EnvVar(name))
	}
	b, err := Open(raw)
	if err != nil {
		return nil, fmt.Errorf("memo: backend %q from %s: %w", name, EnvVar(name), err)
	}
	return b, nil
}

// CheckBackends binds every backend that a memoized function of this
// program names, and returns an error listing each one that cannot be bound.
// Call it at startup to fail fast; without it, a wrapper whose backend is
// unbound runs its function uncached and reports the error once.
func CheckBackends() error {
	registry.mu.Lock()
	names := make(map[string][]string)
	for _, g := range registry.generics {
		names[g.info.backendName()] = append(names[g.info.backendName()], g.id.String())
	}
	for _, f := range registry.funcs {
		if f.generic == nil { // an instance shares its Generic's backend
			names[f.backendName()] = append(names[f.backendName()], f.id.String())
		}
	}
	registry.mu.Unlock()
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(names)) {
		if _, err := Resolve(name); err != nil {
			errs = append(errs, fmt.Errorf("%w (used by %s)", err, strings.Join(names[name], ", ")))
		}
	}
	return errors.Join(errs...)
}

func registerFunc(f *Func) {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	registry.funcs = append(registry.funcs, f)
}

func registerGeneric(g *Generic) {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	registry.generics = append(registry.generics, g)
}
