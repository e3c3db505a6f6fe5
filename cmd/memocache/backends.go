package main

// memocache opens any backend URL, so it links every backend that ships
// with memogen; each registers its URL scheme in init. This is why it is a
// command apart from the generator, which links none.
import (
	_ "github.com/memogen/memogen/backends/file"
	_ "github.com/memogen/memogen/backends/memory"
	_ "github.com/memogen/memogen/backends/redis"
	_ "github.com/memogen/memogen/backends/s3"
	_ "github.com/memogen/memogen/backends/tiered"
	_ "github.com/memogen/memogen/backends/writebehind"
)
