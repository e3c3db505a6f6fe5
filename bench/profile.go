package bench

// Profile is a typical cached result: a record of a few fields, about a
// hundred bytes once encoded.
type Profile struct {
	ID     int64
	Name   string
	Email  string
	Tags   []string
	Score  float64
	Active bool
}

// LoadProfile stands for a database read worth caching.
func LoadProfile(id int64) Profile {
	return Profile{
		ID:     id,
		Name:   "Ada Lovelace",
		Email:  "ada@example.com",
		Tags:   []string{"math", "engines", "poetry"},
		Score:  98.5,
		Active: true,
	}
}

// The same function memoized on each byte-level backend; the benchmarks
// bind the names to a temporary directory and to the Redis and S3 servers
// that scripts/testservers.sh starts.

// ProfileFromFile is LoadProfile cached in files.
//
//memo:cache backend=benchfile
func ProfileFromFile(id int64) Profile { return LoadProfile(id) }

// ProfileFromRedis is LoadProfile cached in Redis.
//
//memo:cache backend=benchredis
func ProfileFromRedis(id int64) Profile { return LoadProfile(id) }

// ProfileFromS3 is LoadProfile cached in S3.
//
//memo:cache backend=benchs3
func ProfileFromS3(id int64) Profile { return LoadProfile(id) }

// ProfileFromTiered is LoadProfile cached in Redis behind an in-process
// LRU, memogen's counterpart of go-redis/cache with a local cache.
//
//memo:cache backend=benchtiered
func ProfileFromTiered(id int64) Profile { return LoadProfile(id) }
