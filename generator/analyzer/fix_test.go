package analyzer_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/memogen/memogen/generator/analyzer"
)

// TestFixes applies the suggested fixes to the fixes package and compares
// the result with its .golden files: option names and //memo:cache
// respelt, a value with spaces quoted, nothing else touched.
func TestFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), analyzer.Analyzer, "./fixes")
}
