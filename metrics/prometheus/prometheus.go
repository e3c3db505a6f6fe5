// Package prometheus exports the counters of every memoized function of the
// program, and the latency of their calls, to Prometheus
// (github.com/prometheus/client_golang). Register a [Collector] and serve
// the registry:
//
//	c := memoprom.NewCollector()
//	defer c.Close()
//	prometheus.MustRegister(c)
//	http.Handle("/metrics", promhttp.Handler())
//
// It exports, labelled by function ("pkg/path.Name") and backend name:
//
//	memogen_calls_total{outcome="hit"|"miss"|"shared"|"stale"}  counter
//	memogen_function_errors_total                                counter
//	memogen_cache_failures_total                                 counter
//	memogen_corrupt_entries_total                                counter
//	memogen_oversize_results_total                               counter
//	memogen_evictions_total                                      counter
//	memogen_unstorable_results_total                             counter
//	memogen_canceled_waits_total                                 counter
//	memogen_entries                                              gauge (memory backends)
//	memogen_bytes                                                gauge (memory backends)
//	memogen_call_duration_seconds{outcome=…}                     histogram
//
// Counters are read from [memo.Functions] at each scrape, so they cover
// calls made before the Collector existed; the histogram observes calls
// through a hook ([memo.AddHook]) from NewCollector on.
package prometheus

import (
	"sync"

	"github.com/memogen/memogen/metrics"
	memo "github.com/memogen/memogen/runtime"
	"github.com/prometheus/client_golang/prometheus"
)

const namespace = "memogen"

var funcLabels = []string{"function", "backend"}

// A Collector is a prometheus.Collector of every memoized function's
// counters and call latency. Its zero value is not usable: make one with
// [NewCollector].
type Collector struct {
	calls    *prometheus.Desc
	counters []*prometheus.Desc // by index in metrics.Counters
	entries  *prometheus.Desc
	bytes    *prometheus.Desc
	latency  *prometheus.HistogramVec
	observed sync.Map // "function\x00outcome" → prometheus.Observer, so a hook call does no label hashing
	remove   func()
}

// An Option adjusts a [Collector].
type Option func(*options)

type options struct {
	buckets []float64
}

// WithBuckets sets the call-duration histogram's buckets, in seconds. The
// default spans a memory hit (a microsecond) to a slow miss (ten seconds).
func WithBuckets(b []float64) Option { return func(o *options) { o.buckets = b } }

// DefaultBuckets are the call-duration histogram's buckets by default.
var DefaultBuckets = prometheus.ExponentialBuckets(1e-6, 10, 8)

// NewCollector returns a Collector and starts observing call durations.
// Close stops that.
func NewCollector(opts ...Option) *Collector {
	o := options{buckets: DefaultBuckets}
	for _, opt := range opts {
		opt(&o)
	}
	c := &Collector{
		calls: prometheus.NewDesc(namespace+"_calls_total",
			"Calls of memoized functions, by how they were served.",
			append(funcLabels, "outcome"), nil),
		entries: prometheus.NewDesc(namespace+"_entries",
			"Results a memoized function holds, for backends that count them (memory).",
			funcLabels, nil),
		bytes: prometheus.NewDesc(namespace+"_bytes",
			"Estimated bytes of a memoized function's results, as the memory backend's max_bytes counts them.",
			funcLabels, nil),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace,
			Name:      "call_duration_seconds",
			Help:      "Duration of calls of memoized functions, the function's run included, by outcome.",
			Buckets:   o.buckets,
		}, []string{"function", "outcome"}),
	}
	for _, m := range metrics.Counters {
		c.counters = append(c.counters, prometheus.NewDesc(namespace+"_"+m.Name+"_total", m.Help, funcLabels, nil))
	}
	c.remove = memo.AddHook(c.observe)
	return c
}

// observe records one call's duration.
func (c *Collector) observe(ci memo.CallInfo) {
	if ci.Duration <= 0 {
		return // not a finished call (an unbound backend's one report)
	}
	fn, outcome := ci.Func.String(), ci.Outcome.String()
	key := fn + "\x00" + outcome
	o, ok := c.observed.Load(key)
	if !ok {
		o, _ = c.observed.LoadOrStore(key, c.latency.WithLabelValues(fn, outcome))
	}
	o.(prometheus.Observer).Observe(ci.Duration.Seconds())
}

// Close stops observing call durations; the counters stay exported.
func (c *Collector) Close() { c.remove() }

// Describe sends the descriptors of the Collector's metrics.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.calls
	for _, d := range c.counters {
		ch <- d
	}
	ch <- c.entries
	ch <- c.bytes
	c.latency.Describe(ch)
}

// Collect sends the current value of every metric.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	for _, f := range memo.Functions() {
		fn := f.Func.String()
		for _, m := range metrics.Outcomes {
			ch <- prometheus.MustNewConstMetric(c.calls, prometheus.CounterValue, float64(m.Read(f.Stats)), fn, f.Backend, m.Name)
		}
		for i, m := range metrics.Counters {
			ch <- prometheus.MustNewConstMetric(c.counters[i], prometheus.CounterValue, float64(m.Read(f.Stats)), fn, f.Backend)
		}
		if f.Entries >= 0 {
			ch <- prometheus.MustNewConstMetric(c.entries, prometheus.GaugeValue, float64(f.Entries), fn, f.Backend)
		}
		if f.Bytes >= 0 {
			ch <- prometheus.MustNewConstMetric(c.bytes, prometheus.GaugeValue, float64(f.Bytes), fn, f.Backend)
		}
	}
	c.latency.Collect(ch)
}
