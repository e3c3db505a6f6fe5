// Package expvar publishes the counters of every memoized function of the
// program as the expvar variable "memogen", which /debug/vars serves. A
// blank import is all it takes:
//
//	import _ "github.com/memogen/memogen/metrics/expvar"
//
// The variable maps each function ("pkg/path.Name") to its backend name,
// its counters ([memo.Stats], in snake case) and, for backends that count
// them, its entries and their estimated bytes. It is read at each request, so it covers every call
// since the program started.
//
// This lives in its own package because the standard expvar package
// registers a handler on http.DefaultServeMux and links net/http: a program
// that memoizes without serving HTTP should not carry either.
package expvar

import (
	"expvar"

	"github.com/memogen/memogen/metrics"
	memo "github.com/memogen/memogen/runtime"
)

// Name is the expvar variable the counters are published as.
const Name = "memogen"

func init() { expvar.Publish(Name, expvar.Func(Snapshot)) }

// Snapshot returns what the variable holds: for each memoized function,
// its backend, counters and entries, as a map from the function's name.
func Snapshot() any {
	out := make(map[string]map[string]any)
	for _, f := range memo.Functions() {
		m := map[string]any{"backend": f.Backend}
		for _, c := range metrics.Outcomes {
			m[c.Name] = c.Read(f.Stats)
		}
		for _, c := range metrics.Counters {
			m[c.Name] = c.Read(f.Stats)
		}
		if f.Entries >= 0 {
			m["entries"] = f.Entries
		}
		if f.Bytes >= 0 {
			m["bytes"] = f.Bytes
		}
		out[f.Func.String()] = m
	}
	return out
}
