package testservers

import (
	"fmt"
	"testing"
)

// fakeT records what a test helper asks of its test, without ending the
// test that runs it.
type fakeT struct {
	testing.TB
	skipped, failed string
}

func (f *fakeT) Helper()                           {}
func (f *fakeT) Skip(args ...any)                  { f.skipped = fmt.Sprint(args...) }
func (f *fakeT) Fatalf(format string, args ...any) { f.failed = fmt.Sprintf(format, args...) }

func TestMissingServer(t *testing.T) {
	const advice = "; run `make test` to start real servers, or scripts/testservers.sh run -- go test ./internal/testservers/"
	tests := []struct {
		require     string
		wantSkipped string
		wantFailed  string
	}{
		{"", "MEMO_REDIS_URL not set" + advice, ""},
		{"0", "MEMO_REDIS_URL not set" + advice, ""},
		{"1", "", "MEMO_REDIS_URL not set" + advice + " (MEMO_REQUIRE_SERVERS=1)"},
	}
	for _, tt := range tests {
		t.Setenv(RequireVar, tt.require)
		t.Setenv("MEMO_REDIS_URL", "")
		f := &fakeT{TB: t}
		RedisServer(f)
		if f.skipped != tt.wantSkipped || f.failed != tt.wantFailed {
			t.Errorf("%s=%q: RedisServer without a server skipped with %q and failed with %q; want %q and %q",
				RequireVar, tt.require, f.skipped, f.failed, tt.wantSkipped, tt.wantFailed)
		}
	}
}

func TestS3NeedsCredentials(t *testing.T) {
	t.Setenv(RequireVar, "")
	t.Setenv("MEMO_S3_URL", "s3://bucket/?region=us-east-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	f := &fakeT{TB: t}
	if u := S3Server(f); u.Host != "bucket" {
		t.Errorf("S3Server = %v; want the URL of MEMO_S3_URL", u)
	}
	want := "AWS_ACCESS_KEY_ID not set; run `make test` to start real servers, or scripts/testservers.sh run -- go test ./internal/testservers/"
	if f.skipped != want {
		t.Errorf("S3Server without credentials skipped with %q; want %q", f.skipped, want)
	}
}

func TestServerFound(t *testing.T) {
	t.Setenv(RequireVar, "1")
	t.Setenv("MEMO_REDIS_URL", "redis://127.0.0.1:6379/0")
	f := &fakeT{TB: t}
	if u := RedisServer(f); u.String() != "redis://127.0.0.1:6379/0" || f.skipped != "" || f.failed != "" {
		t.Errorf("RedisServer = %v, skipped %q, failed %q; want MEMO_REDIS_URL's URL", u, f.skipped, f.failed)
	}
}
