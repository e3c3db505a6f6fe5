module github.com/memogen/memogen/generator/analyzer/golangci

go 1.26.0

// For development in this repository; a module that requires this one
// ignores it and uses the memogen version required below.
replace github.com/memogen/memogen => ../../..

require (
	github.com/golangci/plugin-module-register v0.1.2
	github.com/memogen/memogen v0.0.0-00010101000000-000000000000
	golang.org/x/tools v0.52.0
)

require (
	github.com/dave/jennifer v1.7.1 // indirect
	github.com/klauspost/cpuid/v2 v2.4.0 // indirect
	github.com/zeebo/xxh3 v1.1.0 // indirect
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
)
