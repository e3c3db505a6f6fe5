// Package errinvalidtypes has type errors in annotated signatures, and a
// parameter whose struct tag reads "invalid type", which is no error.
package errinvalidtypes

// Pair is generic, to carry an undefined type argument.
type Pair[K comparable, V any] struct {
	Key K
	Val V
}

// Tagged's parameter is valid whatever its tag says.
//
//memo:cache
func Tagged(x struct {
	X int `json:"invalid type"`
}) int {
	return x.X
}

// Deep hides an undefined type in a map of slices of functions.
//
//memo:cache
func Deep(m map[string][]func() Undefined) int { return len(m) }

// Arg has an undefined type argument.
//
//memo:cache
func Arg(p Pair[string, *Missing]) int { return 0 }

// Result returns a channel of an undefined type.
//
//memo:cache
func Result(n int) (<-chan Absent, error) { return nil, nil }
