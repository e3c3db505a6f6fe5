// Package errkeyfuncs declares key functions wrongly.
package errkeyfuncs

import (
	"regexp"

	memo "github.com/memogen/memogen/runtime"
)

// keyRegexp is fine.
//
//memo:key
func keyRegexp(w *memo.KeyWriter, re *regexp.Regexp) { w.Text(re.String()) }

// keyRegexpAgain keys the same type again.
//
//memo:key
func keyRegexpAgain(w *memo.KeyWriter, re *regexp.Regexp) { w.Text(re.String()) }

// keyWrong has a result.
//
//memo:key
func keyWrong(w *memo.KeyWriter, s string) error { return nil }

// keyNoWriter does not take the writer.
//
//memo:key
func keyNoWriter(s string) {}

// T is a type.
type T struct{}

// keyMethod is a method.
//
//memo:key
func (T) keyMethod(w *memo.KeyWriter, s string) {}

//memo:key ttl=1m
func keyOptions(w *memo.KeyWriter, s []int) {}

// Match is fine.
//
//memo:cache
func Match(re *regexp.Regexp, s string) bool { return re.MatchString(s) }
