// Package errplacement has directives where none belongs.
package errplacement

// Config is a type, not a function.
//
//memo:cache
type Config struct{ N int }

// Default is a variable.
//
//memo:cache ttl=1m
var Default = Config{}

//memo:cache

// Free follows a directive that is not in its doc comment.
func Free(n int) int { return n }

func body() int {
	//memo:cache
	return 1
}

// Misspelled writes the directive's name wrong.
//
//memo:cahce ttl=1m
func Misspelled(n int) int { return n }

// Other uses a directive memogen does not know.
//
//memo:flush
func Other(n int) int { return n }

// A function named _ cannot be called.
//
//memo:cache
func _(n int) int { return n }
