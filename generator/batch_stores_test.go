package generator_test

import (
	"bytes"
	"testing"
)

// TestBatchStoresRedis runs testdata/E2EBatchStores against a real Redis
// server as well as files: every process of the run must ask its batch
// functions for exactly the IDs it asks for with files, which the golden
// output fixes. It sets the environment, so it does not run in parallel.
func TestBatchStoresRedis(t *testing.T) {
	out, want := runWithRedis(t, "E2EBatchStores", "MEMO_BATCH_REDIS")
	fileOut, redisOut, ok := bytes.Cut(bytes.TrimPrefix(out, []byte("== file\n")), []byte("== redis\n"))
	if !ok {
		t.Fatalf("the program printed no redis section:\n%s", out)
	}
	if !bytes.Equal(fileOut, bytes.TrimPrefix(want, []byte("== file\n"))) {
		t.Errorf("the file run differs from the golden output:\n%s", fileOut)
	}
	if !bytes.Equal(fileOut, redisOut) {
		t.Errorf("Redis and files differ:\n--- file\n%s--- redis\n%s", fileOut, redisOut)
	}
}
