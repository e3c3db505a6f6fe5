package registry_test

import (
	"encoding/hex"
	"net/url"
	"strings"
	"testing"

	_ "github.com/memogen/memogen/backends/file"
	_ "github.com/memogen/memogen/backends/memory"
	"github.com/memogen/memogen/runtime/internal/registry"
	"github.com/memogen/memogen/runtime/store"
)

// A backend bound from MEMO_BACKEND_<NAME> is sealed with the process-wide
// keys when its URL has no sealing parameter of its own; one that keeps
// values in memory is not, having nothing encoded to seal.
func TestProcessWideSealKeys(t *testing.T) {
	key := hex.EncodeToString([]byte(strings.Repeat("s", store.SealKeySize)))
	t.Setenv(registry.SignKeyVar, key)
	dir := (&url.URL{Scheme: "file", Path: t.TempDir()}).String()
	for _, tt := range []struct {
		name, url string
		sealed    bool
	}{
		{"sealtest_file", dir, true},
		{"sealtest_own", dir + "?sign=" + registry.SignKeyVar, true},
		{"sealtest_mem", "mem://", false},
	} {
		t.Setenv(registry.EnvVar(tt.name), tt.url)
		b, err := registry.Resolve(tt.name)
		t.Cleanup(func() { registry.Unregister(tt.name) })
		if err != nil {
			t.Fatalf("Resolve(%q) with %s=%s = %v; want nil", tt.name, registry.EnvVar(tt.name), tt.url, err)
		}
		if _, sealed := b.(*store.SealedBackend); sealed != tt.sealed {
			t.Errorf("Resolve(%q) with %s=%s = %T; sealed %v, want %v", tt.name, registry.EnvVar(tt.name), tt.url, b, sealed, tt.sealed)
		}
	}
	// memo.Open, which backends wrapping others call for the URLs they
	// wrap, leaves the process-wide keys alone: the wrapper seals once.
	b, err := registry.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, sealed := b.(*store.SealedBackend); sealed {
		t.Errorf("Open(%q) = %T; want the backend unsealed", dir, b)
	}
}

// A sealing parameter leaves the others, and their spelling, to the
// backend's own parser.
func TestSealParamsTakenOut(t *testing.T) {
	t.Setenv("MEMOTEST_REGISTRY_KEY", hex.EncodeToString([]byte(strings.Repeat("r", store.SealKeySize))))
	dir := (&url.URL{Scheme: "file", Path: t.TempDir()}).String()
	if _, err := registry.Open(dir + "?sign=MEMOTEST_REGISTRY_KEY&max_bytes=1MiB"); err != nil {
		t.Errorf("Open(file URL with sign= and max_bytes=) = %v; want nil", err)
	}
	if _, err := registry.Open(dir + "?sign=MEMOTEST_REGISTRY_KEY&max_byts=1MiB"); err == nil || !strings.Contains(err.Error(), "max_byts") {
		t.Errorf("Open(file URL with a misspelt parameter) = %v; want the file backend's error about it", err)
	}
}
