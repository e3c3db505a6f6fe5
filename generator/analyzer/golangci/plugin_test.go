package golangci_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/memogen/memogen/generator/analyzer"
	"github.com/memogen/memogen/generator/analyzer/golangci"
)

// testdata is the analyzer's testdata module, whose packages have the
// "// want" comments of every diagnostic.
var testdata = filepath.Join("..", "testdata")

// build returns the analyzers of the plugin that golangci-lint gets for
// the name memogen with settings, restoring the stale flag afterwards.
func build(t *testing.T, settings any) []*analysis.Analyzer {
	t.Helper()
	saved := analyzer.Analyzer.Flags.Lookup("stale").Value.String()
	t.Cleanup(func() { analyzer.Analyzer.Flags.Set("stale", saved) })
	newPlugin, err := register.GetPlugin("memogen")
	if err != nil {
		t.Fatalf("GetPlugin(memogen): %v", err)
	}
	p, err := newPlugin(settings)
	if err != nil {
		t.Fatalf("New(%v): %v", settings, err)
	}
	if got := p.GetLoadMode(); got != register.LoadModeTypesInfo {
		t.Errorf("GetLoadMode() = %q; want %q", got, register.LoadModeTypesInfo)
	}
	as, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatalf("BuildAnalyzers(): %v", err)
	}
	if len(as) != 1 || as[0] != analyzer.Analyzer {
		t.Fatalf("BuildAnalyzers() = %v; want [memogen analyzer]", as)
	}
	return as
}

// TestPluginReportsDirectives runs the analyzer the plugin registers, with
// no settings, over the directive mistakes and the stale generated file.
func TestPluginReportsDirectives(t *testing.T) {
	as := build(t, nil)
	analysistest.Run(t, testdata, as[0], "./directives", "./stale")
}

// TestSettingsStale checks that the stale setting is the analyzer's -stale
// flag, as YAML decodes it: on, the stale package has diagnostics; off, it
// has none.
func TestSettingsStale(t *testing.T) {
	for _, stale := range []bool{true, false} {
		t.Run(fmt.Sprint(stale), func(t *testing.T) {
			as := build(t, map[string]any{"stale": stale})
			if got := as[0].Flags.Lookup("stale").Value.String(); got != fmt.Sprint(stale) {
				t.Errorf("-stale = %s; want %v", got, stale)
			}
			// The "// want" comments expect the stale diagnostics, so
			// the mismatches of stale: false are recorded, not failures.
			var mismatches ignore
			results := analysistest.Run(&mismatches, testdata, as[0], "./stale")
			n := 0
			for _, r := range results {
				n += len(r.Diagnostics)
			}
			if (n > 0) != stale {
				t.Errorf("stale: %v: %d diagnostics in ./stale", stale, n)
			}
		})
	}
}

// TestSettingsErrors checks that a misspelt or mistyped setting is an
// error from New, so a typo in .golangci.yml is not silently ignored.
func TestSettingsErrors(t *testing.T) {
	for _, settings := range []map[string]any{
		{"stal": false},
		{"stale": "no"},
	} {
		_, err := golangci.New(settings)
		if err == nil || !strings.Contains(err.Error(), "decoding settings") {
			t.Errorf("New(%v) = %v; want a decoding error", settings, err)
		}
	}
}

// ignore is an analysistest.Testing that drops its errors.
type ignore struct{}

func (*ignore) Errorf(string, ...any) {}
