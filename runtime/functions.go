package runtime

import (
	"cmp"
	"slices"

	"github.com/memogen/memogen/runtime/internal/state"
	"github.com/memogen/memogen/runtime/store"
)

// FuncStats describes one memoized function of the program and its
// counters, as [Functions] lists them.
type FuncStats struct {
	Func    store.FuncID
	Backend string // the backend name the function binds (backend=)
	Stats
	// Entries is the number of results the function holds, for backends
	// that count them without listing (memory); -1 for the others, and
	// before the function's first call.
	Entries int
	// Bytes is what those results cost, estimated as the memory
	// backend's max_bytes counts them; -1 where Entries is.
	Bytes int64
}

// Functions returns every memoized function of the program with its
// counters, sorted by package and name: each function whose package is
// linked, and each instantiation of a generic function once it has been
// called. It is what metrics exporters read at each scrape (see the
// metrics/ packages); it binds no backend.
func Functions() []FuncStats {
	listed := state.ListedFuncs()
	out := make([]FuncStats, 0, len(listed))
	for _, l := range listed {
		fs := FuncStats{
			Func:    store.FuncID{Package: l.Package, Name: l.Name},
			Backend: l.Backend,
			Stats:   l.Stats().(Stats),
			Entries: -1,
			Bytes:   -1,
		}
		if n, ok := l.Entries(); ok {
			fs.Entries = n
		}
		if n, ok := l.Bytes(); ok {
			fs.Bytes = n
		}
		out = append(out, fs)
	}
	slices.SortStableFunc(out, func(a, b FuncStats) int {
		return cmp.Or(cmp.Compare(a.Func.Package, b.Func.Package), cmp.Compare(a.Func.Name, b.Func.Name))
	})
	return out
}
