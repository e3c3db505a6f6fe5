// Package missing has a directive and no generated file.
package missing

// Double is cached.
//
// want +2 `^memo: memo_gen.go, which declares the wrapper of Double, is missing; run go generate \./\.\.\. \(or go tool memogen \./\.\.\.\)$`
//
//memo:cache
func Double(n int) int { return 2 * n }
