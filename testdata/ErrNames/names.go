// Package errnames has generated names that clash.
package errnames

import "strings"

// Lookup is taken by a hand-written declaration below.
//
//memo:cache
func Lookup(n int) int { return n }

// LookupCached already exists.
func LookupCached(n int) int { return n }

// First and Second ask for the same wrapper name.
//
//memo:cache name=Cached
func First(n int) int { return n }

// Second clashes with First.
//
//memo:cache name=Cached
func Second(n int) int { return n }

// Twice has two directives.
//
//memo:cache ttl=1m
//memo:cache ttl=2m
func Twice(n int) int { return n }

// Renamed asks for a name that exists.
//
//memo:cache name=Helper
func Renamed(n int) int { return n }

// Helper is hand-written.
func Helper() {}

// T has a method whose wrapper name is a field.
type T struct{ GetCached int }

// Get clashes with the GetCached field.
//
//memo:cache receiver=ignore
func (t T) Get(n int) int { return n }

// Init asks for the name of a package initializer, which cannot be called.
//
//memo:cache name=init
func Init(n int) int { return n }

// Length asks for a predeclared name, which generated code uses.
//
//memo:cache name=len
func Length(n int) int { return n }

// Upper asks for a name the file imports.
//
//memo:cache name=strings
func Upper(s string) string { return strings.ToUpper(s) }

// Start asks for main, which outside package main is an ordinary name.
//
//memo:cache name=main
func Start(n int) int { return n }
