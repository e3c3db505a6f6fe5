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

// TestLockTagsRedis runs testdata/E2ELockTags against a real Redis server:
// eight processes asking for one missing key run the function once, and
// tags reach the functions of another process, exactly as with files (the
// golden output). It sets the environment, so it does not run in
// parallel.
func TestLockTagsRedis(t *testing.T) {
	redisURL := testservers.RedisURL(t)
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	results, err := generator.Generate(context.Background(), []string{"./testdata/E2ELockTags"}, generator.Options{Dir: root})
	if err != nil || len(results) != 1 || len(results[0].Errs) > 0 {
		t.Fatalf("Generate = %v, %v", results, err)
	}
	t.Setenv("MEMO_E2E_REDIS", redisURL)
	out := runProgram(t, root, "E2ELockTags", overlayFiles(t, results[0]))
	want, err := os.ReadFile(filepath.Join(root, "testdata", "E2ELockTags", "want", "program_out.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, want) {
		t.Errorf("against Redis the program printed\n%s\nwant, as with files,\n%s", out, want)
	}
}
