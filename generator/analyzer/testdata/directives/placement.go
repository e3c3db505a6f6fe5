package directives

// T is a type.
//
// want +2 `^memo: //memo:cache annotates functions and methods, not type declarations$`
//
//memo:cache
type T int

// want +2 `^memo: unknown directive "memo:cahce"; did you mean "memo:cache"\?$`
//
//memo:cahce
func Misspelt(n int) int { return n }

// want +1 `^memo: "// memo:cache" is not a directive, so it would be ignored: a directive has no space after "//"; did you mean //memo:cache\?$`
// memo:cache ttl=1m
func Spaced2(n int) int { return n }

func inside() {
	// want +1 `^memo: //memo:cache must be in the doc comment of a function or method$`
	//memo:cache
	_ = 1
	// want +1 `^memo: "//memo: cache" is not a directive, so it would be ignored: no space may follow "//memo:"`
	//memo: cache
	_ = 2
}
