// Package directives has one directive of each mistake the analyzer
// reports.
package directives

import "io"

// Typo misspells ttl.
//
// want +2 `^memo: unknown option "tll"; did you mean "ttl"\?$`
//
//memo:cache tll=1m
func Typo(n int) int { return n }

// BadTTL has a ttl that is not a duration.
//
// want +2 `^memo: invalid ttl "10minutes": want a duration`
//
//memo:cache ttl=10minutes
func BadTTL(n int) int { return n }

// Spaced has a version with a space, unquoted.
//
// want +2 `^memo: missing "=" in "2"; to put spaces in a value, quote it: version="v 2"$`
//
//memo:cache version=v 2
func Spaced(n int) int { return n }

// Reader cannot key its parameter.
//
//memo:cache
func Reader(r io.Reader) int { return 0 } // want `^memo: parameter r of type io.Reader cannot be keyed`

// RawInt returns what codec=raw cannot store.
//
// want +2 `^memo: codec=raw stores one result of string or \[\]byte kind as it is; RawInt returns int`
//
//memo:cache codec=raw
func RawInt(n int) int { return n }

// AllIgnored leaves every argument out of the key.
//
// want +2 `^memo: warning: ignore= leaves no argument of AllIgnored in the key`
//
//memo:cache ignore=n
func AllIgnored(n int) int { return n }
