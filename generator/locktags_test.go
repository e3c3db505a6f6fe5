package generator_test

import (
	"bytes"
	"testing"
)

// TestLockTagsRedis runs testdata/E2ELockTags against a real Redis server:
// eight processes asking for one missing key run the function once, and
// tags reach the functions of another process, exactly as with files (the
// golden output). It sets the environment, so it does not run in
// parallel.
func TestLockTagsRedis(t *testing.T) {
	out, want := runWithRedis(t, "E2ELockTags", "MEMO_E2E_REDIS")
	if !bytes.Equal(out, want) {
		t.Errorf("against Redis the program printed\n%s\nwant, as with files,\n%s", out, want)
	}
}
