// Package registry binds backend names to backends, for package memo (the
// runtime), which binds them on the user's behalf, and package memoimpl,
// whose functions resolve them. It keeps, per name, the backend's
// cooldown state, and a generation counter that every function checks
// with one atomic load to notice a rebinding.
package registry

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/memogen/memogen/runtime/internal/state"
	"github.com/memogen/memogen/runtime/store"
)

// DefaultBackend is memo.DefaultBackend; a test keeps the two equal.
const DefaultBackend = "default"

// ErrUnbound is memo.ErrUnbound.
var ErrUnbound = errors.New("memo: backend not bound")

// registry maps names to backends. Its generation counter lets every
// function notice a rebinding with one atomic load.
//
// Openers run with no registry lock held, so an opener may itself call
// [Open] (the tiered and write-behind backends wrap another URL), or bind
// another name. binding serializes the first use of each name, so that a
// name is opened at most once while others bind in parallel.
var registry struct {
	mu       sync.Mutex
	backends map[string]store.Backend // bound backends, by name; guarded by mu
	failed   map[string]error         // names whose binding failed; guarded by mu
	users    []user                   // the functions that use a name; guarded by mu
	gen      atomic.Uint64            // bumped on every change to backends

	binding map[string]*sync.Mutex // per name, held while opening it; guarded by mu
	order   []string               // bound names, the most recently bound last; guarded by mu
	closed  []store.Backend        // backends that Close closed; guarded by mu
	health  map[string]*Health     // cooldown state, by name, of the backend bound to it; guarded by mu
}

// Health is the cooldown state of the backend bound to one name. The
// registry keeps one per name, replaced when the name is bound anew, and
// every function bound to the name shares it.
type Health struct {
	CooldownUntil atomic.Int64 // Unix nanoseconds until which the backend is skipped, or 0
}

// Gen returns the generation of the bindings, which every change to them
// bumps.
func Gen() uint64 { return registry.gen.Load() }

// Changed bumps the generation, so that every function resolves its
// backend again on its next call.
func Changed() { registry.gen.Add(1) }

// Register binds name to b, replacing any earlier binding.
func Register(name string, b store.Backend) {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	if registry.backends == nil {
		registry.backends = make(map[string]store.Backend)
	}
	registry.backends[name] = b
	delete(registry.failed, name)
	delete(registry.health, name) // a new backend starts healthy
	registry.order = append(slices.DeleteFunc(registry.order, func(n string) bool { return n == name }), name)
	registry.gen.Add(1)
}

// Unregister removes the binding of name.
func Unregister(name string) {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	delete(registry.backends, name)
	delete(registry.failed, name)
	delete(registry.health, name)
	registry.order = slices.DeleteFunc(registry.order, func(n string) bool { return n == name })
	registry.gen.Add(1)
}

// Open opens a backend from a URL whose scheme a backend package
// registered, sealing its entries if the URL has sealing parameters (see
// seal.go).
func Open(rawURL string) (store.Backend, error) { return open(rawURL, nil) }

// open is Open, with the sealing parameters of defaultSeal for a URL that
// has none of its own.
func open(rawURL string, defaultSeal map[string]string) (store.Backend, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("memo: backend URL: %w", err)
	}
	if u.Scheme == "" {
		return nil, errNoScheme
	}
	open, _ := state.Opener(u.Scheme).(store.Opener)
	if open == nil {
		return nil, fmt.Errorf("memo: no backend for scheme %q; import its package, e.g. _ \"github.com/memogen/memogen/backends/%s\"", u.Scheme, schemePackage(u.Scheme))
	}
	seal, err := takeSealParams(u)
	if err != nil {
		return nil, err
	}
	byDefault := seal == nil
	if byDefault {
		seal = defaultSeal
	}
	if seal == nil {
		return open(u)
	}
	s, err := sealer(seal)
	if err != nil {
		return nil, err
	}
	b, err := open(u)
	if err != nil {
		return nil, err
	}
	if _, ok := b.(store.ValueStore); ok && byDefault {
		return b, nil // process-wide keys seal what is encoded only
	}
	return sealed(u, b, s)
}

// errNoScheme is Open's error for a URL without a scheme, such as an unset
// environment variable expanded in front of its parameters ("?prefix=x").
var errNoScheme = errors.New(`memo: backend URL has no scheme; want one such as "mem://", "file:///var/cache/app" or "redis://localhost:6379/0?prefix=app"`)

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
func Resolve(name string) (store.Backend, error) {
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
		registry.backends = make(map[string]store.Backend)
	}
	registry.backends[name] = b
	registry.order = append(registry.order, name)
	return b, nil
}

// HealthOf returns the cooldown state of the backend bound to name, which
// every function using the name shares, so that an outage costs the
// program one timeout, not one per function.
func HealthOf(name string) *Health {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	h := registry.health[name]
	if h == nil {
		if registry.health == nil {
			registry.health = make(map[string]*Health)
		}
		h = new(Health)
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
func lookup(name string) (b store.Backend, err error, ok bool) {
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
func bind(name string) (store.Backend, error) {
	raw, ok := os.LookupEnv(EnvVar(name))
	switch {
	case ok && raw != "":
	case name == DefaultBackend:
		raw = "mem://"
	default:
		return nil, fmt.Errorf("%w: %q (call memo.Register(%q, …) or set %s=<url>)", ErrUnbound, name, name, EnvVar(name))
	}
	b, err := open(raw, processSealVars())
	if err != nil {
		return nil, fmt.Errorf("memo: backend %q from %s: %w", name, EnvVar(name), err)
	}
	return b, nil
}

// user is a function that uses a backend name.
type user struct {
	name, codec, fn string
	generic         bool
}

// Use records that fn, a function's identity, uses the backend name and,
// should that backend be byte-level, the codec spec codec, for [Users] and
// [Codecs]; generic is set for a generic function.
func Use(name, codec, fn string, generic bool) {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	registry.users = append(registry.users, user{name, codec, fn, generic})
}

// Users returns, by backend name, the functions that use it: generic
// functions first, each kind in the order they were recorded.
func Users() map[string][]string {
	return usersBy(func(u user) string { return u.name })
}

// Codecs returns, by codec spec, the functions bound to backend that
// would encode with it: generic functions first, each kind in the order
// they were recorded.
func Codecs(backend string) map[string][]string {
	return usersBy(func(u user) string {
		if u.name != backend {
			return ""
		}
		return u.codec
	})
}

// usersBy groups the users by what key returns for each, leaving out
// those for which it returns "".
func usersBy(key func(user) string) map[string][]string {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	users := make(map[string][]string)
	for _, generic := range []bool{true, false} {
		for _, u := range registry.users {
			if k := key(u); k != "" && u.generic == generic {
				users[k] = append(users[k], u.fn)
			}
		}
	}
	return users
}
