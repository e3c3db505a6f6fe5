package generator_test

import (
	"fmt"
	"strings"
	"testing"
)

// diffContext is how many unchanged lines a hunk shows around a change.
const diffContext = 3

// edit is one line of a line-based edit script: kept (' '), removed ('-')
// or added ('+').
type edit struct {
	op   byte
	line string // with its "\n", if it has one
}

// unifiedDiff returns the differences from want to got as a unified diff
// headed by the two names, or "" when they are equal. Golden mismatches
// print it instead of both whole files.
func unifiedDiff(wantName, gotName string, want, got []byte) string {
	if string(want) == string(got) {
		return ""
	}
	edits := diffLines(splitLines(string(want)), splitLines(string(got)))
	var b strings.Builder
	fmt.Fprintf(&b, "--- %s\n+++ %s\n", wantName, gotName)
	for _, h := range hunks(edits) {
		writeHunk(&b, edits, h)
	}
	return b.String()
}

// splitLines splits s after each "\n"; a last line without one is kept.
func splitLines(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// diffLines returns an edit script from a to b that keeps a longest common
// subsequence of their lines. The common prefix and suffix are matched
// first, which leaves a small table for the usual golden mismatch.
func diffLines(a, b []string) []edit {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var out []edit
	for _, l := range a[:pre] {
		out = append(out, edit{' ', l})
	}
	out = append(out, lcsEdits(a[pre:len(a)-suf], b[pre:len(b)-suf])...)
	for _, l := range a[len(a)-suf:] {
		out = append(out, edit{' ', l})
	}
	return out
}

// lcsEdits is the edit script from a to b by dynamic programming over
// their longest common subsequence.
func lcsEdits(a, b []string) []edit {
	// lcs[i][j] is the length of the longest common subsequence of a[i:]
	// and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []edit
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			out = append(out, edit{' ', a[i]})
			i, j = i+1, j+1
		case j == len(b) || i < len(a) && lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, edit{'-', a[i]})
			i++
		default:
			out = append(out, edit{'+', b[j]})
			j++
		}
	}
	return out
}

// hunk is a range [start, end) of an edit script shown together.
type hunk struct{ start, end int }

// hunks groups the changes of edits with diffContext kept lines around
// each; changes closer than twice that share a hunk.
func hunks(edits []edit) []hunk {
	var out []hunk
	for i, e := range edits {
		if e.op == ' ' {
			continue
		}
		start, end := max(0, i-diffContext), min(len(edits), i+1+diffContext)
		if n := len(out); n > 0 && start <= out[n-1].end {
			out[n-1].end = end
		} else {
			out = append(out, hunk{start, end})
		}
	}
	return out
}

// writeHunk writes h with its "@@ -l,s +l,s @@" header, the line numbers
// counted from the start of the script.
func writeHunk(b *strings.Builder, edits []edit, h hunk) {
	aLine, bLine := 1, 1
	for _, e := range edits[:h.start] {
		if e.op != '+' {
			aLine++
		}
		if e.op != '-' {
			bLine++
		}
	}
	aLen, bLen := 0, 0
	for _, e := range edits[h.start:h.end] {
		if e.op != '+' {
			aLen++
		}
		if e.op != '-' {
			bLen++
		}
	}
	// An empty range is named by the line before it.
	if aLen == 0 {
		aLine--
	}
	if bLen == 0 {
		bLine--
	}
	fmt.Fprintf(b, "@@ -%d,%d +%d,%d @@\n", aLine, aLen, bLine, bLen)
	for _, e := range edits[h.start:h.end] {
		b.WriteByte(e.op)
		b.WriteString(e.line)
		if !strings.HasSuffix(e.line, "\n") {
			b.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

func TestUnifiedDiff(t *testing.T) {
	t.Parallel()
	lines := func(from, to int) string {
		var b strings.Builder
		for i := from; i <= to; i++ {
			fmt.Fprintf(&b, "%d\n", i)
		}
		return b.String()
	}
	tests := []struct {
		name, want, got, diff string
	}{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"one line changed", lines(1, 10), strings.Replace(lines(1, 10), "5\n", "five\n", 1),
			"--- want\n+++ got\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"},
		{"two hunks", lines(1, 20), strings.Replace(strings.Replace(lines(1, 20), "2\n", "", 1), "19\n", "19\nnew\n", 1),
			"--- want\n+++ got\n@@ -1,5 +1,4 @@\n 1\n-2\n 3\n 4\n 5\n@@ -17,4 +16,5 @@\n 17\n 18\n 19\n+new\n 20\n"},
		{"into an empty file", "", "a\n", "--- want\n+++ got\n@@ -0,0 +1,1 @@\n+a\n"},
		{"no final newline", "a\nb\n", "a\nb", "--- want\n+++ got\n@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n"},
	}
	for _, tt := range tests {
		if got := unifiedDiff("want", "got", []byte(tt.want), []byte(tt.got)); got != tt.diff {
			t.Errorf("%s: unifiedDiff =\n%s\nwant\n%s", tt.name, got, tt.diff)
		}
	}
}
