package redis_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/memogen/memogen/internal/testservers"
	memo "github.com/memogen/memogen/runtime"
)

// childEnv marks the process TestOutageLeavesStderrClean starts.
const childEnv = "MEMO_REDIS_TEST_OUTAGE_CHILD"

// An outage fills no stderr: go-redis's lines about it go to the
// configured logger. The test runs the outage in a process of its own,
// whose stderr it reads whole.
func TestOutageLeavesStderrClean(t *testing.T) {
	if os.Getenv(childEnv) == "1" {
		outage(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestOutageLeavesStderrClean$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("the outage process failed: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	if stderr.Len() != 0 {
		t.Errorf("an outage wrote %d bytes to stderr; want none:\n%s", stderr.Len(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "failed to dial") || !strings.Contains(stdout.String(), "from=go-redis") {
		t.Errorf("the logger received no go-redis line about the outage; stdout:\n%s", stdout.String())
	}
}

// outage calls a wrapper bound to a Redis that is down, with a debug
// logger on stdout.
func outage(t *testing.T) {
	configure(t, memo.Config{
		Cooldown: -1, // every call dials again
		Logger:   slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	s := openURL(t, fmt.Sprintf("redis://127.0.0.1:%d/0?dial_timeout=100ms", testservers.ClosedPort(t)))
	w := newWrapper(t, s)
	for n := range int64(3) {
		w.mustCall(t, n)
	}
}
