package generator_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/memogen/memogen/generator"
	"github.com/memogen/memogen/internal/testservers"

	_ "github.com/memogen/memogen/backends/redis" // the backend testservers.RedisURL clears
)

// runWithRedis generates testdata/<name> and runs its program with env
// set to the URL of a real Redis server under a prefix of t's own. It
// returns what the program printed and the golden program_out.txt. It sets
// the environment, so its callers do not run in parallel.
func runWithRedis(t *testing.T, name, env string) (out, want []byte) {
	t.Helper()
	redisURL := testservers.RedisURL(t)
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	results, err := generator.Generate(context.Background(), []string{"./testdata/" + name}, generator.Options{Dir: root})
	if err != nil || len(results) != 1 || len(results[0].Errs) > 0 {
		t.Fatalf("Generate = %v, %v", results, err)
	}
	t.Setenv(env, redisURL)
	out = runProgram(t, root, name, overlayFiles(t, results[0]))
	want, err = os.ReadFile(filepath.Join(root, "testdata", name, "want", "program_out.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return out, want
}
