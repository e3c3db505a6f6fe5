// Package errnearmiss has comments that look like directives but are not,
// which would otherwise be silently ignored, and prose that mentions memo
// and caching, which must not be reported.
package errnearmiss

// Spaced has a space after //.
//
// memo:cache ttl=5m
func Spaced(x int) int { return x }

// Cached has a longer word.
//
//memo:cached
func Cached(x int) int { return x }

// Joined has no space before its options.
//
//memo:cachettl=1m
func Joined(x int) int { return x }

// ColonSpace has a space after the colon.
//
//memo: cache
func ColonSpace(x int) int { return x }

// Glued has no colon.
//
//memocache
func Glued(x int) int { return x }

// SpacedColonSpace has both.
//
// memo: cache ttl=1h
func SpacedColonSpace(x int) int { return x }

// Upper is in upper case.
//
//Memo:Cache
func Upper(x int) int { return x }

// Unquoted has a version with a space and no quotes.
//
//memo:cache version=v 2
func Unquoted(x int) int { return x }

// Prose keeps its memo cache notes to itself: the memo cache is cleared by
// Clear, memoCache holds results, and
// memo cache
// entries are never reported.
func Prose(x int) int { return x }
