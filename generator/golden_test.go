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
// the result byte for byte with want/memo_gen.go or want/errors.txt. A case
// whose package is a main package is also compiled with its generated file
// and run; its output must equal want/program_out.txt.
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
		if !e.IsDir() {
			continue
		}
		name := e.Name()
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
	compareGolden(t, filepath.Join(want, "memo_gen.go"), r.Content)
	if _, err := os.Stat(filepath.Join(want, "program_out.txt")); err == nil || *update && isMain(t, dir) {
		out := runProgram(t, root, name, r)
		compareGolden(t, filepath.Join(want, "program_out.txt"), out)
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

// runProgram compiles the case with its generated file laid over the
// package directory, runs it, and returns its output.
func runProgram(t *testing.T, root, name string, r generator.Result) []byte {
	t.Helper()
	tmp := t.TempDir()
	gen := filepath.Join(tmp, "memo_gen.go")
	if err := os.WriteFile(gen, r.Content, 0o644); err != nil {
		t.Fatal(err)
	}
	overlay, err := json.Marshal(map[string]map[string]string{"Replace": {r.OutputPath: gen}})
	if err != nil {
		t.Fatal(err)
	}
	overlayPath := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(overlayPath, overlay, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "run", "-race", "-overlay="+overlayPath, "./testdata/"+name)
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
