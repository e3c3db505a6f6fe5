// Package errfreshness misuses the freshness options.
package errfreshness

// NoTTL has nothing to be stale after.
//
//memo:cache stale=30s
func NoTTL(n int) int { return n }

// NoTTLs misuses every option that needs ttl=.
//
//memo:cache stale_if_error=1m early=1 ttl_refresh=true
func NoTTLs(n int) int { return n }

// NoError has no error to cache.
//
//memo:cache errttl=1m
func NoError(n int) int { return n }

// BadValues gets every value wrong.
//
//memo:cache ttl=1m stale=0s stale_if_error=soon early=-1 errttl=-5s ttl_refresh=yes
func BadValues(n int) (int, error) { return n, nil }

// Typos misspells two options.
//
//memo:cache ttl=1m stail=30s ttlrefresh=true
func Typos(n int) int { return n }

// NoErrTTL picks errors to cache without caching any.
//
//memo:cache errttl_if=keep
func NoErrTTL(n int) (int, error) { return n, nil }

// WrongPredicate names a function of the wrong type.
//
//memo:cache errttl=1m errttl_if=keep
func WrongPredicate(n int) (int, error) { return n, nil }

// Missing names no function.
//
//memo:cache errttl=1m errttl_if=missing
func Missing(n int) (int, error) { return n, nil }

func keep(err error) string { return err.Error() }

// NoErrorStale has no error to serve a stale result on.
//
//memo:cache ttl=1m stale_if_error=1m
func NoErrorStale(n int) int { return n }
