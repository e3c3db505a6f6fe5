// Package erroptions has directives whose option values are wrong.
package erroptions

// Typo misspells ttl.
//
//memo:cache tll=1m
func Typo(n int) int { return n }

// BadTTL has a ttl that is not a duration.
//
//memo:cache ttl=10minutes
func BadTTL(n int) int { return n }

// NegativeTTL has a negative ttl.
//
//memo:cache ttl=-1s
func NegativeTTL(n int) int { return n }

// ZeroSize has a size below one.
//
//memo:cache size=0
func ZeroSize(n int) int { return n }

// WordSize has a size that is not a number.
//
//memo:cache size=ten
func WordSize(n int) int { return n }

// Point is a receiver type.
type Point struct{ X, Y int }

// BadReceiver misspells fields.
//
//memo:cache receiver=feilds
func (p Point) BadReceiver(n int) int { return n }

// Several puts three mistakes on one line, all reported.
//
//memo:cache ttl=forever size=-3 recevier=ignore
func (p Point) Several(n int) int { return n }

// BadVerify spells false another way.
//
//memo:cache verify=no
func BadVerify(n int) int { return n }

// VerifyTypo misspells both the option and its value.
//
//memo:cache verfiy=false verify=flase
func VerifyTypo(n int) int { return n }

// BadSummary spells true another way.
//
//memo:cache summary=yes
func BadSummary(n int) int { return n }
