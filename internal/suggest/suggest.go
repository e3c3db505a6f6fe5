// Package suggest finds the name a typo meant, so that a mistake in a
// directive and one in a backend URL are corrected alike: the generator and
// the backends' URL parser both use it.
package suggest

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Closest returns the candidate closest to name by edit distance, or "" when
// none is close enough.
//
// Distance is edit distance over runes (see [editDistance]), compared
// case-insensitively so that "TTL" finds "ttl". Ties go to the smaller
// case-sensitive distance, then to the earlier candidate, so the answer never
// depends on map order or luck.
//
// A candidate is close enough when its distance is at most max(1, n/3) and
// less than n, where n is the number of runes in name: one typo is forgiven
// in short names ("cahce" finds "cache") and about one per three runes in
// longer ones, but a name is never "corrected" into something it shares
// nothing with, such as "b" for "a".
func Closest(name string, candidates []string) string {
	n := utf8.RuneCountInString(name)
	limit := min(max(1, n/3), n-1)
	lower := strings.ToLower(name)
	best, bestFolded, bestExact := "", limit+1, 0
	for _, c := range candidates {
		folded := editDistance(lower, strings.ToLower(c))
		if folded > bestFolded {
			continue
		}
		exact := editDistance(name, c)
		if folded < bestFolded || exact < bestExact {
			best, bestFolded, bestExact = c, folded, exact
		}
	}
	return best
}

// DidYouMean formats Closest's answer as a suffix for an error message,
// `; did you mean "x"?`, or returns "" when there is nothing to suggest.
func DidYouMean(name string, candidates []string) string {
	if s := Closest(name, candidates); s != "" {
		return fmt.Sprintf("; did you mean %q?", s)
	}
	return ""
}

// editDistance returns the number of single-rune insertions, deletions,
// substitutions and swaps of two adjacent runes that turn a into b (the
// optimal string alignment distance): a swap is the commonest typo, so it
// counts as one edit, not two. It keeps three rows of the usual table
// because names are short and only the distance is wanted.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i, x := range ra {
		cur[0] = i + 1
		for j, y := range rb {
			cost := 1
			if x == y {
				cost = 0
			}
			cur[j+1] = min(prev[j+1]+1, cur[j]+1, prev[j]+cost)
			if i > 0 && j > 0 && x == rb[j-1] && ra[i-1] == y {
				cur[j+1] = min(cur[j+1], prev2[j-1]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
