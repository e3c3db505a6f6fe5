// Package testservers gives memogen's own tests the real backends they run
// against: a directory, and the Redis and S3-compatible servers that
// scripts/testservers.sh starts and names in MEMO_REDIS_URL and
// MEMO_S3_URL. Only tests import it.
//
// A test that needs a server the environment lacks is skipped, with a
// message naming the variable, so that `go test ./...` passes on a fresh
// clone; with MEMO_REQUIRE_SERVERS=1, which `make test` and CI set, it
// fails instead, so that they never skip in silence.
package testservers

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	memo "github.com/memogen/memogen/runtime"
	"github.com/memogen/memogen/runtime/store"
)

// RequireVar names the variable that turns a missing server from a skip
// into a failure when it is 1.
const RequireVar = "MEMO_REQUIRE_SERVERS"

// Missing skips t, which needs what the environment lacks (problem says
// what, such as "MEMO_REDIS_URL not set"), or fails it when
// MEMO_REQUIRE_SERVERS is 1.
func Missing(t testing.TB, problem string) {
	t.Helper()
	msg := fmt.Sprintf("%s; run `make test` to start real servers, or scripts/testservers.sh run -- go test %s", problem, testedPackage())
	if os.Getenv(RequireVar) == "1" {
		t.Fatalf("%s (%s=1)", msg, RequireVar)
	} else {
		t.Skip(msg)
	}
}

// RealBackends are the backends that a backend wrapping another is tested
// over: a directory, and the Redis and S3-compatible servers that
// scripts/testservers.sh starts. URL returns the URL of an empty one of t's
// own. Opening these URLs needs the packages backends/file, backends/redis
// and backends/s3, which the test imports for their side effects.
var RealBackends = []struct {
	Name string
	URL  func(t *testing.T) string
}{
	{"File", FileURL},
	{"Redis", RedisURL},
	{"S3", S3URL},
}

// FileURL returns the URL of a file backend in an empty directory of t's
// own.
func FileURL(t *testing.T) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(t.TempDir())}).String()
}

// RedisURL returns the URL of a Redis backend on [RedisServer] under a key
// prefix of t's own, so that tests share the server in parallel. When t
// ends, it clears every function whose entries the backend lists.
func RedisURL(t *testing.T) string {
	t.Helper()
	return prefixed(t, RedisServer(t))
}

// S3URL returns the URL of an S3 backend on [S3Server] under a prefix of
// t's own, so that tests share the bucket in parallel. When t ends, it
// clears every function whose entries the backend lists.
func S3URL(t *testing.T) string {
	t.Helper()
	u := S3Server(t)
	u.Path = "/" + uniqueName(t)
	return clearedAtEnd(t, u.String())
}

// RedisServer returns MEMO_REDIS_URL, the URL of the Redis server that
// scripts/testservers.sh starts, and skips t if it is not set (see
// [Missing]).
func RedisServer(t testing.TB) *url.URL {
	t.Helper()
	return server(t, "MEMO_REDIS_URL")
}

// S3Server returns MEMO_S3_URL, the URL of the bucket on the S3-compatible
// server that scripts/testservers.sh starts, and skips t if it or the AWS
// credentials that the SDK reads are not set (see [Missing]).
func S3Server(t testing.TB) *url.URL {
	t.Helper()
	u := server(t, "MEMO_S3_URL")
	if os.Getenv("AWS_ACCESS_KEY_ID") == "" {
		Missing(t, "AWS_ACCESS_KEY_ID not set")
	}
	return u
}

// server returns the URL in the variable name, and skips t when it is not
// set.
func server(t testing.TB, name string) *url.URL {
	t.Helper()
	raw := os.Getenv(name)
	if raw == "" {
		Missing(t, name+" not set")
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return u
}

// testedPackage returns the package under test as go test takes it from
// its module's root, such as ./backends/redis/; go test runs a package's
// tests in its directory.
func testedPackage() string {
	wd, err := os.Getwd()
	if err != nil {
		return "./..."
	}
	for root := wd; ; root = filepath.Dir(root) {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			rel, err := filepath.Rel(root, wd)
			if err != nil || rel == "." {
				return "./..."
			}
			return "./" + filepath.ToSlash(rel) + "/"
		}
		if filepath.Dir(root) == root {
			return "./..."
		}
	}
}

var unsafeInName = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// uniqueName returns a name for t that no other test or run uses.
func uniqueName(t *testing.T) string {
	return fmt.Sprintf("%s-%08x", unsafeInName.ReplaceAllString(t.Name(), "_"), rand.Uint32())
}

// clearedAtEnd clears, when t ends, every function whose entries the
// backend at raw lists, and returns raw.
func clearedAtEnd(t *testing.T, raw string) string {
	t.Cleanup(func() {
		ctx := context.Background()
		b := Open(t, raw)
		if c, ok := b.(io.Closer); ok {
			defer c.Close()
		}
		funcs := make(map[store.FuncID]bool)
		err := b.(store.Lister).List(ctx, store.FuncID{}, func(e store.StoredEntry) bool {
			funcs[e.Key.Func] = true
			return true
		})
		for fn := range funcs {
			if err == nil {
				err = b.Clear(ctx, fn)
			}
		}
		if err != nil {
			t.Errorf("clearing the test's entries from %s: %v", raw, err)
		}
	})
	return raw
}

// Open opens the backend at raw, whose scheme a backend package imported
// by the test registered, and fails t if it cannot.
func Open(t *testing.T, raw string) store.Backend {
	t.Helper()
	b, err := memo.Open(raw)
	if err != nil {
		t.Fatalf("memo.Open(%q) = %v; want nil", raw, err)
	}
	return b
}

// ClosedAtEnd closes b, if it is an io.Closer, when t ends, reports an
// error from Close, and returns b.
func ClosedAtEnd[B store.Backend](t *testing.T, b B) B {
	t.Cleanup(func() {
		if c, ok := any(b).(io.Closer); ok {
			if err := c.Close(); err != nil {
				t.Errorf("Close = %v; want nil", err)
			}
		}
	})
	return b
}

// ClosedPort returns a loopback TCP port that nothing listens on, for tests
// of a server that is down.
func ClosedPort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}
