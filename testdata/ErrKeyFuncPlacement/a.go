// Package errkeyfuncplacement keys a directive's argument with a key
// function declared in a file that only Linux builds, which a directive in
// an unconstrained file cannot use.
package errkeyfuncplacement

import "regexp"

// Matches is built everywhere.
//
//memo:cache
func Matches(re *regexp.Regexp, s string) bool { return re.MatchString(s) }
