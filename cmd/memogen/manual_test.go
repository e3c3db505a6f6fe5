package main

import (
	"cmp"
	"flag"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/memogen/memogen/generator"
	"github.com/memogen/memogen/internal/manual"
	memo "github.com/memogen/memogen/runtime"
)

// TestHelpPrintsManual checks that -h prints the manual, and that the
// manual is what go doc prints for the command: one text, doc.go's.
func TestHelpPrintsManual(t *testing.T) {
	t.Parallel()
	status, stdout, stderr := memogen(t, "-h")
	if status != 0 || stdout != manualText() || stderr != "" {
		t.Errorf("memogen -h: status %d, stderr %q, stdout\n%s\nwant 0, nothing, and the manual", status, stderr, stdout)
	}
	out, err := exec.Command("go", "doc", "github.com/memogen/memogen/cmd/memogen").Output()
	if err != nil {
		t.Fatalf("go doc: %v", err)
	}
	if string(out) != manualText() {
		t.Errorf("go doc prints\n%s\nmemogen -h prints\n%s\nwant the same", out, manualText())
	}
}

// manualText returns memogen's manual as -h prints it.
func manualText() string { return manual.Text(docGo) }

// TestUsageIsInManual checks that the usage a mistake prints is the
// manual's.
func TestUsageIsInManual(t *testing.T) {
	t.Parallel()
	for line := range strings.Lines(usage) {
		line = strings.TrimSpace(strings.TrimPrefix(line, "usage:"))
		if strings.HasPrefix(line, "memogen ") && !strings.Contains(manualText(), "    "+line+"\n") {
			t.Errorf("the manual lacks the usage line %q", line)
		}
	}
}

func TestManualDocumentsFlags(t *testing.T) {
	t.Parallel()
	fs, _ := newFlagSet(io.Discard)
	fs.VisitAll(func(f *flag.Flag) {
		if !regexp.MustCompile(`(?m)^\s+-` + f.Name + `\s`).MatchString(manualText()) {
			t.Errorf("the manual does not document the flag -%s", f.Name)
		}
	})
}

func TestManualDocumentsDirectiveOptions(t *testing.T) {
	t.Parallel()
	for _, name := range generator.OptionNames() {
		if !regexp.MustCompile(`(?m)^\s+` + name + `=`).MatchString(manualText()) {
			t.Errorf("the manual's option list lacks %s=", name)
		}
	}
}

// TestManualDocumentsEnvironment checks that every MEMO_ variable that the
// runtime or a backend names appears in the manual.
func TestManualDocumentsEnvironment(t *testing.T) {
	t.Parallel()
	memoVar := regexp.MustCompile(`MEMO_[A-Z0-9_]*`)
	found := map[string]bool{}
	for _, dir := range []string{"../../runtime", "../../backends"} {
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			src, err := os.ReadFile(path)
			for _, v := range memoVar.FindAllString(string(src), -1) {
				found[v] = true
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if !found["MEMO_DISABLE"] || !found["MEMO_BACKEND_"] {
		t.Fatalf("found the variables %v in runtime/ and backends/; want MEMO_DISABLE and MEMO_BACKEND_ among them", slices.Sorted(maps.Keys(found)))
	}
	env := section(t, "Environment")
	for v := range found {
		if !strings.Contains(env, v) {
			t.Errorf("the manual's Environment section does not document %s", v)
		}
	}
}

// exampleURLs hold, for every scheme a backend registers, a URL that its
// backend takes, ready for one more parameter.
var exampleURLs = map[string]string{
	"mem":         "mem://?",
	"file":        "file:///var/cache/memogen-manual?",
	"redis":       "redis://127.0.0.1:1?",
	"rediss":      "rediss://127.0.0.1:1?",
	"s3":          "s3://bucket?",
	"tiered":      "tiered://?back=mem%3A%2F%2F&",
	"writebehind": "writebehind://?back=mem%3A%2F%2F&",
}

// sameBlock maps a scheme that the manual documents with another to that
// other.
var sameBlock = map[string]string{"rediss": "redis"}

// TestManualDocumentsBackends checks that the manual's Backends section
// documents every scheme that a backend registers, and under it every URL
// parameter the backend takes, as the backend's error for an unknown one
// lists them.
func TestManualDocumentsBackends(t *testing.T) {
	t.Parallel()
	schemes := registeredSchemes(t)
	if len(schemes) < 7 {
		t.Fatalf("found the schemes %q in backends/; want at least mem, file, redis, rediss, s3, tiered and writebehind", schemes)
	}
	backends := section(t, "Backends")
	blocks := schemeBlocks(backends, slices.DeleteFunc(slices.Clone(schemes), func(s string) bool { return sameBlock[s] != "" }))
	wantList := regexp.MustCompile(`unknown URL parameter "zzzzzzzzzz" \(want (.*)\)$`)
	for _, scheme := range schemes {
		raw, ok := exampleURLs[scheme]
		if !ok {
			t.Errorf("scheme %s has no example URL in this test; add one", scheme)
			continue
		}
		block := blocks[cmp.Or(sameBlock[scheme], scheme)]
		if block == "" {
			t.Errorf("the manual's Backends section has no block for %s://", scheme)
			continue
		}
		_, err := memo.Open(raw + "zzzzzzzzzz=1")
		m := wantList.FindStringSubmatch(strings.TrimSpace(errText(err)))
		if m == nil {
			t.Errorf("memo.Open(%q) = %v; want an unknown parameter error that lists the known ones", raw+"zzzzzzzzzz=1", err)
			continue
		}
		for _, name := range strings.FieldsFunc(strings.ReplaceAll(m[1], " or ", ", "), func(r rune) bool { return r == ',' || r == ' ' }) {
			if !regexp.MustCompile(`\b` + regexp.QuoteMeta(name) + `\b`).MatchString(block) {
				t.Errorf("the manual does not document parameter %s under %s://", name, scheme)
			}
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// registeredSchemes returns the schemes that the backends in backends/
// register.
func registeredSchemes(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../../backends/*/*.go")
	if err != nil {
		t.Fatal(err)
	}
	register := regexp.MustCompile(`store\.RegisterScheme\("([a-z0-9+.-]+)"`)
	var schemes []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range register.FindAllStringSubmatch(string(src), -1) {
			schemes = append(schemes, m[1])
		}
	}
	slices.Sort(schemes)
	return schemes
}

// section returns the manual's section under heading, up to the next.
func section(t *testing.T, heading string) string {
	t.Helper()
	_, s, ok := strings.Cut(manualText(), "\n# "+heading+"\n")
	if !ok {
		t.Fatalf("the manual has no section %q", heading)
	}
	s, _, _ = strings.Cut(s, "\n# ")
	return s
}

// schemeBlocks splits text at the code lines that start with a scheme's
// URL, and returns the text from each to the next, by scheme.
func schemeBlocks(text string, schemes []string) map[string]string {
	starts := map[int]string{}
	for _, s := range schemes {
		if i := strings.Index(text, "\n    "+s+"://"); i >= 0 {
			starts[i] = s
		}
	}
	at := slices.Sorted(maps.Keys(starts))
	blocks := map[string]string{}
	for k, i := range at {
		end := len(text)
		if k+1 < len(at) {
			end = at[k+1]
		}
		blocks[starts[i]] = text[i:end]
	}
	return blocks
}
