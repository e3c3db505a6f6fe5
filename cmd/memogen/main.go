// Memogen generates memoized wrappers for Go functions and methods annotated
// with //memo:cache directives.
//
// Annotate a function in its doc comment and add a go:generate line:
//
//	//go:generate go tool memogen
//
//	// FetchUser loads a user.
//	//
//	//memo:cache ttl=10m ignore=logger nocache=refresh
//	func FetchUser(ctx context.Context, logger *slog.Logger, id int64, refresh bool) (*User, error)
//
// Then go generate writes memo_gen.go next to it, with FetchUserCached (the
// same signature, served from a cache) and FetchUserMemo (a handle to forget,
// look up and clear entries and read counters). Directives belong in
// non-test files: a package is generated without its tests, and a directive
// in a _test.go file is reported as a mistake.
//
// Usage:
//
//	memogen [-output file] [-tags list] [packages]
//	memogen -check [-output file] [-tags list] [packages]
//
// Packages default to ".". With -check, memogen changes nothing and exits
// with status 1 when a generated file is missing, out of date, or left
// over, naming each one, and for a file out of date the functions whose
// fingerprint changed: an edit of their code, or of code or types they
// reach, that regenerating turns into new cache keys. Mistakes in directives are reported as
// file:line:col: memo: message, all of them, with exit status 1.
//
// Install it as a module tool:
//
//	go get -tool github.com/memogen/memogen/cmd/memogen
//
// or run it without installing:
//
//	//go:generate go run github.com/memogen/memogen/cmd/memogen
//
// # Directive options
//
//	ttl=<duration>   entry lifetime (time.ParseDuration); absent or 0: no expiry
//	ignore=a,b       parameters left out of the key (context.Context always is)
//	nocache=<param>  a bool parameter; when true, skip the read, recompute, store
//	backend=<name>   a backend bound at run time; default "default" (in memory)
//	size=<n>         at most n entries for this function in the memory backend
//	version=<s>      a manual cache version; changing it orphans old entries
//	receiver=ignore|fields   for methods without a MemoKey method
//	name=<Ident>     the wrapper's name; default <Func>Cached
//	codec=<name>     the codec for byte-level backends, e.g. json, msgpack+zstd
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
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: memogen [-check] [-output file] [-tags list] [packages]
       memogen cache [-json] ls|stats|prune|clear <backend url> [function]

memogen writes, for every package with //memo:cache directives, a file of
cached wrappers (memo_gen.go unless -output says otherwise), and removes one
it generated earlier when a package no longer has directives. Packages
default to ".". Mistakes are reported as file:line:col: memo: message, all
of them, with exit status 1. "memogen cache -h" explains the cache command.

Directive options, written //memo:cache name=value ... in a function's doc
comment:

  ttl=<duration>   entry lifetime (time.ParseDuration); absent or 0: no expiry
  ignore=a,b       parameters left out of the key (context.Context always is)
  nocache=<param>  a bool parameter; when true, skip the read, recompute, store
  backend=<name>   a backend bound at run time; default "default" (in memory)
  size=<n>         at most n entries for this function in the memory backend
  version=<s>      a manual cache version; changing it orphans old entries
  receiver=ignore|fields   for methods without a MemoKey method
  name=<Ident>     the wrapper's name; default <Func>Cached
  codec=<name>     the codec for byte-level backends, e.g. json, msgpack+zstd

Flags:
`

// run is main without the process: it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "cache" {
		return runCache(ctx, args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("memogen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	check := fs.Bool("check", false, "change nothing; exit 1 naming each generated file that is missing or stale")
	output := fs.String("output", generator.DefaultOutput, "name of the generated file in each package")
	tags := fs.String("tags", "", "comma-separated build tags to load packages with; the generated file requires them too, so give each tag set its own -output")
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
		fmt.Fprint(stderr, "\nSee https://pkg.go.dev/github.com/memogen/memogen/cmd/memogen for the manual.\n")
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	opts := generator.Options{Output: *output}
	if *tags != "" {
		opts.Tags = strings.Split(*tags, ",")
	}
	results, err := generator.Generate(ctx, fs.Args(), opts)
	if err != nil {
		fmt.Fprintf(stderr, "memogen: %v\n", err)
		return 1
	}
	status := 0
	for _, r := range results {
		for _, e := range r.Errs {
			fmt.Fprintln(stderr, e)
			status = 1
		}
	}
	if status != 0 {
		return status
	}
	for _, r := range results {
		if *check {
			stale, err := r.Stale()
			if err != nil {
				fmt.Fprintf(stderr, "memogen: %v\n", err)
				status = 1
			} else if stale {
				fmt.Fprintf(stderr, "memogen: %s %s; run go generate\n", r.OutputPath, staleness(r))
				status = 1
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
		return "is left over: its package has no directives"
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
