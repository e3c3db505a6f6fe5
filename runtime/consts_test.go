package runtime

import (
	"testing"

	"github.com/memogen/memogen/runtime/internal/registry"
	"github.com/memogen/memogen/runtime/internal/state"
)

// The internal packages repeat constants of this one that they cannot
// import.
func TestInternalConstantsAgree(t *testing.T) {
	if registry.DefaultBackend != DefaultBackend {
		t.Errorf("registry.DefaultBackend = %q; want %q", registry.DefaultBackend, DefaultBackend)
	}
	if state.DefaultMaxEntryBytes != DefaultMaxEntryBytes {
		t.Errorf("state.DefaultMaxEntryBytes = %d; want %d", state.DefaultMaxEntryBytes, DefaultMaxEntryBytes)
	}
}
