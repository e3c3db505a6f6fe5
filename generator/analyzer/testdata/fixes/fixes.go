// Package fixes has the mistakes that have suggested fixes.
package fixes

// Typo misspells ttl.
//
// want +2 `unknown option "tll"`
//
//memo:cache tll=1m
func Typo(n int) int { return n }

// Spaced has a version with a space, unquoted.
//
// want +2 `to put spaces in a value, quote it`
//
//memo:cache version=v 2
func Spaced(n int) int { return n }

// Misspelt misspells the directive.
//
// want +2 `unknown directive "memo:cahce"`
//
//memo:cahce ttl=1m
func Misspelt(n int) int { return n }

// Unknown has an option with nothing close to it: no fix.
//
// want +2 `unknown option "expiry"`
//
//memo:cache expiry=1m
func Unknown(n int) int { return n }

func body() {
	// want +1 `"// memo:cache" is not a directive`
	// memo:cache ttl=1m
	_ = 1
}
