package runtime

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/memogen/memogen/runtime/internal/registry"
	"github.com/memogen/memogen/runtime/store"
)

// DefaultBackend is the name of the backend a directive without backend=
// uses. Unless rebound, it is the in-memory store opened from "mem://".
const DefaultBackend = "default"

// DefaultCodec is the codec of byte-level backends for a directive without
// codec=. Generated code imports its package.
const DefaultCodec = "msgpack"

// ErrUnbound reports a backend name with nothing bound to it.
var ErrUnbound = registry.ErrUnbound

// Register binds name to b, replacing any earlier binding, including one
// made from the environment. Wrappers pick up the change on their next call.
func Register(name string, b store.Backend) { registry.Register(name, b) }

// Unregister removes the binding of name; the next use binds it again from
// the environment or, for "default", to a fresh in-memory store.
func Unregister(name string) { registry.Unregister(name) }

// Open opens a backend from a URL whose scheme a backend package
// registered, such as "file:///var/cache/app" once
// github.com/memogen/memogen/backends/file is imported. A byte-level
// backend's URL may also carry sign=, sign_prev=, encrypt= and
// encrypt_prev=, each naming an environment variable that holds a 32-byte
// key; Open then returns a [store.SealedBackend] that signs or encrypts
// every entry and refuses every entry that no key of its own sealed. A
// name bound from MEMO_BACKEND_<NAME> whose URL has none uses
// MEMO_SIGN_KEY, MEMO_SIGN_KEY_PREV, MEMO_ENCRYPT_KEY and
// MEMO_ENCRYPT_KEY_PREV, when set, as if it named them.
func Open(rawURL string) (store.Backend, error) { return registry.Open(rawURL) }

// CheckBackends binds every backend that a memoized function of this
// program names, and looks up the codec of every function whose backend
// is byte-level, and returns an error listing each backend that cannot be
// bound and each codec or compressor that is not registered. Call it at
// startup to fail fast; without it, a wrapper whose backend or codec is
// missing runs its function uncached and reports the error once.
func CheckBackends() error {
	users := registry.Users()
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(users)) {
		b, err := registry.Resolve(name)
		if err != nil {
			errs = append(errs, fmt.Errorf("%w (used by %s)", err, strings.Join(users[name], ", ")))
			continue
		}
		if _, ok := b.(store.ValueStore); ok {
			continue // values are kept as they are: no codec
		}
		codecs := registry.Codecs(name)
		for _, spec := range slices.Sorted(maps.Keys(codecs)) {
			if _, err := store.LookupCodec(spec); err != nil {
				errs = append(errs, fmt.Errorf("%w (used by %s, bound to backend %q)", err, strings.Join(codecs[spec], ", "), name))
			}
		}
	}
	return errors.Join(errs...)
}
