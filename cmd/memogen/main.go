package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/memogen/memogen/generator"
	"github.com/memogen/memogen/internal/buildinfo"
	"github.com/memogen/memogen/internal/manual"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// usage is what a mistake in the command line prints; -h prints the
// manual.
const usage = `usage: memogen [-check] [-version] [-output file] [-tags list] [packages]
Run memogen -h for the manual.
`

// genFlags are the flags of the generating command.
type genFlags struct {
	check, version *bool
	output, tags   *string
}

// newFlagSet returns the flag set of the generating command, which reports
// mistakes to stderr.
func newFlagSet(stderr io.Writer) (*flag.FlagSet, genFlags) {
	fs := flag.NewFlagSet("memogen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {} // run prints the manual or the usage
	return fs, genFlags{
		check:   fs.Bool("check", false, "change nothing; exit 1 naming each generated file that is missing or stale"),
		output:  fs.String("output", generator.DefaultOutput, "name of the generated file in each package"),
		tags:    fs.String("tags", "", "comma-separated build tags to load packages with"),
		version: fs.Bool("version", false, "print memogen's version and exit"),
	}
}

// run is main without the process: it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "cache" {
		fmt.Fprintf(stderr, cacheMoved, shellJoin(append([]string{"go", "run", memocache + "@latest"}, args[1:]...)))
		return 2
	}
	fs, flags := newFlagSet(stderr)
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			fmt.Fprint(stdout, manual.Text(docGo))
			return 0
		}
		fmt.Fprint(stderr, usage)
		return 2
	}
	if *flags.version {
		fmt.Fprintf(stdout, "memogen %s\n", buildinfo.Version())
		return 0
	}
	opts := generator.Options{Output: *flags.output}
	if *flags.tags != "" {
		opts.Tags = strings.Split(*flags.tags, ",")
	}
	results, err := generator.Generate(ctx, fs.Args(), opts)
	if err != nil {
		fmt.Fprintf(stderr, "memogen: %v\n", err)
		return 1
	}
	status := 0
	fix := regenerateCommand(fs)
	for _, r := range results {
		for _, w := range r.Warnings {
			fmt.Fprintln(stderr, w)
		}
		for _, e := range r.Errs {
			fmt.Fprintln(stderr, e)
			status = 1
		}
	}
	if status != 0 {
		return status
	}
	for _, r := range results {
		if *flags.check {
			for _, f := range r.Files() {
				stale, err := f.Stale()
				if err != nil {
					fmt.Fprintf(stderr, "memogen: %v\n", err)
					status = 1
				} else if stale {
					fmt.Fprintf(stderr, "memogen: %s %s; run %s\n", f.OutputPath, staleness(f), fix)
					status = 1
				}
			}
			continue
		}
		if err := r.Commit(); err != nil {
			fmt.Fprintf(stderr, "memogen: %v\n", err)
			status = 1
		}
	}
	return status
}

// maxNamed is how many functions -check names when more changed.
const maxNamed = 10

// staleness says how a stale result's file differs from what memogen would
// write.
func staleness(r generator.Result) string {
	switch _, err := os.Stat(r.OutputPath); {
	case r.Content == nil:
		return "is left over: memogen generated it, for directives that are gone or under another -output, and no directive needs it now"
	case errors.Is(err, fs.ErrNotExist):
		return "is missing"
	}
	changed, err := r.ChangedFunctions()
	switch {
	case err != nil || len(changed) == 0:
		return "is out of date"
	case len(changed) == 1:
		return "is out of date: the fingerprint of " + changed[0] + " changed (its code or code and types it depends on)"
	case len(changed) > maxNamed:
		changed = append(changed[:maxNamed], fmt.Sprintf("and %d more", len(changed)-maxNamed))
	}
	return "is out of date: the fingerprints of " + strings.Join(changed, ", ") + " changed (their code or code and types they depend on)"
}
