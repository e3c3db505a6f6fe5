package main

// The manual documents every backend's URL, and its tests open each: they
// link every backend, which the command itself does not.
import (
	_ "github.com/memogen/memogen/backends/file"
	_ "github.com/memogen/memogen/backends/memory"
	_ "github.com/memogen/memogen/backends/redis"
	_ "github.com/memogen/memogen/backends/s3"
	_ "github.com/memogen/memogen/backends/tiered"
	_ "github.com/memogen/memogen/backends/writebehind"
)
