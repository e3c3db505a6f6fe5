// Package metrics is the common ground of memogen's metrics exporters: the
// counters every memoized function keeps ([memo.Functions]), named once
// for all of them. Each exporter lives in its own package, so that a
// program links only the one it imports:
//
//   - metrics/expvar publishes them as the expvar variable "memogen";
//   - metrics/prometheus is a prometheus.Collector;
//   - metrics/otel registers OpenTelemetry instruments on a Meter.
package metrics

import memo "github.com/memogen/memogen/runtime"

// A Counter is one of a function's counters, as exporters name it.
type Counter struct {
	// Name is the counter's name in snake case, without prefix or unit:
	// "hits", "misses", "corrupt_entries".
	Name string
	// Help says what the counter counts.
	Help string
	// Read returns the counter's value in s.
	Read func(s memo.Stats) uint64
}

// Outcomes are the counters of calls by how they were served, which
// exporters label by outcome ("hit", "miss", "shared", "stale") under one
// name.
var Outcomes = []Counter{
	{"hit", "Calls served from the cache.", func(s memo.Stats) uint64 { return s.Hits }},
	{"miss", "Calls that ran the function to fill the cache.", func(s memo.Stats) uint64 { return s.Misses }},
	{"shared", "Calls that waited for a concurrent identical call and shared its result.", func(s memo.Stats) uint64 { return s.Shared }},
	{"stale", "Calls served an expired result under stale= or stale_if_error=.", func(s memo.Stats) uint64 { return s.Stale }},
}

// Counters are a function's other counters.
var Counters = []Counter{
	{"function_errors", "Runs whose function returned an error.", func(s memo.Stats) uint64 { return s.Errors }},
	{"cache_failures", "Cache failures: unbound or failing backend, unkeyable arguments.", func(s memo.Stats) uint64 { return s.Failures }},
	{"corrupt_entries", "Stored entries that failed to decode or verify, deleted and recomputed.", func(s memo.Stats) uint64 { return s.Corrupt }},
	{"oversize_results", "Results larger than MaxEntryBytes, not stored.", func(s memo.Stats) uint64 { return s.Oversize }},
	{"evictions", "Entries evicted to make room.", func(s memo.Stats) uint64 { return s.Evictions }},
	{"unstorable_results", "Results returned but not stored because they would not read back equal.", func(s memo.Stats) uint64 { return s.Unstorable }},
	{"canceled_waits", "Calls whose context ended while they waited for a concurrent identical call.", func(s memo.Stats) uint64 { return s.Canceled }},
}
