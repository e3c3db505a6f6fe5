package file_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/memogen/memogen/backends/file"
	"github.com/memogen/memogen/runtime/store"
)

// The test binary doubles as the writer process of
// TestMultiProcessWriters: with writerDirEnv set, it writes the shared keys
// into that directory and exits instead of running tests; and of
// TestBoundsUnderLoad, with stressDirEnv set.
const (
	writerDirEnv   = "MEMOGEN_FILE_TEST_WRITER_DIR"
	writerBoundEnv = "MEMOGEN_FILE_TEST_WRITER_MAX_ENTRIES"
	writerRounds   = 60
)

// sharedKeys are the keys every writer process overwrites.
var sharedKeys = []store.Key{key(fnF, 1, "json"), key(fnF, 2, "json"), key(fnMethod, 1, "msgpack+zstd")}

func TestMain(m *testing.M) {
	if dir := os.Getenv(stressDirEnv); dir != "" {
		if err := runStressWriter(dir); err != nil {
			fmt.Fprintln(os.Stderr, "stress writer:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if dir := os.Getenv(writerDirEnv); dir != "" {
		if err := writeShared(dir, os.Getenv(writerBoundEnv)); err != nil {
			fmt.Fprintln(os.Stderr, "writer:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// writeShared overwrites every shared key writerRounds times with entries
// of varied sizes, so that a torn write would show as a short or mixed one.
func writeShared(dir, maxEntries string) error {
	n, err := strconv.Atoi(maxEntries)
	if err != nil {
		return err
	}
	s, err := file.New(file.Options{Dir: dir, MaxEntries: n})
	if err != nil {
		return err
	}
	defer s.Close()
	fill := strconv.Itoa(os.Getpid())
	for i := range writerRounds {
		for j, k := range sharedKeys {
			payload := strings.Repeat(fill, 1+(os.Getpid()+i*7919+j*104729)%(16<<10))
			// Three processes writing into room for two entries contend
			// for it: a Set may give up with ErrFull.
			err := s.Set(context.Background(), k, entry(payload, time.Time{}), time.Time{})
			if err != nil && !errors.Is(err, file.ErrFull) {
				return err
			}
		}
	}
	return nil
}

// TestMultiProcessWriters runs writer processes that overwrite the same
// keys in one directory while this process reads them: every read is a
// whole entry, or none.
func TestMultiProcessWriters(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		maxEntries int
	}{
		{"unbounded", 0},
		{"evicting", 2}, // fewer than the keys: writers evict each other's entries
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			const writers = 3
			done := make(chan error, writers)
			for range writers {
				cmd := exec.Command(os.Args[0], "-test.run=^$")
				cmd.Env = append(os.Environ(), writerDirEnv+"="+dir, writerBoundEnv+"="+strconv.Itoa(tt.maxEntries))
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { cmd.Process.Kill() })
				go func() {
					err := cmd.Wait()
					if err != nil {
						err = fmt.Errorf("writer %d: %v: %s", cmd.Process.Pid, err, stderr.Bytes())
					}
					done <- err
				}()
			}
			s, _ := newStore(t, file.Options{Dir: dir})
			reads := 0
			for running := writers; running > 0; {
				select {
				case err := <-done:
					if err != nil {
						t.Fatal(err)
					}
					running--
				default:
				}
				for _, k := range sharedKeys {
					data, err := s.Get(context.Background(), k)
					if errors.Is(err, store.ErrNotFound) {
						continue
					}
					if err != nil {
						t.Fatalf("Get(%v) = %v", k, err)
					}
					if _, err := store.DecodeEntry(data); err != nil {
						t.Fatalf("Get(%v) returned a torn entry of %d bytes: %v", k, len(data), err)
					}
					reads++
				}
			}
			t.Logf("%d whole reads", reads)
			found := 0
			for _, k := range sharedKeys {
				if data, err := s.Get(context.Background(), k); err == nil {
					wantValid(t, k, data)
					found++
				}
			}
			// Writers evict each other's entries; at least the last
			// write is left.
			if found == 0 || tt.maxEntries == 0 && found != len(sharedKeys) {
				t.Errorf("%d of %d entries left", found, len(sharedKeys))
			}
			if stray := tempFiles(t, dir); len(stray) > 0 {
				t.Errorf("writers left temporary files %q", stray)
			}
		})
	}
}

// runAsNobody runs the tests that pattern selects in a copy of this test
// binary as the unprivileged user nobody, and fails t unless they pass. Tests
// of permissions need it when the suite runs as root, as it does in CI.
func runAsNobody(t *testing.T, pattern string) {
	t.Helper()
	const nobody = 65534
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "memogen-nobody-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "file.test")
	if err := os.WriteFile(exe, bin, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run", pattern, "-test.v", "-test.count=1")
	cmd.Dir = dir
	cmd.Env = []string{"PATH=/usr/bin:/bin", "TMPDIR=" + os.TempDir(), "HOME=" + dir}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s as nobody: %v\n%s", pattern, err, out)
	}
	if !bytes.Contains(out, []byte("--- PASS")) || bytes.Contains(out, []byte("--- SKIP")) {
		t.Fatalf("%s as nobody ran no passing test:\n%s", pattern, out)
	}
}
