// Package bench measures memogen against what a Go developer would write by
// hand or reach for instead. It is a module of its own so that the
// comparison libraries stay out of memogen's dependencies.
//
//	cd bench && go test -run '^$' -bench . -benchmem
package bench

//go:generate go tool memogen

import "time"

// Query is a composite argument: a struct with a slice, an int, a time and a
// bool.
type Query struct {
	Tags  []string
	Limit int
	Since time.Time
	Desc  bool
}

// Result is what Search returns.
type Result struct {
	Hits  int
	First string
}

// Search stands for an expensive function worth memoizing.
//
//memo:cache
func Search(index string, q Query, page int) Result {
	return Result{Hits: len(q.Tags) * q.Limit, First: index}
}
