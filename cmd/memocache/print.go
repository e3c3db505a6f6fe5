package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// printer writes rows as an aligned table for people, with sizes and times
// in human form, or as JSON, with exact bytes and RFC 3339 times.
type printer struct {
	w    io.Writer
	json bool
	now  time.Time // what tables show times against
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

// summary reports what clear or prune removed: "cleared 12 entries, 3.4 kB",
// or as JSON {"entries": 12, "bytes": 3400}, with the functions when
// functions is not nil.
func (p *printer) summary(verb string, functions []string, entries int, bytes int64, adjective string) error {
	if p.json {
		v := map[string]any{"entries": entries, "bytes": bytes}
		if functions != nil {
			v["functions"] = functions
		}
		return p.encode(v)
	}
	noun := "entries"
	if entries == 1 {
		noun = "entry"
	}
	_, err := fmt.Fprintf(p.w, "%s %d%s %s, %s\n", verb, entries, adjective, noun, formatSize(bytes))
	return err
}

// created is a creation time as a table shows it: "3h ago".
func (p *printer) created(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return relative(*t, p.now)
}

// expires is an expiry as a table shows it: "in 10m", "expired 2d ago" or
// "never".
func (p *printer) expires(t *time.Time) string {
	switch {
	case t == nil:
		return "never"
	case t.After(p.now):
		return relative(*t, p.now)
	}
	return "expired " + relative(*t, p.now)
}

// relative says how far t is from now in its largest whole unit: "3h ago",
// "in 10m", "2d ago", "in 76y".
func relative(t, now time.Time) string {
	d := now.Sub(t)
	suffix, prefix := " ago", ""
	if d < 0 {
		d, suffix, prefix = -d, "", "in "
	}
	const day, year = 24 * time.Hour, 365 * 24 * time.Hour
	var s string
	switch {
	case d < time.Second:
		return "now"
	case d < time.Minute:
		s = fmt.Sprintf("%ds", d/time.Second)
	case d < time.Hour:
		s = fmt.Sprintf("%dm", d/time.Minute)
	case d < 2*day:
		s = fmt.Sprintf("%dh", d/time.Hour)
	case d < 2*year:
		s = fmt.Sprintf("%dd", d/day)
	default:
		s = fmt.Sprintf("%dy", d/year)
	}
	return prefix + s + suffix
}

// formatSize writes a byte count in SI units, as people read sizes:
// "104 B", "3.4 kB", "12 MB".
func formatSize(n int64) string {
	if n < 1000 {
		return fmt.Sprintf("%d B", n)
	}
	units := []string{"kB", "MB", "GB", "TB", "PB"}
	v, i := float64(n)/1000, 0
	for v >= 999.5 && i < len(units)-1 {
		v /= 1000
		i++
	}
	if v < 9.95 {
		return fmt.Sprintf("%.1f %s", v, units[i])
	}
	return fmt.Sprintf("%.0f %s", v, units[i])
}

func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}
