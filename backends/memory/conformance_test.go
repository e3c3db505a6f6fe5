package memory_test

import (
	"github.com/memogen/memogen/runtime/store"
	"testing"

	"github.com/memogen/memogen/backends/backendtest"
	"github.com/memogen/memogen/backends/memory"
)

func TestConformance(t *testing.T) {
	backendtest.Run(t, func(t *testing.T) store.Backend { return memory.New(memory.Options{}) })
}
