// Command e2eresultnames memoizes functions whose named results would
// shadow what a wrapper's body refers to: memogen's locals, the function
// itself, a type the wrapper names and predeclared identifiers. Execution
// counters prove which calls ran the function.
package main

import (
	"errors"
	"fmt"
)

var calls = map[string]int{}

// User is a type a result is named after.
type User struct{ ID int }

// Locals names its results after the wrapper's locals.
//
//memo:cache
func Locals(n int) (memoCall int, memoR string, memoErr error) {
	calls["Locals"]++
	return n, fmt.Sprint(n), nil
}

// One names its only result after a generated local.
//
//memo:cache
func One(n int) (memoA int) {
	calls["One"]++
	return n * 2
}

// Self names its result after itself.
//
//memo:cache
func Self(n int) (Self int) {
	calls["Self"]++
	return n + 1
}

// Find names its result after its type.
//
//memo:cache
func Find(id int) (User User, err error) {
	calls["Find"]++
	if id < 0 {
		return User, errors.New("negative id")
	}
	User.ID = id
	return User, nil
}

// Predeclared names its results after predeclared identifiers.
//
//memo:cache
func Predeclared(n int) (string string, error error) {
	calls["Predeclared"]++
	string = fmt.Sprint("n=", n)
	return
}

// Literals names its results after predeclared constants.
//
//memo:cache
func Literals(n int) (nil int, false bool) {
	calls["Literals"]++
	nil, false = n*n, n > 2
	return
}

func main() {
	show := func(what string, got any, fn string) {
		fmt.Printf("%-24s = %-16s calls=%d\n", what, fmt.Sprint(got), calls[fn])
	}
	for range 2 {
		a, b, err := LocalsCached(3)
		show("Locals(3)", fmt.Sprint(a, " ", b, " ", err), "Locals")
		show("One(4)", OneCached(4), "One")
		show("Self(5)", SelfCached(5), "Self")
		u, err := FindCached(6)
		show("Find(6)", fmt.Sprint(u, " ", err), "Find")
		_, err = FindCached(-1)
		show("Find(-1)", err, "Find")
		s, err := PredeclaredCached(7)
		show("Predeclared(7)", fmt.Sprint(s, " ", err), "Predeclared")
		sq, big := LiteralsCached(8)
		show("Literals(8)", fmt.Sprint(sq, " ", big), "Literals")
	}
}
