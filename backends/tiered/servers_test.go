package tiered

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	_ "github.com/memogen/memogen/backends/file"
	_ "github.com/memogen/memogen/backends/redis"
	_ "github.com/memogen/memogen/backends/s3"
	memo "github.com/memogen/memogen/runtime"
)

// These helpers give tests real backs: a directory of their own, and the
// Redis and S3-compatible servers that scripts/testservers.sh starts, under
// a prefix of their own so that they run in parallel. They repeat, in
// small, the helpers of the redis and s3 packages' tests.

// realBacks are the kinds of back the Store is tested over; url returns
// the URL of an empty back of t's own.
var realBacks = []struct {
	name string
	url  func(t *testing.T) string
}{
	{"File", fileURL},
	{"Redis", redisURL},
	{"S3", s3URL},
}

// fileURL returns the URL of an empty directory of t's own.
func fileURL(t *testing.T) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(t.TempDir())}).String()
}

// redisURL returns MEMO_REDIS_URL with a key prefix of t's own.
func redisURL(t *testing.T) string {
	t.Helper()
	raw := os.Getenv("MEMO_REDIS_URL")
	if raw == "" {
		t.Fatal("MEMO_REDIS_URL is not set: run through `make test` or scripts/testservers.sh run -- go test ./backends/tiered/")
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("MEMO_REDIS_URL: %v", err)
	}
	q := u.Query()
	q.Set("prefix", "memotest-"+uniqueName(t))
	u.RawQuery = q.Encode()
	return clearedAtEnd(t, u.String())
}

// s3URL returns MEMO_S3_URL with a prefix of t's own.
func s3URL(t *testing.T) string {
	t.Helper()
	raw := os.Getenv("MEMO_S3_URL")
	if raw == "" || os.Getenv("AWS_ACCESS_KEY_ID") == "" {
		t.Fatal("MEMO_S3_URL and AWS credentials are not set: run through `make test` or scripts/testservers.sh run -- go test ./backends/tiered/")
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("MEMO_S3_URL: %v", err)
	}
	u.Path = "/" + uniqueName(t)
	return clearedAtEnd(t, u.String())
}

var unsafeInName = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// uniqueName returns a name for t that no other test or run uses.
func uniqueName(t *testing.T) string {
	return fmt.Sprintf("%s-%08x", unsafeInName.ReplaceAllString(t.Name(), "_"), rand.Uint32())
}

// clearedAtEnd clears, when t ends, every function whose entries the back
// at raw lists, and returns raw.
func clearedAtEnd(t *testing.T, raw string) string {
	t.Cleanup(func() {
		ctx := context.Background()
		b := openURL(t, raw)
		if c, ok := b.(io.Closer); ok {
			defer c.Close()
		}
		funcs := make(map[memo.FuncID]bool)
		err := b.(memo.Lister).List(ctx, memo.FuncID{}, func(e memo.StoredEntry) bool {
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

// openURL opens the backend at raw.
func openURL(t *testing.T, raw string) memo.Backend {
	t.Helper()
	b, err := memo.Open(raw)
	if err != nil {
		t.Fatalf("memo.Open(%q) = %v; want nil", raw, err)
	}
	return b
}
