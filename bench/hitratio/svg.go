package hitratio

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// A Result is the hit ratio of each cache, in the order of Caches, at
// each capacity, for one trace.
type Result struct {
	Trace      string
	Capacities []int
	Caches     []string
	Ratios     [][]float64 // [cache][capacity]
}

// Measure replays every trace through every cache at every capacity.
func Measure(traces []Trace, capacities []int) []Result {
	var out []Result
	for _, tr := range traces {
		keys := Keys(tr)
		r := Result{Trace: tr.Name, Capacities: capacities}
		for _, c := range Caches() {
			r.Caches = append(r.Caches, c.Name)
			row := make([]float64, len(capacities))
			for i, capacity := range capacities {
				row[i] = Ratio(c, capacity, keys)
			}
			r.Ratios = append(r.Ratios, row)
		}
		out = append(out, r)
	}
	return out
}

// WriteTable writes results as a Markdown table of hit ratios in percent.
func WriteTable(w io.Writer, results []Result) {
	for _, r := range results {
		fmt.Fprintf(w, "\n%s:\n\n| cache |", r.Trace)
		for _, c := range r.Capacities {
			fmt.Fprintf(w, " %d entries |", c)
		}
		fmt.Fprintf(w, "\n|---|%s\n", strings.Repeat("---:|", len(r.Capacities)))
		for i, name := range r.Caches {
			fmt.Fprintf(w, "| %s |", name)
			for _, ratio := range r.Ratios[i] {
				fmt.Fprintf(w, " %.1f%% |", 100*ratio)
			}
			fmt.Fprintln(w)
		}
	}
}

// colors of the caches' lines, in the order of Caches.
var colors = []string{"#d62728", "#1f77b4", "#2ca02c", "#9467bd"}

// WriteSVG draws one panel per result: hit ratio against capacity (a log
// scale), a line per cache.
func WriteSVG(w io.Writer, results []Result) {
	const (
		pw, ph           = 380, 260 // panel
		left, top, right = 55, 40, 15
		bottom           = 45
	)
	width := len(results)*(pw+left+right) + 10
	height := top + ph + bottom + 20*len(colors)
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">`+"\n", width, height)
	fmt.Fprintf(w, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	for p, r := range results {
		x0 := p*(pw+left+right) + left
		lo, hi := 1.0, 0.0
		for _, row := range r.Ratios {
			for _, v := range row {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		lo, hi = math.Floor(lo*10)/10, math.Ceil(hi*10)/10
		cmin, cmax := math.Log(float64(r.Capacities[0])), math.Log(float64(r.Capacities[len(r.Capacities)-1]))
		px := func(c int) float64 { return float64(x0) + (math.Log(float64(c))-cmin)/(cmax-cmin)*pw }
		py := func(v float64) float64 { return float64(top) + (hi-v)/(hi-lo)*ph }
		fmt.Fprintf(w, `<text x="%d" y="20" font-size="14" font-weight="bold">%s</text>`+"\n", x0, r.Trace)
		fmt.Fprintf(w, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#888"/>`+"\n", x0, top, pw, ph)
		for v := lo; v <= hi+1e-9; v += 0.1 {
			fmt.Fprintf(w, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>`+"\n", x0, x0+pw, py(v), py(v))
			fmt.Fprintf(w, `<text x="%d" y="%.1f" text-anchor="end">%.0f%%</text>`+"\n", x0-5, py(v)+4, 100*v)
		}
		for _, c := range r.Capacities {
			fmt.Fprintf(w, `<text x="%.1f" y="%d" text-anchor="middle">%d</text>`+"\n", px(c), top+ph+16, c)
		}
		fmt.Fprintf(w, `<text x="%d" y="%d" text-anchor="middle">capacity (entries)</text>`+"\n", x0+pw/2, top+ph+34)
		for i, row := range r.Ratios {
			var pts []string
			for j, v := range row {
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", px(r.Capacities[j]), py(v)))
			}
			fmt.Fprintf(w, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`+"\n", strings.Join(pts, " "), colors[i%len(colors)])
		}
	}
	for i, name := range results[0].Caches {
		y := top + ph + bottom + 20*i + 10
		fmt.Fprintf(w, `<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s" stroke-width="3"/>`+"\n", left, left+25, y-4, y-4, colors[i%len(colors)])
		fmt.Fprintf(w, `<text x="%d" y="%d">%s</text>`+"\n", left+32, y, name)
	}
	fmt.Fprintln(w, "</svg>")
}
