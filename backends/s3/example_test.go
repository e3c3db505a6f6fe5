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

// Open is what binds a backend from the environment: in a program that
// imports this package, setting
//
//	MEMO_BACKEND_SHARED=s3://my-cache/memo?region=eu-west-1&max_attempts=2
//
// needs no code at all. memo.Open does the same from a URL in code.
func ExampleOpen() {
	store, err := memo.Open("s3://my-cache/memo?region=eu-west-1&max_attempts=2")
	if err != nil {
		log.Fatal(err)
	}
	memo.Register("shared", store)
}
