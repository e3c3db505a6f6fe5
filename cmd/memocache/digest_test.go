package main

import "testing"

// TestCacheListWithoutSummary lists entries stored without a summary of
// their arguments, as shared backends keep them by default: the ARGS
// column shows each one's whole key digest instead.
func TestCacheListWithoutSummary(t *testing.T) {
	t.Parallel()
	u, b := fileCache(t)
	bare := ada
	bare.summary = ""
	populate(t, b, bare, pending)

	status, stdout, stderr := cache(t, "ls", u)
	if status != 0 {
		t.Fatalf("ls: status %d, stderr %q; want 0", status, stderr)
	}
	want := `FUNCTION                      DIGEST        SIZE   CREATED  EXPIRES  ARGS
example.com/users.FetchUser   111111111111  100 B  3h ago   never    digest:11111111111111111111111111111111
example.com/users.Store.Load  444444444444  99 B   3h ago   never    key="b"
`
	if stdout != want {
		t.Errorf("ls printed\n%s\nwant\n%s", stdout, want)
	}
}
