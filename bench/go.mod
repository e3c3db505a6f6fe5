module github.com/memogen/memogen/bench

go 1.26.0

replace github.com/memogen/memogen => ../

tool github.com/memogen/memogen/cmd/memogen

require (
	github.com/memogen/memogen v0.0.0-00010101000000-000000000000
	github.com/mitchellh/hashstructure/v2 v2.0.2
)

require (
	github.com/dave/jennifer v1.7.1 // indirect
	github.com/klauspost/cpuid/v2 v2.4.0 // indirect
	github.com/vmihailenco/msgpack/v5 v5.4.1 // indirect
	github.com/vmihailenco/tagparser/v2 v2.0.0 // indirect
	github.com/zeebo/xxh3 v1.1.0 // indirect
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/tools v0.52.0 // indirect
)
