package generator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/memogen/memogen/generator"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/*/want")

// TestGolden runs the generator on every testdata/<Case> package and compares
// the result byte for byte with want/memo_gen.go (and want/memo_gen_*.go for
// directives under build constraints) or want/errors.txt. A case whose
// package is a main package is also compiled with its generated files and
// run; its output must equal want/program_out.txt. A case with a builds.txt
// is also vetted under each of its lines' environment and flags
// (GOOS=windows, CGO_ENABLED=0, -tags=special).
func TestGolden(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Join(root, "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".") {
			continue // the go command ignores these too
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			runCase(t, root, name)
		})
	}
}

func runCase(t *testing.T, root, name string) {
	dir := filepath.Join(root, "testdata", name)
	want := filepath.Join(dir, "want")
	results, err := generator.Generate(context.Background(), []string{"./testdata/" + name}, generator.Options{Dir: root})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	if len(results) != 1 {
		t.Fatalf("Generate returned %d results; want 1", len(results))
	}
	r := results[0]
	if len(r.Warnings) > 0 || exists(filepath.Join(want, "warnings.txt")) {
		compareGolden(t, filepath.Join(want, "warnings.txt"), scrubbed(t, dir, r.Warnings))
	}
	if len(r.Errs) > 0 {
		compareGolden(t, filepath.Join(want, "errors.txt"), scrubbed(t, dir, r.Errs))
		return
	}
	produced := make(map[string]bool)
	for _, f := range r.Files() {
		if f.Content != nil {
			base := filepath.Base(f.OutputPath)
			produced[base] = true
			compareGolden(t, filepath.Join(want, base), f.Content)
		}
	}
	old, _ := filepath.Glob(filepath.Join(want, "memo_gen*.go"))
	for _, path := range old {
		if produced[filepath.Base(path)] {
			continue
		}
		if *update {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
		} else {
			t.Errorf("%s is no longer generated (rerun with -update to remove it)", path)
		}
	}
	overlay := overlayFiles(t, r)
	if _, err := os.Stat(filepath.Join(want, "program_out.txt")); err == nil || *update && isMain(t, dir) {
		out := runProgram(t, root, name, overlay)
		compareGolden(t, filepath.Join(want, "program_out.txt"), out)
	}
	if builds, err := os.ReadFile(filepath.Join(dir, "builds.txt")); err == nil {
		for _, line := range strings.Split(strings.TrimSpace(string(builds)), "\n") {
			vetUnder(t, root, name, overlay, strings.Fields(line))
		}
	}
}

// vetUnder runs go vet on the case with its generated files under the
// environment assignments and flags of words.
func vetUnder(t *testing.T, root, name, overlay string, words []string) {
	t.Helper()
	var env, flags []string
	for _, w := range words {
		if strings.HasPrefix(w, "-") {
			flags = append(flags, w)
		} else {
			env = append(env, w)
		}
	}
	args := append(append([]string{"vet", "-overlay=" + overlay}, flags...), "./testdata/"+name)
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("%s go %s: %v\n%s", strings.Join(env, " "), strings.Join(args, " "), err, out)
	}
}

// scrubbed returns errs one a line, their file names relative to the
// case's directory: Generate writes them relative to the working
// directory, which is the test's package directory.
func scrubbed(t *testing.T, dir string, errs []error) []byte {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(wd, dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range errs {
		msg := strings.ReplaceAll(e.Error(), dir+string(filepath.Separator), "")
		b.WriteString(strings.ReplaceAll(msg, rel+string(filepath.Separator), ""))
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// compareGolden compares got with the file at path, or rewrites the file
// under -update.
func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Fatalf("%s is missing; got:\n%s", path, got)
	}
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (rerun with -update to accept):\n%s", path, unifiedDiff(path, "generated", want, got))
	}
}

// overlayFiles writes the result's generated files to a temporary
// directory and returns the path of an overlay that lays them over the
// package directory.
func overlayFiles(t *testing.T, r generator.Result) string {
	t.Helper()
	tmp := t.TempDir()
	replace := make(map[string]string)
	for _, f := range r.Files() {
		if f.Content == nil {
			continue
		}
		gen := filepath.Join(tmp, filepath.Base(f.OutputPath))
		if err := os.WriteFile(gen, f.Content, 0o644); err != nil {
			t.Fatal(err)
		}
		replace[f.OutputPath] = gen
	}
	overlay, err := json.Marshal(map[string]map[string]string{"Replace": replace})
	if err != nil {
		t.Fatal(err)
	}
	overlayPath := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(overlayPath, overlay, 0o644); err != nil {
		t.Fatal(err)
	}
	return overlayPath
}

// runProgram compiles the case with its generated files laid over the
// package directory, runs it, and returns its output.
func runProgram(t *testing.T, root, name, overlay string) []byte {
	t.Helper()
	cmd := exec.Command("go", "run", "-race", "-overlay="+overlay, "./testdata/"+name)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go run ./testdata/%s: %v\n%s", name, err, stderr.Bytes())
	}
	return out
}

func isMain(t *testing.T, dir string) bool {
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(src, []byte("\npackage main\n")) || bytes.HasPrefix(src, []byte("package main\n")) {
			return true
		}
	}
	return false
}
