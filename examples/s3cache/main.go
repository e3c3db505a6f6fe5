// Command s3cache memoizes a function in an S3 bucket, shared across
// machines. The backend is bound from the environment:
//
//	MEMO_BACKEND_BUCKET='s3://bucket/prefix?region=eu-west-1' go run ./examples/s3cache
//
// make demo-s3 starts an S3-compatible server on loopback and runs it twice.
package main

//go:generate go run github.com/memogen/memogen/cmd/memogen

import (
	"context"
	"fmt"
	"os"
	"strings"

	_ "github.com/memogen/memogen/backends/s3"
	memo "github.com/memogen/memogen/runtime"
)

// Thumbnail pretends to render an image; the bytes are stored as they are.
//
//memo:cache backend=bucket codec=raw+zstd
func Thumbnail(ctx context.Context, image string, width int) ([]byte, error) {
	fmt.Printf("  (rendering %s at %dpx)\n", image, width)
	return []byte(strings.Repeat("#", width)), nil
}

func main() {
	// Close drains and closes the bound backends when main returns; a crash
	// or os.Exit skips it.
	defer memo.Close(context.Background())
	if err := memo.CheckBackends(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ctx := context.Background()
	for range 2 {
		b, err := ThumbnailCached(ctx, "cat.png", 32)
		fmt.Printf("thumbnail: %d bytes, err: %v\n", len(b), err)
	}
	st := ThumbnailMemo().Stats()
	fmt.Printf("this process: %d hits, %d misses\n", st.Hits, st.Misses)
}
