package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestMain lets the test binary run as memovet, so that the tests need
// no separate build: with MEMOVET_AS_TOOL set, it is the command.
func TestMain(m *testing.M) {
	if os.Getenv("MEMOVET_AS_TOOL") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestVettool runs go vet with the test binary as its vet tool over the
// generator's ErrOptions golden case, and checks that it prints the
// generator's errors, want/errors.txt, line for line.
func TestVettool(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "vet", "-vettool="+exe, "./testdata/ErrOptions")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "MEMOVET_AS_TOOL=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("go vet succeeded; want the directives' errors:\n%s", out)
	}
	want, err := os.ReadFile(filepath.Join(root, "testdata", "ErrOptions", "want", "errors.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if got := reported(string(out)); !slices.Equal(got, lines(string(want))) {
		t.Errorf("go vet -vettool=memovet printed:\n%s\nwant the lines of errors.txt:\n%s", out, want)
	}
}

// TestStandalone runs the command on its own over the same case.
func TestStandalone(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "./testdata/ErrOptions")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "MEMOVET_AS_TOOL=1")
	out, _ := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); code != 3 {
		t.Errorf("memovet exited with %d; want 3 (diagnostics reported)\n%s", code, out)
	}
	want, err := os.ReadFile(filepath.Join(root, "testdata", "ErrOptions", "want", "errors.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if got := reported(string(out)); !slices.Equal(got, lines(string(want))) {
		t.Errorf("memovet printed:\n%s\nwant the lines of errors.txt:\n%s", out, want)
	}
}

// reported returns the diagnostics of go vet's or memovet's output, file
// names reduced to their base, in order.
func reported(out string) []string {
	var got []string
	for _, line := range lines(out) {
		file, rest, ok := strings.Cut(line, ".go:")
		if !ok {
			continue // "# package" headers
		}
		got = append(got, filepath.Base(file)+".go:"+rest)
	}
	return got
}

func lines(s string) []string {
	return strings.Split(strings.TrimSpace(s), "\n")
}
