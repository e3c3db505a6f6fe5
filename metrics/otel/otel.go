// Package otel reports the counters of every memoized function of the
// program, and the duration of their calls, as OpenTelemetry instruments
// (go.opentelemetry.io/otel/metric):
//
//	unregister, err := memootel.Register(otel.Meter("memogen"))
//
// The instruments, with attributes function ("pkg/path.Name") and backend
// (its backend name):
//
//	memogen.calls{outcome=hit|miss|shared|stale}  Int64ObservableCounter
//	memogen.function_errors                       Int64ObservableCounter
//	memogen.cache_failures                        Int64ObservableCounter
//	memogen.corrupt_entries                       Int64ObservableCounter
//	memogen.oversize_results                      Int64ObservableCounter
//	memogen.evictions                             Int64ObservableCounter
//	memogen.unstorable_results                    Int64ObservableCounter
//	memogen.entries                               Int64ObservableGauge (memory backends)
//	memogen.bytes                                 Int64ObservableGauge, bytes (memory backends)
//	memogen.call.duration{outcome=…}              Float64Histogram, seconds
//
// Counters are read from [memo.Functions] at each collection; the
// histogram records calls through a hook ([memo.AddHook]) from Register
// on.
package otel

import (
	"context"
	"sync"

	"github.com/memogen/memogen/metrics"
	memo "github.com/memogen/memogen/runtime"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// Register creates the instruments on meter and starts recording call
// durations. unregister stops both.
func Register(meter metric.Meter) (unregister func() error, err error) {
	calls, err := meter.Int64ObservableCounter("memogen.calls",
		metric.WithDescription("Calls of memoized functions, by how they were served."))
	if err != nil {
		return nil, err
	}
	counters := make([]metric.Int64ObservableCounter, len(metrics.Counters))
	observables := []metric.Observable{calls}
	for i, m := range metrics.Counters {
		if counters[i], err = meter.Int64ObservableCounter("memogen."+m.Name, metric.WithDescription(m.Help)); err != nil {
			return nil, err
		}
		observables = append(observables, counters[i])
	}
	entries, err := meter.Int64ObservableGauge("memogen.entries",
		metric.WithDescription("Results a memoized function holds, for backends that count them (memory)."))
	if err != nil {
		return nil, err
	}
	bytes, err := meter.Int64ObservableGauge("memogen.bytes", metric.WithUnit("By"),
		metric.WithDescription("Estimated bytes of a memoized function's results, as the memory backend's max_bytes counts them."))
	if err != nil {
		return nil, err
	}
	observables = append(observables, entries, bytes)
	duration, err := meter.Float64Histogram("memogen.call.duration", metric.WithUnit("s"),
		metric.WithDescription("Duration of calls of memoized functions, the function's run included, by outcome."))
	if err != nil {
		return nil, err
	}

	reg, err := meter.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		for _, f := range memo.Functions() {
			fn := attribute.String("function", f.Func.String())
			backend := attribute.String("backend", f.Backend)
			for _, m := range metrics.Outcomes {
				o.ObserveInt64(calls, int64(m.Read(f.Stats)), metric.WithAttributes(fn, backend, attribute.String("outcome", m.Name)))
			}
			for i, m := range metrics.Counters {
				o.ObserveInt64(counters[i], int64(m.Read(f.Stats)), metric.WithAttributes(fn, backend))
			}
			if f.Entries >= 0 {
				o.ObserveInt64(entries, int64(f.Entries), metric.WithAttributes(fn, backend))
			}
			if f.Bytes >= 0 {
				o.ObserveInt64(bytes, f.Bytes, metric.WithAttributes(fn, backend))
			}
		}
		return nil
	}, observables...)
	if err != nil {
		return nil, err
	}

	var attrs sync.Map // "function\x00outcome" → metric.MeasurementOption, built once
	remove := memo.AddHook(func(ci memo.CallInfo) {
		if ci.Duration <= 0 {
			return // not a finished call (an unbound backend's one report)
		}
		fn, outcome := ci.Func.String(), ci.Outcome.String()
		key := fn + "\x00" + outcome
		opt, ok := attrs.Load(key)
		if !ok {
			opt, _ = attrs.LoadOrStore(key, metric.WithAttributeSet(attribute.NewSet(
				attribute.String("function", fn), attribute.String("outcome", outcome))))
		}
		duration.Record(context.Background(), ci.Duration.Seconds(), opt.(metric.RecordOption))
	})
	return func() error {
		remove()
		return reg.Unregister()
	}, nil
}
