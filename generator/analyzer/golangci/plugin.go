// Package golangci is memogen's golangci-lint v2 module plugin: it adds the
// memogen analyzer ([analyzer.Analyzer]) to a custom golangci-lint binary
// as the linter "memogen", so that directive mistakes and stale wrappers
// appear in golangci-lint's output at the generator's positions.
//
// It is a module of its own so that memogen's module does not require
// golangci-lint's plugin API. Build the binary from .custom-gcl.yml:
//
//	version: v2.15.0
//	plugins:
//	  - module: 'github.com/memogen/memogen/generator/analyzer/golangci'
//	    import: 'github.com/memogen/memogen/generator/analyzer/golangci'
//	    version: latest
//
// and enable the linter in .golangci.yml:
//
//	version: "2"
//	linters:
//	  enable:
//	    - memogen
//	  settings:
//	    custom:
//	      memogen:
//	        type: "module"
//	        description: "mistakes in //memo:cache directives and stale wrappers"
//	        settings:
//	          stale: true
//
// then run golangci-lint custom and ./custom-gcl run ./... . The one
// setting, stale (default true), is the analyzer's -stale flag; an unknown
// setting is an error.
package golangci

import (
	"strconv"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/memogen/memogen/generator/analyzer"
)

func init() { register.Plugin("memogen", New) }

// Settings are the plugin's settings, under
// linters.settings.custom.memogen.settings in .golangci.yml.
type Settings struct {
	// Stale reports directives whose generated wrapper is missing or out
	// of date; nil, the default, leaves it on. The check loads each
	// package again, as go tool memogen -check does.
	Stale *bool `json:"stale"`
}

// Plugin is the memogen linter, as golangci-lint's plugin API sees it.
type Plugin struct {
	settings Settings
}

var _ register.LinterPlugin = (*Plugin)(nil)

// New returns the plugin configured by settings, the value golangci-lint
// decoded from .golangci.yml (nil when there are none).
func New(settings any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](settings)
	if err != nil {
		return nil, err
	}
	return &Plugin{settings: s}, nil
}

// BuildAnalyzers returns the memogen analyzer, with its -stale flag set
// from the settings when they give one.
func (p *Plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	if p.settings.Stale != nil {
		if err := analyzer.Analyzer.Flags.Set("stale", strconv.FormatBool(*p.settings.Stale)); err != nil {
			return nil, err
		}
	}
	return []*analysis.Analyzer{analyzer.Analyzer}, nil
}

// GetLoadMode returns register.LoadModeTypesInfo: the analyzer runs the
// generator's checks, which need the package's types.
func (p *Plugin) GetLoadMode() string { return register.LoadModeTypesInfo }
