package generator

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// checkOutputName refuses an -output that is not the name of a Go file of
// the package: a path would put the wrappers in another directory, where
// they do not compile with the package, and a name without .go, or a test
// file's, would leave them out of the package's build.
func checkOutputName(output string) error {
	switch {
	case output != filepath.Base(output) || strings.ContainsAny(output, `/\`):
		return fmt.Errorf("-output %q: want a file name, such as %s: the file is written in each package's directory", output, DefaultOutput)
	case !strings.HasSuffix(output, ".go") || output == ".go":
		return fmt.Errorf("-output %q: want a name ending in .go, such as %s, or the wrappers are not compiled", output, DefaultOutput)
	case strings.HasSuffix(output, "_test.go"):
		return fmt.Errorf("-output %q: a _test.go file is compiled only in tests; choose a name such as %s", output, DefaultOutput)
	}
	return nil
}

// packagePatterns replaces each Go file among patterns with the
// directory of its package: memogen generates one file for the whole
// package, so `memogen a.go` (//go:generate memogen $GOFILE) generates for
// a.go's package, as `memogen .` in its directory does. go/packages would
// otherwise load the files named as a package of their own
// ("command-line-arguments"), and each file's run would replace the
// package's generated file with one for that file's directives alone.
func packagePatterns(patterns []string) []string {
	var out []string
	for _, p := range patterns {
		if strings.HasSuffix(p, ".go") {
			dir := filepath.Dir(p)
			if !filepath.IsAbs(dir) && dir != "." {
				dir = "." + string(filepath.Separator) + dir
			}
			p = dir
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}
