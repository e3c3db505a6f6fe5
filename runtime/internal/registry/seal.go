package registry

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/memogen/memogen/runtime/store"
)

// Sealing parameters. A backend URL may carry them whatever its scheme:
// Open takes them out of the query before the backend's opener sees it,
// and wraps the byte-level backend it opened in a store.SealedBackend.
// Each names an environment variable that holds a key, never the key
// itself, which a URL would leak into logs and process listings.
const (
	signParam        = "sign"
	signPrevParam    = "sign_prev"
	encryptParam     = "encrypt"
	encryptPrevParam = "encrypt_prev"
)

// Process-wide sealing keys: the variables that a backend bound by name from
// MEMO_BACKEND_<NAME> uses when its URL has no sealing parameter of its
// own, as if it said sign=MEMO_SIGN_KEY and so on.
const (
	SignKeyVar        = "MEMO_SIGN_KEY"
	SignKeyPrevVar    = "MEMO_SIGN_KEY_PREV"
	EncryptKeyVar     = "MEMO_ENCRYPT_KEY"
	EncryptKeyPrevVar = "MEMO_ENCRYPT_KEY_PREV"
)

// sealVars are, by parameter, the process-wide variables.
var sealVars = []struct{ param, envVar string }{
	{signParam, SignKeyVar},
	{signPrevParam, SignKeyPrevVar},
	{encryptParam, EncryptKeyVar},
	{encryptPrevParam, EncryptKeyPrevVar},
}

// takeSealParams removes the sealing parameters from u's query, keeping
// the others as they were written, and returns the variable each names.
func takeSealParams(u *url.URL) (vars map[string]string, err error) {
	if u.RawQuery == "" {
		return nil, nil
	}
	var kept []string
	for _, part := range strings.Split(u.RawQuery, "&") {
		rawName, rawValue, _ := strings.Cut(part, "=")
		name, err := url.QueryUnescape(rawName)
		if err != nil || !isSealParam(name) {
			kept = append(kept, part)
			continue
		}
		value, err := url.QueryUnescape(rawValue)
		switch {
		case err != nil:
			return nil, fmt.Errorf("memo: backend URL parameter %s: %w", name, err)
		case value == "":
			return nil, fmt.Errorf("memo: backend URL parameter %s= is empty: want the name of an environment variable that holds the key", name)
		case vars[name] != "":
			return nil, fmt.Errorf("memo: backend URL parameter %s given twice", name)
		}
		if vars == nil {
			vars = make(map[string]string)
		}
		vars[name] = value
	}
	u.RawQuery = strings.Join(kept, "&")
	return vars, nil
}

func isSealParam(name string) bool {
	for _, v := range sealVars {
		if v.param == name {
			return true
		}
	}
	return false
}

// processSealVars returns, by parameter, the process-wide variables that
// are set, or nil if none is.
func processSealVars() map[string]string {
	var vars map[string]string
	for _, v := range sealVars {
		if os.Getenv(v.envVar) == "" {
			continue
		}
		if vars == nil {
			vars = make(map[string]string)
		}
		vars[v.param] = v.envVar
	}
	return vars
}

// sealer returns the Sealer of the keys in the variables that vars name.
// Errors name the variables, never their values.
func sealer(vars map[string]string) (*store.Sealer, error) {
	var keys store.SealKeys
	for _, k := range []struct {
		param string
		key   *[]byte
	}{{signParam, &keys.Sign}, {signPrevParam, &keys.SignPrev}, {encryptParam, &keys.Encrypt}, {encryptPrevParam, &keys.EncryptPrev}} {
		name, ok := vars[k.param]
		if !ok {
			continue
		}
		raw := os.Getenv(name)
		if raw == "" {
			return nil, fmt.Errorf("memo: %s=%s: environment variable %s is not set", k.param, name, name)
		}
		key, err := store.ParseSealKey(raw)
		if err != nil {
			return nil, fmt.Errorf("memo: %s=%s: %s holds %w", k.param, name, name, err)
		}
		*k.key = key
	}
	return store.NewSealer(keys)
}

// sealed wraps b, the backend that u names, in a SealedBackend of s; it
// closes b and fails if b keeps values in memory, which are never encoded
// and so cannot be sealed.
func sealed(u *url.URL, b store.Backend, s *store.Sealer) (store.Backend, error) {
	if _, ok := b.(store.ValueStore); ok {
		if c, ok := b.(io.Closer); ok {
			c.Close()
		}
		return nil, fmt.Errorf("memo: %s:// keeps results in this process, unencoded: sign= and encrypt= apply to byte-level backends", u.Scheme)
	}
	return store.NewSealedBackend(b, s), nil
}
