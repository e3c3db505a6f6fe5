package analyzer_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/memogen/memogen/generator/analyzer"
)

// TestAnalyzer checks every kind of diagnostic against the "// want"
// comments of the testdata module's packages: directives has one mistake
// of each kind, tests a directive in a test file, and fresh an up-to-date
// generated file, whose wrappers must not clash with anything; stale
// a generated file older than one of its functions, and missing no
// generated file at all.
func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), analyzer.Analyzer, "./directives", "./tests", "./fresh", "./stale", "./missing")
}
