package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/memogen/memogen/internal/buildinfo"
	"github.com/memogen/memogen/internal/manual"
	memo "github.com/memogen/memogen/runtime"
)

// docGo is doc.go, whose package doc is memocache's manual: embedding it
// makes -h print what go doc prints, from the one text.
//
//go:embed doc.go
var docGo []byte

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// usage is what a mistake in the command line prints; -h prints the
// manual.
const usage = `usage: memocache [-json] ls|stats|prune|clear <backend url> [function]
Run memocache -h for the manual.
`

// verbs are the commands, in the order the usage lists them.
var verbs = []string{"ls", "stats", "prune", "clear"}

// now is the clock that tables show times against; tests fix it.
var now = time.Now

// flags are memocache's flags.
type flags struct {
	json, version *bool
}

// newFlagSet returns memocache's flag set, which reports mistakes to
// stderr.
func newFlagSet(stderr io.Writer) (*flag.FlagSet, flags) {
	fs := flag.NewFlagSet("memocache", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {} // run prints the manual or the usage
	return fs, flags{
		json:    fs.Bool("json", false, "print JSON instead of a table"),
		version: fs.Bool("version", false, "print memocache's version and exit"),
	}
}

// run is main without the process: it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, f := newFlagSet(stderr)
	rest, err := parseAnywhere(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, manual.Text(docGo))
			return 0
		}
		fmt.Fprint(stderr, usage)
		return 2
	}
	if *f.version {
		fmt.Fprintf(stdout, "memocache %s\n", buildinfo.Version())
		return 0
	}
	if len(rest) < 2 || len(rest) > 3 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	verb, rawURL := rest[0], rest[1]
	if !slices.Contains(verbs, verb) {
		fmt.Fprintf(stderr, "memocache: unknown command %q (want ls, stats, prune or clear)\n", verb)
		return 2
	}
	name := ""
	if len(rest) == 3 {
		name = rest[2]
		if verb == "prune" {
			fmt.Fprintln(stderr, "memocache: prune takes no function: it removes the expired entries of every function")
			return 2
		}
		if err := checkFuncName(name); err != nil {
			fmt.Fprintf(stderr, "memocache: %v\n", err)
			return 2
		}
	}
	// Opening a backend connects to nothing, so its errors are mistakes in
	// the URL, or a directory that the URL must say it trusts.
	b, err := memo.Open(rawURL)
	if err != nil {
		fmt.Fprintf(stderr, "memocache: %v\n", err)
		return 2
	}
	if c, ok := b.(io.Closer); ok {
		defer c.Close()
	}
	out := &printer{w: stdout, json: *f.json, now: now()}
	err = missingDirs(rawURL)
	if err == nil {
		switch verb {
		case "ls":
			err = list(ctx, b, name, out)
		case "stats":
			err = stats(ctx, b, name, out)
		case "prune":
			err = prune(ctx, b, out)
		case "clear":
			err = clear(ctx, b, name, out)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "memocache %s: %v\n", verb, err)
		return 1
	}
	return 0
}

// parseAnywhere parses args with fs, taking flags before, between and after
// the other arguments, which it returns in order: memocache ls URL -json is
// memocache -json ls URL. An argument "--" ends the flags.
func parseAnywhere(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		left := fs.Args()
		if len(left) == 0 {
			return rest, nil
		}
		if consumed := len(args) - len(left); consumed > 0 && args[consumed-1] == "--" {
			return append(rest, left...), nil
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
}
