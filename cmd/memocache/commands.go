package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/memogen/memogen/runtime/store"
)

// entryRow is one entry as ls prints it.
type entryRow struct {
	Function string     `json:"function"`
	Digest   string     `json:"digest"`
	Size     int64      `json:"size"`
	Created  *time.Time `json:"created,omitempty"`
	Expires  *time.Time `json:"expires,omitempty"`
	Args     string     `json:"args,omitempty"`
}

func list(ctx context.Context, b store.Backend, name string, out *printer) error {
	entries, err := entriesOf(ctx, b, name)
	if err != nil {
		return err
	}
	rows := make([]entryRow, 0, len(entries))
	for _, e := range entries {
		rows = append(rows, entryRow{
			Function: e.Key.Func.String(), Digest: e.Key.Digest, Size: e.Size,
			Created: timeOrNil(e.Created), Expires: timeOrNil(e.Expires), Args: e.Summary,
		})
	}
	return out.print(rows, len(rows), []string{"FUNCTION", "DIGEST", "SIZE", "CREATED", "EXPIRES", "ARGS"}, func(i int) []string {
		r := rows[i]
		return []string{r.Function, r.Digest[:min(12, len(r.Digest))], formatSize(r.Size), out.created(r.Created), out.expires(r.Expires), argsCell(r)}
	})
}

// argsCell is what the ARGS column shows of an entry: its summary, or,
// for an entry stored without one (by default in shared backends, whose
// entries keep no argument values), its whole key digest, which the
// DIGEST column abbreviates.
func argsCell(r entryRow) string {
	if r.Args != "" {
		return r.Args
	}
	return "digest:" + r.Digest
}

// statsRow is one function's totals.
type statsRow struct {
	Function string `json:"function"`
	Entries  int    `json:"entries"`
	Bytes    int64  `json:"bytes"`
	Expired  int    `json:"expired"`
}

func stats(ctx context.Context, b store.Backend, name string, out *printer) error {
	entries, err := entriesOf(ctx, b, name)
	if err != nil {
		return err
	}
	rows := []statsRow{}
	for _, e := range entries {
		fn := e.Key.Func.String()
		if len(rows) == 0 || rows[len(rows)-1].Function != fn {
			rows = append(rows, statsRow{Function: fn})
		}
		r := &rows[len(rows)-1]
		r.Entries++
		r.Bytes += e.Size
		if e.Expired(out.now) {
			r.Expired++
		}
	}
	return out.print(rows, len(rows), []string{"FUNCTION", "ENTRIES", "SIZE", "EXPIRED"}, func(i int) []string {
		r := rows[i]
		return []string{r.Function, fmt.Sprint(r.Entries), formatSize(r.Bytes), fmt.Sprint(r.Expired)}
	})
}

func prune(ctx context.Context, b store.Backend, out *printer) error {
	var stats store.PruneStats
	if p, ok := b.(store.Pruner); ok {
		var err error
		// A wrapper over a store that expires entries itself (tiered or
		// write-behind over Redis) has nothing to prune either.
		if stats, err = p.Prune(ctx); err != nil && !errors.Is(err, errors.ErrUnsupported) {
			return err
		}
	}
	return out.summary("pruned", nil, stats.Entries, stats.Bytes, " expired")
}

// clear removes the entries of the function that name names, of every
// instantiation if it is generic, or of every function when name is "".
// It reports the entries it found before clearing: a backend's Clear
// removes all of them or fails.
func clear(ctx context.Context, b store.Backend, name string, out *printer) error {
	entries, err := entriesOf(ctx, b, name)
	if err != nil {
		return err
	}
	var fns []store.FuncID
	names := []string{}
	var bytes int64
	for _, e := range entries {
		bytes += e.Size
		if len(fns) == 0 || fns[len(fns)-1] != e.Key.Func {
			fns = append(fns, e.Key.Func)
			names = append(names, e.Key.Func.String())
		}
	}
	for _, fn := range fns {
		if err := b.Clear(ctx, fn); err != nil {
			return fmt.Errorf("%s: %w", fn, err)
		}
	}
	return out.summary("cleared", slices.Compact(names), len(entries), bytes, "")
}
