package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/token"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/store"
)

// cacheUsage is what a mistake in a cache command line prints; -h prints
// the manual's section on the cache command.
const cacheUsage = `usage: memogen cache [-json] ls|stats|prune|clear <backend url> [function]
Run memogen cache -h for the details.
`

// newCacheFlagSet returns the flag set of the cache command, which reports
// mistakes to stderr, and its -json flag.
func newCacheFlagSet(stderr io.Writer) (*flag.FlagSet, *bool) {
	fs := flag.NewFlagSet("memogen cache", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {} // runCache prints the manual or the usage
	return fs, fs.Bool("json", false, "print JSON instead of a table")
}

// runCache is the cache subcommand.
func runCache(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, asJSON := newCacheFlagSet(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, cacheManual())
			return 0
		}
		fmt.Fprint(stderr, cacheUsage)
		return 2
	}
	rest := fs.Args()
	if len(rest) < 2 || len(rest) > 3 {
		fmt.Fprint(stderr, cacheUsage)
		return 2
	}
	verb, rawURL := rest[0], rest[1]
	if !slices.Contains([]string{"ls", "stats", "prune", "clear"}, verb) {
		fmt.Fprintf(stderr, "memogen cache: unknown command %q (want ls, stats, prune or clear)\n", verb)
		return 2
	}
	var fns []store.FuncID // nil: every function
	if len(rest) == 3 {
		if verb == "prune" {
			fmt.Fprintln(stderr, "memogen cache: prune takes no function: it removes the expired entries of every function")
			return 2
		}
		var err error
		if fns, err = parseFuncIDs(rest[2]); err != nil {
			fmt.Fprintf(stderr, "memogen cache: %v\n", err)
			return 2
		}
	}
	// Opening a backend connects to nothing, so its errors are mistakes in
	// the URL, or a directory that the URL must say it trusts.
	b, err := memo.Open(rawURL)
	if err != nil {
		fmt.Fprintf(stderr, "memogen cache: %v\n", err)
		return 2
	}
	if c, ok := b.(io.Closer); ok {
		defer c.Close()
	}
	out := &printer{w: stdout, json: *asJSON}
	switch verb {
	case "ls":
		err = cacheList(ctx, b, fns, out)
	case "stats":
		err = cacheStats(ctx, b, fns, out)
	case "prune":
		err = cachePrune(ctx, b, out)
	case "clear":
		err = cacheClear(ctx, b, fns, out)
	}
	if err != nil {
		fmt.Fprintf(stderr, "memogen cache %s: %v\n", verb, err)
		return 1
	}
	return 0
}

// parseFuncIDs reads a function as listings show it: "import/path.Name",
// or "import/path.Type.Method" for a method. The last element of an import
// path may have dots in it (gopkg.in/yaml.v3), so "a/b.c.D" is function D
// of package a/b.c or method c.D of package a/b: it returns both readings,
// and the commands act on each. One instantiation of a generic function
// carries its type arguments: "a/b.Map[int,string]", "a/b.List[int].Join".
func parseFuncIDs(s string) ([]store.FuncID, error) {
	parts := strings.Split(s[strings.LastIndex(s, "/")+1:], ".")
	n := len(parts)
	if n < 2 || parts[0] == "" || !isFuncName(parts[n-1]) {
		return nil, fmt.Errorf("function %q: want import/path.Name, e.g. example.com/users.FetchUser", s)
	}
	ids := []store.FuncID{{Package: strings.TrimSuffix(s, "."+parts[n-1]), Name: parts[n-1]}}
	if n > 2 && isFuncName(parts[n-2]) {
		method := parts[n-2] + "." + parts[n-1]
		ids = append(ids, store.FuncID{Package: strings.TrimSuffix(s, "."+method), Name: method})
	}
	return ids, nil
}

// isFuncName reports whether s names a function or a type in a FuncID: an
// identifier, followed for an instantiation by its bracketed type arguments
// as the runtime spells them, which hold no dots or slashes.
func isFuncName(s string) bool {
	name, args, generic := strings.Cut(s, "[")
	return token.IsIdentifier(name) && (!generic || len(args) > 1 && strings.HasSuffix(args, "]"))
}

func lister(b store.Backend) (store.Lister, error) {
	l, ok := b.(store.Lister)
	if !ok {
		return nil, fmt.Errorf("%T cannot list its entries", b)
	}
	return l, nil
}

// collect returns the entries of fns, or of every function when fns is
// nil, sorted by function and digest.
func collect(ctx context.Context, b store.Backend, fns []store.FuncID) ([]store.StoredEntry, error) {
	l, err := lister(b)
	if err != nil {
		return nil, err
	}
	if fns == nil {
		fns = []store.FuncID{{}}
	}
	var entries []store.StoredEntry
	for _, fn := range fns {
		err := l.List(ctx, fn, func(e store.StoredEntry) bool {
			entries = append(entries, e)
			return true
		})
		if err != nil {
			return nil, err
		}
	}
	compare := func(a, b store.StoredEntry) int {
		return cmp.Or(cmp.Compare(a.Key.Func.String(), b.Key.Func.String()), cmp.Compare(a.Key.Digest, b.Key.Digest))
	}
	slices.SortFunc(entries, compare)
	// A store that keys entries by the function's name, as Redis does,
	// lists the same entries under both readings of a dotted name.
	return slices.CompactFunc(entries, func(a, b store.StoredEntry) bool { return compare(a, b) == 0 }), nil
}

// entryRow is one entry as ls prints it.
type entryRow struct {
	Function string     `json:"function"`
	Digest   string     `json:"digest"`
	Size     int64      `json:"size"`
	Created  *time.Time `json:"created,omitempty"`
	Expires  *time.Time `json:"expires,omitempty"`
	Args     string     `json:"args,omitempty"`
}

func cacheList(ctx context.Context, b store.Backend, fns []store.FuncID, out *printer) error {
	entries, err := collect(ctx, b, fns)
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
		return []string{r.Function, r.Digest[:min(12, len(r.Digest))], fmt.Sprint(r.Size), formatTime(r.Created, "-"), formatTime(r.Expires, "never"), r.Args}
	})
}

// statsRow is one function's totals.
type statsRow struct {
	Function string `json:"function"`
	Entries  int    `json:"entries"`
	Bytes    int64  `json:"bytes"`
	Expired  int    `json:"expired"`
}

func cacheStats(ctx context.Context, b store.Backend, fns []store.FuncID, out *printer) error {
	entries, err := collect(ctx, b, fns)
	if err != nil {
		return err
	}
	now := time.Now()
	var rows []statsRow
	for _, e := range entries {
		name := e.Key.Func.String()
		if len(rows) == 0 || rows[len(rows)-1].Function != name {
			rows = append(rows, statsRow{Function: name})
		}
		r := &rows[len(rows)-1]
		r.Entries++
		r.Bytes += e.Size
		if e.Expired(now) {
			r.Expired++
		}
	}
	if rows == nil {
		rows = []statsRow{}
	}
	return out.print(rows, len(rows), []string{"FUNCTION", "ENTRIES", "BYTES", "EXPIRED"}, func(i int) []string {
		r := rows[i]
		return []string{r.Function, fmt.Sprint(r.Entries), fmt.Sprint(r.Bytes), fmt.Sprint(r.Expired)}
	})
}

func cachePrune(ctx context.Context, b store.Backend, out *printer) error {
	var stats store.PruneStats
	if p, ok := b.(store.Pruner); ok {
		var err error
		// A wrapper over a store that expires entries itself (tiered or
		// write-behind over Redis) has nothing to prune either.
		if stats, err = p.Prune(ctx); err != nil && !errors.Is(err, errors.ErrUnsupported) {
			return err
		}
	}
	if out.json {
		return out.encode(map[string]any{"entries": stats.Entries, "bytes": stats.Bytes})
	}
	_, err := fmt.Fprintf(out.w, "pruned %d expired entries, %d bytes\n", stats.Entries, stats.Bytes)
	return err
}

func cacheClear(ctx context.Context, b store.Backend, fns []store.FuncID, out *printer) error {
	if fns == nil {
		entries, err := collect(ctx, b, nil)
		if err != nil {
			return fmt.Errorf("clearing every function needs a listing: %w; name a function", err)
		}
		for _, e := range entries {
			if len(fns) == 0 || fns[len(fns)-1] != e.Key.Func {
				fns = append(fns, e.Key.Func)
			}
		}
	}
	names := make([]string, 0, len(fns))
	for _, f := range fns {
		if err := b.Clear(ctx, f); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		names = append(names, f.String())
	}
	names = slices.Compact(names) // the readings of a dotted name share it
	if out.json {
		return out.encode(map[string]any{"cleared": names})
	}
	for _, n := range names {
		if _, err := fmt.Fprintf(out.w, "cleared %s\n", n); err != nil {
			return err
		}
	}
	return nil
}

// printer writes rows as an aligned table or as JSON.
type printer struct {
	w    io.Writer
	json bool
}

func (p *printer) encode(v any) error {
	enc := json.NewEncoder(p.w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// print writes rows, a slice of n structs: as JSON, or as a table of the
// cells row returns under header.
func (p *printer) print(rows any, n int, header []string, row func(i int) []string) error {
	if p.json {
		return p.encode(rows)
	}
	tw := tabwriter.NewWriter(p.w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for i := range n {
		fmt.Fprintln(tw, strings.Join(row(i), "\t"))
	}
	return tw.Flush()
}

func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

func formatTime(t *time.Time, zero string) string {
	if t == nil {
		return zero
	}
	return t.Format(time.RFC3339)
}
