// Memovet reports mistakes in //memo:cache directives, with the memogen
// generator's messages and positions: unknown or malformed options,
// parameters that cannot be keyed, results the codec cannot store,
// misplaced directives and near-miss spellings of //memo:cache.
//
// Run it on its own:
//
//	memovet ./...
//
// or under go vet, with go vet's other checks off or on:
//
//	go vet -vettool=$(which memovet) ./...
//
// With -fix it applies the fixes that cannot change what the program
// means: the spelling of an option's name, quoting a value with spaces,
// the spelling of //memo:cache.
package main

import (
	"golang.org/x/tools/go/analysis/singlechecker"

	"github.com/memogen/memogen/generator/analyzer"
)

func main() { singlechecker.Main(analyzer.Analyzer) }
