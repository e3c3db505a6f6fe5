package tests

// want +2 `^memo: //memo:cache in a _test.go file is not supported`
//
//memo:cache
func helper(n int) int { return n }
