package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/memogen/memogen/internal/buildinfo"
)

// toolPath is the generator's package, as a go.mod tool directive names
// it.
const toolPath = "github.com/memogen/memogen/cmd/memogen"

// memocache is the command that inspects and maintains caches.
const memocache = "github.com/memogen/memogen/cmd/memocache"

// cacheMoved is what memogen cache prints: the command it ran is now
// memocache's, given with the user's arguments.
const cacheMoved = `memogen: the cache command is now a command of its own, memocache, so that
the generator links no backend and adds no AWS or Redis module to your
go.mod; run:
	%s
`

// regenerateCommand returns the command that regenerates what a run of
// memogen with the flag set fs checked: the same flags and packages
// without -check, run as this module runs memogen: by go tool when its
// go.mod declares memogen a tool, else by go run, of the version running
// when it is a release.
func regenerateCommand(fs *flag.FlagSet) string {
	cmd := []string{"go", "run", toolPath}
	if declaresTool() {
		cmd = []string{"go", "tool", "memogen"}
	} else if v := buildinfo.Released(); v != "" {
		cmd[2] += "@" + v
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name != "check" {
			cmd = append(cmd, "-"+f.Name, f.Value.String())
		}
	})
	return shellJoin(append(cmd, fs.Args()...))
}

// declaresTool reports whether the go.mod of the module around the working
// directory has a tool directive for memogen.
func declaresTool() bool {
	dir, err := os.Getwd()
	if err != nil {
		return false
	}
	for {
		path := filepath.Join(dir, "go.mod")
		if data, err := os.ReadFile(path); err == nil {
			f, err := modfile.Parse(path, data, nil)
			if err != nil {
				return false
			}
			for _, t := range f.Tool {
				if t.Path == toolPath {
					return true
				}
			}
			return false
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return false
		}
		dir = parent
	}
}

// shellJoin joins args into a command line that a POSIX shell splits back
// into args, quoting those that need it.
func shellJoin(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = a
		if a == "" || strings.ContainsFunc(a, needsQuote) {
			quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(quoted, " ")
}

func needsQuote(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:@%+=,", r))
}
