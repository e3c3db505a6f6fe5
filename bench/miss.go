package bench

// The same function memoized with and without store-time verification, on
// a byte store in memory (the cost of verifying itself, nothing else) and
// on files (the cost against a real write); the miss benchmarks bind the
// names.

// MissBytes is LoadProfile cached in an in-memory byte store, each result
// decoded and compared before it is stored.
//
//memo:cache backend=benchmissbytes
func MissBytes(id int64) Profile { return LoadProfile(id) }

// MissBytesUnverified is MissBytes without verification.
//
//memo:cache backend=benchmissbytes verify=false
func MissBytesUnverified(id int64) Profile { return LoadProfile(id) }

// MissFile is LoadProfile cached in files, verified.
//
//memo:cache backend=benchmissfile
func MissFile(id int64) Profile { return LoadProfile(id) }

// MissFileUnverified is MissFile without verification.
//
//memo:cache backend=benchmissfile verify=false
func MissFileUnverified(id int64) Profile { return LoadProfile(id) }

// MissMemory is LoadProfile cached in a memory store bounded by bytes: a
// miss there keeps the result as it is, after estimating its size.
//
//memo:cache backend=benchmissmem
func MissMemory(id int64) Profile { return LoadProfile(id) }
