package store_test

import (
	"context"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/memogen/memogen/backends/backendtest"
	_ "github.com/memogen/memogen/backends/file"
	_ "github.com/memogen/memogen/backends/memory"
	_ "github.com/memogen/memogen/backends/redis"
	_ "github.com/memogen/memogen/backends/s3"
	_ "github.com/memogen/memogen/backends/tiered"
	"github.com/memogen/memogen/internal/testservers"
	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/store"
)

// These tests seal the entries of real backends (a directory, and the
// Redis and S3-compatible servers of scripts/testservers.sh), opened by URL
// with sign= and encrypt= naming the variables below, which hold keyA and
// keyB.
const (
	keyAVar = "MEMOTEST_SEAL_KEY_A"
	keyBVar = "MEMOTEST_SEAL_KEY_B"
)

func init() {
	os.Setenv(keyAVar, hex.EncodeToString(keyA))
	os.Setenv(keyBVar, hex.EncodeToString(keyB))
}

// withParams returns raw with the query parameters params added.
func withParams(t *testing.T, raw, params string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if u.RawQuery != "" {
		params = u.RawQuery + "&" + params
	}
	u.RawQuery = params
	return u.String()
}

// seals are the sealing parameters the tests run under.
var seals = []struct{ name, params string }{
	{"Sign", "sign=" + keyAVar},
	{"Encrypt", "encrypt=" + keyAVar},
}

func TestSealedConformance(t *testing.T) {
	t.Parallel()
	for _, back := range testservers.RealBackends {
		for _, seal := range seals {
			t.Run(back.Name+"/"+seal.name, func(t *testing.T) {
				t.Parallel()
				backendtest.Run(t, func(t *testing.T) store.Backend {
					b := testservers.ClosedAtEnd(t, testservers.Open(t, withParams(t, back.URL(t), seal.params)))
					if _, ok := b.(*store.SealedBackend); !ok {
						t.Fatalf("memo.Open(URL with %s) = %T; want a *store.SealedBackend", seal.params, b)
					}
					return b
				})
			})
		}
	}
}

// A tiered store over a sealed back keeps sealed entries in the back, which
// another process with the key serves, and refuses a forged one there.
func TestSealedTieredBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	raw := testservers.FileURL(t)
	tiered := func() store.Backend {
		back := withParams(t, raw, "sign="+keyAVar)
		return testservers.ClosedAtEnd(t, testservers.Open(t, "tiered://?front="+url.QueryEscape("mem://")+"&back="+url.QueryEscape(back)))
	}
	writer := backendtest.NewNamedLenFunc(t, tiered(), "TieredBack", 1)
	writer.MustCall(t, "abc", 1)
	k := writer.Key(t, "abc")
	plain := testservers.ClosedAtEnd(t, testservers.Open(t, raw))
	stored, err := plain.Get(ctx, k)
	if err != nil || !strings.Contains(string(stored), " hmac-sha256:") {
		t.Fatalf("the back holds %q, %v; want a signed entry", stored, err)
	}
	reader := backendtest.NewNamedLenFunc(t, tiered(), "TieredBack", 1)
	reader.MustCall(t, "abc", 0) // served from the back
	forged := store.EncodeEntry(store.Entry{Codec: k.Codec, Digest: k.Digest, Created: time.Now(), Payload: []byte("99")})
	backendtest.Set(t, plain, k, forged, time.Time{})
	reader = backendtest.NewNamedLenFunc(t, tiered(), "TieredBack", 1)
	reader.MustCall(t, "abc", 1) // 3, not 99
	reader.WantStats(t, memo.Stats{Misses: 1, Corrupt: 1})
}

// corruptHook collects the errors that calls of fn report.
type corruptHook struct {
	mu   sync.Mutex
	errs []error
}

func watch(t *testing.T, fn store.FuncID) *corruptHook {
	h := new(corruptHook)
	t.Cleanup(memo.AddHook(func(ci memo.CallInfo) {
		if ci.Func == fn && ci.Err != nil {
			h.mu.Lock()
			h.errs = append(h.errs, ci.Err)
			h.mu.Unlock()
		}
	}))
	return h
}

func (h *corruptHook) reset() {
	h.mu.Lock()
	h.errs = nil
	h.mu.Unlock()
}

// wantCorrupt fails t unless the hook saw one error, wrapping ErrCorrupt.
func (h *corruptHook) wantCorrupt(t *testing.T) {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.errs) != 1 || !errors.Is(h.errs[0], store.ErrCorrupt) {
		t.Errorf("hook errors = %v; want one wrapping store.ErrCorrupt", h.errs)
	}
}

// A planted entry (unsigned, sealed by another key, or sealed for another
// key) is a miss: deleted, counted corrupt, reported to the hook, and
// replaced by the recomputed result, never served.
func TestSealedRefusesPlantedEntries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, back := range testservers.RealBackends {
		for _, seal := range seals {
			t.Run(back.Name+"/"+seal.name, func(t *testing.T) {
				t.Parallel()
				raw := back.URL(t)
				plain := testservers.ClosedAtEnd(t, testservers.Open(t, raw))
				sealed := testservers.ClosedAtEnd(t, testservers.Open(t, withParams(t, raw, seal.params)))
				foreign := testservers.ClosedAtEnd(t, testservers.Open(t, withParams(t, raw, strings.ReplaceAll(seal.params, keyAVar, keyBVar))))

				// A name of its own: the hook sees every test's calls.
				lf := backendtest.NewNamedLenFunc(t, sealed, "Planted"+back.Name+seal.name, 1)
				hook := watch(t, lf.ID())
				lf.MustCall(t, "abc", 1)
				k := lf.Key(t, "abc")
				stored, err := plain.Get(ctx, k)
				if err != nil {
					t.Fatalf("Get(%v) from the store without keys = %v; want the sealed entry", k, err)
				}
				// What the plain backend's Get returns is the sealed entry: the
				// runtime reading it without a key takes it for corrupt.
				if _, _, err := store.CheckEntry(stored, k); !errors.Is(err, store.ErrCorrupt) {
					t.Fatalf("CheckEntry(sealed entry) = %v; want ErrCorrupt", err)
				}

				// A forged result, 99, in an entry that answers the key.
				forged := store.EncodeEntry(store.Entry{Codec: k.Codec, Digest: k.Digest, Created: time.Now(), Summary: `s="abc"`, Payload: []byte("99")})
				plant := map[string]func(t *testing.T){
					"Unsealed": func(t *testing.T) { backendtest.Set(t, plain, k, forged, time.Time{}) },
					"OtherKey": func(t *testing.T) { backendtest.Set(t, foreign, k, forged, time.Time{}) },
				}
				runs := int64(1)
				for _, name := range []string{"Unsealed", "OtherKey"} {
					plant[name](t)
					hook.reset()
					runs++
					lf.MustCall(t, "abc", runs) // 3, not 99
					hook.wantCorrupt(t)
					// The planted entry is gone: what the key holds now is the
					// recomputed result, which this store opens.
					got, err := sealed.Get(ctx, k)
					if err != nil {
						t.Fatalf("%s: Get(%v) after the call = %v; want the recomputed entry", name, k, err)
					}
					if payload, _, err := store.CheckEntry(got, k); err != nil || string(payload) != "3" {
						t.Fatalf("%s: entry after the call holds %q, %v; want 3", name, payload, err)
					}
					lf.MustCall(t, "abc", runs) // a hit
				}
				lf.WantStats(t, memo.Stats{Hits: 2, Misses: 3, Corrupt: 2})
			})
		}
	}
}

// A sealed entry moved, copied or swapped to another key, of the same
// function or another, is refused as well.
func TestSealedEntryKeys(t *testing.T) {
	t.Parallel()
	for _, back := range testservers.RealBackends {
		for _, seal := range seals {
			t.Run(back.Name+"/"+seal.name, func(t *testing.T) {
				t.Parallel()
				raw := back.URL(t)
				plain := testservers.ClosedAtEnd(t, testservers.Open(t, raw))
				sealed := testservers.ClosedAtEnd(t, testservers.Open(t, withParams(t, raw, seal.params)))
				backendtest.EntryKeys(t, sealed, backendtest.SwapValues(plain), backendtest.CopyValue(plain))
			})
		}
	}
}

// After a rotation, entries sealed with the previous key are still served;
// a process that has only the previous key refuses the new entries.
func TestSealedRotation(t *testing.T) {
	t.Parallel()
	for _, back := range testservers.RealBackends {
		for _, seal := range []struct{ name, before, after string }{
			{"Sign", "sign=" + keyAVar, "sign=" + keyBVar + "&sign_prev=" + keyAVar},
			{"Encrypt", "encrypt=" + keyAVar, "encrypt=" + keyBVar + "&encrypt_prev=" + keyAVar},
			{"SignToEncrypt", "sign=" + keyAVar, "encrypt=" + keyBVar + "&sign=" + keyAVar},
		} {
			t.Run(back.Name+"/"+seal.name, func(t *testing.T) {
				t.Parallel()
				raw := back.URL(t)
				before := testservers.ClosedAtEnd(t, testservers.Open(t, withParams(t, raw, seal.before)))
				after := testservers.ClosedAtEnd(t, testservers.Open(t, withParams(t, raw, seal.after)))
				old := backendtest.NewLenFunc(t, before)
				old.MustCall(t, "abc", 1)
				rotated := backendtest.NewLenFunc(t, after)
				rotated.MustCall(t, "abc", 0) // served from the old entry
				rotated.MustCall(t, "defg", 1)
				rotated.WantStats(t, memo.Stats{Hits: 1, Misses: 1})
				old.MustCall(t, "defg", 2) // the new key's entry is not the old key's
				old.WantStats(t, memo.Stats{Misses: 2, Corrupt: 1})
			})
		}
	}
}

func TestSealedURLErrors(t *testing.T) {
	t.Setenv("MEMOTEST_SEAL_SHORT", "abcd")
	dir := url.URL{Scheme: "file", Path: t.TempDir()}
	for _, tt := range []struct{ params, want string }{
		{"sign=MEMOTEST_SEAL_UNSET", "sign=MEMOTEST_SEAL_UNSET: environment variable MEMOTEST_SEAL_UNSET is not set"},
		{"encrypt=MEMOTEST_SEAL_SHORT", "encrypt=MEMOTEST_SEAL_SHORT: MEMOTEST_SEAL_SHORT holds a key of 4 characters"},
		{"sign=", "sign= is empty"},
		{"sign=" + keyAVar + "&sign=" + keyBVar, "sign given twice"},
		{"sign_prev=" + keyAVar, "previous sealing key without a current one"},
		{"encrypt=" + keyAVar + "&sign_prev=" + keyBVar, "previous signing key without a current one"},
	} {
		raw := withParams(t, dir.String(), tt.params)
		if _, err := memo.Open(raw); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("memo.Open(%q) = %v; want an error saying %q", raw, err, tt.want)
		}
	}
	if _, err := memo.Open("mem://?sign=" + keyAVar); err == nil || !strings.Contains(err.Error(), "byte-level backends") {
		t.Errorf("memo.Open(mem://?sign=…) = %v; want an error: values in memory are not encoded", err)
	}
}
