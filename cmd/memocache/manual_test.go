package main

import (
	"flag"
	"io"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/memogen/memogen/internal/manual"
)

// TestHelpPrintsManual checks that -h prints the manual, and that the
// manual is what go doc prints for the command: one text, doc.go's.
func TestHelpPrintsManual(t *testing.T) {
	t.Parallel()
	want := manual.Text(docGo)
	for _, args := range [][]string{{"-h"}, {"ls", "-h"}} {
		status, stdout, stderr := cache(t, args...)
		if status != 0 || stdout != want || stderr != "" {
			t.Errorf("memocache %q: status %d, stderr %q, stdout\n%s\nwant 0, nothing, and the manual", args, status, stderr, stdout)
		}
	}
	out, err := exec.Command("go", "doc", "github.com/memogen/memogen/cmd/memocache").Output()
	if err != nil {
		t.Fatalf("go doc: %v", err)
	}
	if string(out) != want {
		t.Errorf("go doc prints\n%s\nmemocache -h prints\n%s\nwant the same", out, want)
	}
}

// TestManualDocumentsUsage checks that the manual holds the usage line a
// mistake prints, describes each command and documents each flag.
func TestManualDocumentsUsage(t *testing.T) {
	t.Parallel()
	text := manual.Text(docGo)
	line := strings.TrimPrefix(strings.SplitN(usage, "\n", 2)[0], "usage: ")
	if !strings.Contains(text, "    "+line+"\n") {
		t.Errorf("the manual lacks the usage line %q", line)
	}
	for _, verb := range verbs {
		if !regexp.MustCompile(`(?m)^\s+` + verb + `\s`).MatchString(text) {
			t.Errorf("the manual does not describe %s", verb)
		}
	}
	fs, _ := newFlagSet(io.Discard)
	fs.VisitAll(func(f *flag.Flag) {
		if !regexp.MustCompile(`(?m)^\s+-` + f.Name + `\s`).MatchString(text) {
			t.Errorf("the manual does not document the flag -%s", f.Name)
		}
	})
}
