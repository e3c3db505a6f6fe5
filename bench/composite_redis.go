package bench

// The composite workload, Search's shape (a string, a struct of a slice, an
// int, a time and a bool, and an int, returning a small struct), cached in
// Redis and in Redis behind an in-process front: the benchmarks in
// composite_redis_test.go compare their hits with go-redis and
// go-redis/cache doing the same.

// SearchRedis is Search cached in Redis.
//
//memo:cache backend=benchredis
func SearchRedis(index string, q Query, page int) Result { return Search(index, q, page) }

// SearchTiered is Search cached in Redis behind an in-process front.
//
//memo:cache backend=benchtiered
func SearchTiered(index string, q Query, page int) Result { return Search(index, q, page) }
