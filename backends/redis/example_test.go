package redis_test

import (
	"log"

	goredis "github.com/redis/go-redis/v9"

	"github.com/memogen/memogen/backends/redis"
	memo "github.com/memogen/memogen/runtime"
)

// Binding the backend that //memo:cache backend=shared names to Redis, from
// a URL. Setting MEMO_BACKEND_SHARED to the same URL does it without code;
// ParseURL serves code that adjusts the options first. (No output: it
// needs a server.)
func ExampleParseURL() {
	opts, err := redis.ParseURL("redis://localhost:6379/0?prefix=myapp&dial_timeout=1s")
	if err != nil {
		log.Fatal(err)
	}
	opts.ClientOptions.PoolSize = 4
	memo.Register("shared", redis.Must(redis.New(opts)))
}

// Sharing a go-redis client the program already has.
func ExampleNew() {
	client := goredis.NewClient(&goredis.Options{
		Addr:                  "localhost:6379",
		ContextTimeoutEnabled: true, // so that memo.Config.Timeout bounds commands
	})
	store, err := redis.New(redis.Options{Client: client, Prefix: "myapp"})
	if err != nil {
		log.Fatal(err)
	}
	memo.Register("shared", store)
}
