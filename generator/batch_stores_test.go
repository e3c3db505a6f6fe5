package generator_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/memogen/memogen/generator"
	"github.com/memogen/memogen/internal/testservers"

	_ "github.com/memogen/memogen/backends/redis" // the backend testservers.RedisURL clears
)

// TestBatchStoresRedis runs testdata/E2EBatchStores against a real Redis
// server as well as files: every process of the run must ask its batch
// functions for exactly the IDs it asks for with files, which the golden
// output fixes. It sets the environment, so it does not run in parallel.
func TestBatchStoresRedis(t *testing.T) {
	redisURL := testservers.RedisURL(t)
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	results, err := generator.Generate(context.Background(), []string{"./testdata/E2EBatchStores"}, generator.Options{Dir: root})
	if err != nil || len(results) != 1 || len(results[0].Errs) > 0 {
		t.Fatalf("Generate = %v, %v", results, err)
	}
	t.Setenv("MEMO_BATCH_REDIS", redisURL)
	out := runProgram(t, root, "E2EBatchStores", overlayFiles(t, results[0]))
	fileOut, redisOut, ok := bytes.Cut(bytes.TrimPrefix(out, []byte("== file\n")), []byte("== redis\n"))
	if !ok {
		t.Fatalf("the program printed no redis section:\n%s", out)
	}
	want, err := os.ReadFile(filepath.Join(root, "testdata", "E2EBatchStores", "want", "program_out.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fileOut, bytes.TrimPrefix(want, []byte("== file\n"))) {
		t.Errorf("the file run differs from the golden output:\n%s", fileOut)
	}
	if !bytes.Equal(fileOut, redisOut) {
		t.Errorf("Redis and files differ:\n--- file\n%s--- redis\n%s", fileOut, redisOut)
	}
}
