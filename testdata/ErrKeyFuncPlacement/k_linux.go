package errkeyfuncplacement

import (
	"regexp"

	memo "github.com/memogen/memogen/runtime"
)

//memo:key
func keyRegexp(w *memo.KeyWriter, re *regexp.Regexp) { w.Text(re.String()) }

// LinuxMatches is built where keyRegexp is.
//
//memo:cache
func LinuxMatches(re *regexp.Regexp) bool { return re.MatchString("linux") }
