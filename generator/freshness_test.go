package generator_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/memogen/memogen/generator"
	"github.com/memogen/memogen/internal/testservers"

	_ "github.com/memogen/memogen/backends/redis" // the backend testservers.RedisURL clears
)

// TestFreshnessRedis runs testdata/E2EFreshness against a real Redis
// server as well as memory and files: every freshness option must behave
// in Redis exactly as in files. It sets the environment, so it does not run
// in parallel.
func TestFreshnessRedis(t *testing.T) {
	redisURL := testservers.RedisURL(t)
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	results, err := generator.Generate(context.Background(), []string{"./testdata/E2EFreshness"}, generator.Options{Dir: root})
	if err != nil || len(results) != 1 || len(results[0].Errs) > 0 {
		t.Fatalf("Generate = %v, %v", results, err)
	}
	t.Setenv("MEMO_FRESH_REDIS", redisURL)
	out := runProgram(t, root, "E2EFreshness", overlayFiles(t, results[0]))
	_, rest, _ := bytes.Cut(out, []byte("== file\n"))
	fileOut, redisOut, ok := bytes.Cut(rest, []byte("== redis\n"))
	if !ok {
		t.Fatalf("the program printed no redis section:\n%s", out)
	}
	if !bytes.Equal(fileOut, redisOut) {
		t.Errorf("Redis and files differ:\n--- file\n%s--- redis\n%s", fileOut, redisOut)
	}
}
