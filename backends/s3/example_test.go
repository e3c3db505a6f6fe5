package s3_test

import (
	"context"
	"log"

	"github.com/memogen/memogen/backends/s3"
	memo "github.com/memogen/memogen/runtime"
)

// A program binds the backend name its directives use, here "shared", to a
// bucket. It needs no server to start: the first call that misses the cache
// talks to S3, and runs uncached if S3 does not answer.
func Example() {
	store, err := s3.New(context.Background(), s3.Options{
		Bucket:      "my-cache",
		Prefix:      "memo",
		Region:      "eu-west-1",
		MaxAttempts: 2,
	})
	if err != nil {
		log.Fatal(err)
	}
	memo.Register("shared", store)
	// Functions marked //memo:cache backend=shared now keep their results
	// in s3://my-cache/memo/, shared by every process that binds it.
}

// A URL is what binds a backend from the environment: in a program that
// imports this package, setting
//
//	MEMO_BACKEND_SHARED=s3://my-cache/memo?region=eu-west-1&max_attempts=2
//
// needs no code at all. ParseURL reads such a URL into Options, for code
// that adjusts them before calling New; Must suits package-level variables.
func ExampleParseURL() {
	opts, err := s3.ParseURL("s3://my-cache/memo?region=eu-west-1&max_attempts=2")
	if err != nil {
		log.Fatal(err)
	}
	store := s3.Must(s3.New(context.Background(), opts))
	memo.Register("shared", store)
}
