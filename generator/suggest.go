package generator

import "github.com/memogen/memogen/internal/suggest"

// didYouMean is a "; did you mean" suffix for an error about name, or "".
func didYouMean(name string, candidates []string) string {
	return suggest.DidYouMean(name, candidates)
}

// closest returns the candidate name is likely a misspelling of, or "".
func closest(name string, candidates []string) string {
	return suggest.Closest(name, candidates)
}
