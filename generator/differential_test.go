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

// TestDifferentialRedis runs testdata/E2EDifferential against a real Redis
// server as well as files: a second process, in another time zone, must
// see in Redis exactly what it sees in files, every hit equal to a direct
// call and every miss a function reported unstorable. It sets the
// environment, so it does not run in parallel.
func TestDifferentialRedis(t *testing.T) {
	redisURL := testservers.RedisURL(t)
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	results, err := generator.Generate(context.Background(), []string{"./testdata/E2EDifferential"}, generator.Options{Dir: root})
	if err != nil || len(results) != 1 || len(results[0].Errs) > 0 {
		t.Fatalf("Generate = %v, %v", results, err)
	}
	t.Setenv("MEMO_DIFF_REDIS", redisURL)
	out := runProgram(t, root, "E2EDifferential", overlayFiles(t, results[0]))
	fileOut, redisOut, ok := bytes.Cut(bytes.TrimPrefix(out, []byte("== file\n")), []byte("== redis\n"))
	if !ok {
		t.Fatalf("the program printed no redis section:\n%s", out)
	}
	if !bytes.Equal(fileOut, redisOut) {
		t.Errorf("Redis and files differ:\n--- file\n%s--- redis\n%s", fileOut, redisOut)
	}
	if !bytes.Contains(redisOut, []byte("wrong values: 0\n")) {
		t.Errorf("the Redis run served wrong values:\n%s", redisOut)
	}
}
