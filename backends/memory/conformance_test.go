package memory_test

import (
	"testing"

	"github.com/memogen/memogen/backends/backendtest"
	"github.com/memogen/memogen/backends/memory"
	memo "github.com/memogen/memogen/runtime"
)

func TestConformance(t *testing.T) {
	backendtest.Run(t, func(t *testing.T) memo.Backend { return memory.New(memory.Options{}) })
}
