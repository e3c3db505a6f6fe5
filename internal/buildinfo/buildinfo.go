// Package buildinfo says which version of memogen a command was built
// from, for the commands' -version flag.
package buildinfo

import (
	"runtime/debug"
	"strings"
)

// modulePath is memogen's module.
const modulePath = "github.com/memogen/memogen"

// devel is what Version returns when the binary was built from a checkout,
// as the go command itself names such a build.
const devel = "(devel)"

// Version returns the version of the memogen module that the running
// binary was built from: the main module's version for go install
// …@v1.2.3 and go run …@v1.2.3, the required version for go tool memogen
// in a module that requires memogen, and "(devel)" for a build from a
// checkout or from a module replaced by a directory.
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return devel
	}
	return moduleVersion(bi)
}

// Released returns the version of memogen when the running binary was
// built from a released version of it as the main module, by go install
// …@v1.2.3 or go run …@v1.2.3, and "" otherwise: in particular when a
// module that requires memogen runs it by go tool or go run.
func Released() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	return released(bi)
}

func released(bi *debug.BuildInfo) string {
	if bi.Main.Path != modulePath || bi.Main.Version == devel || bi.Main.Replace != nil || strings.HasPrefix(bi.Main.Version, placeholder) {
		return ""
	}
	return bi.Main.Version
}

// placeholder begins the version a module's go.mod requires a module by
// when a replace directive provides it (v0.0.0-00010101000000-000000000000):
// no proxy serves it, so no command should name it.
const placeholder = "v0.0.0-00010101000000-"

// moduleVersion finds memogen's module in bi, as the main module or a
// dependency, and returns its version, or its replacement's.
func moduleVersion(bi *debug.BuildInfo) string {
	for _, m := range append([]*debug.Module{&bi.Main}, bi.Deps...) {
		if m.Path != modulePath {
			continue
		}
		if m.Replace != nil {
			m = m.Replace
		}
		if m.Version != "" {
			return m.Version
		}
		return devel
	}
	return devel
}
