# The two commands a fresh machine needs: `make demo` and `make test`.
GO ?= go

.PHONY: test demo demo-file demo-redis demo-s3 generate check-generated vet bench fuzz

# test runs the whole suite with the race detector against real Redis and S3
# servers that scripts/testservers.sh installs or builds, starts on loopback
# and stops; it first fails if any checked-in generated file is stale, and
# follows the README's Quick start in a fresh module (scripts/quickstart.sh).
# MEMO_REQUIRE_SERVERS=1 makes a test that finds no server fail: a plain
# `go test ./...` skips it instead.
test: vet check-generated
	cd bench && $(GO) vet ./...
	scripts/quickstart.sh
	MEMO_REQUIRE_SERVERS=1 scripts/testservers.sh run -- sh -c '$(GO) test -race -count=1 ./... && cd bench && $(GO) test -race -count=1 ./...'
	$(GO) test -count=1 -run 'Alloc' ./runtime
	cd generator/analyzer/golangci && $(GO) vet ./... && $(GO) test -race -count=1 ./...

# vet fails on unformatted code, go vet's findings, and any finding of
# staticcheck (pinned in scripts/staticcheck.sh) in the module, the examples,
# the bench module or the generated code of any golden program.
vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' | grep -v '^testdata/'))" || { gofmt -l $$(git ls-files '*.go' | grep -v '^testdata/'); echo 'gofmt needed'; exit 1; }
	$(GO) vet ./...
	scripts/staticcheck.sh

# check-generated fails when generated code checked in for examples is
# missing or stale; testdata goldens are compared by the generator's tests.
check-generated:
	$(GO) run ./cmd/memogen -check ./examples/...
	cd bench && $(GO) tool memogen -check .

# generate regenerates the examples' code.
generate:
	$(GO) generate ./examples/...
	cd bench && $(GO) generate ./...

# demo regenerates and runs examples/quickstart.
demo:
	$(GO) generate ./examples/quickstart
	$(GO) run ./examples/quickstart

# demo-file memoizes in files you can cat; run it twice to see the second
# run served from disk.
demo-file:
	$(GO) generate ./examples/filecache
	$(GO) run ./examples/filecache
	$(GO) run ./examples/filecache

# demo-redis and demo-s3 start real servers on loopback, run the example
# twice against them (the second process is served by the first's entry),
# and stop them.
demo-redis:
	$(GO) generate ./examples/rediscache
	scripts/testservers.sh run -- sh -c 'export MEMO_BACKEND_SHARED="$$MEMO_REDIS_URL"; $(GO) run ./examples/rediscache && $(GO) run ./examples/rediscache'

demo-s3:
	$(GO) generate ./examples/s3cache
	scripts/testservers.sh run -- sh -c 'export MEMO_BACKEND_BUCKET="$$MEMO_S3_URL"; $(GO) run ./examples/s3cache && $(GO) run ./examples/s3cache'

# bench compares key derivation and warm hits with the alternatives (a
# hand-written memo keyed by the same encoding, one keyed by a typed XXH3
# digest, a sync.Map memo), on every backend against real Redis and S3
# servers, a miss with a 32 MiB argument against the plain call, hit ratios
# and heap per entry against golang-lru and otter; then measures how
# memory hits scale over 1, 2 and 4 cores, redraws docs/hitratio.svg from
# measured hit ratios, and times the generator on a package of 500
# memoized functions (after loading it).
bench:
	scripts/testservers.sh run -- sh -c 'cd bench && $(GO) test -run "^$$" -bench . -benchmem'
	cd bench && $(GO) test -run '^$$' -bench 'BenchmarkHit(XXH3)?$$' -cpu 1,2,4 -count 5
	$(GO) test -run '^$$' -bench TableGetParallel -cpu 1,2,4 -count 5 ./backends/memory
	cd bench && $(GO) run ./cmd/hitratio -svg ../docs/hitratio.svg
	$(GO) test ./generator -run '^$$' -bench Generate500 -benchmem

# fuzz runs each fuzz target for a short while.
fuzz:
	$(GO) test ./generator -run '^$$' -fuzz FuzzParseOptions -fuzztime 30s
	$(GO) test ./runtime -run '^$$' -fuzz FuzzKeyWriter -fuzztime 30s
	$(GO) test ./runtime -run '^$$' -fuzz FuzzDecodeEntry -fuzztime 30s
	$(GO) test ./runtime/store -run '^$$' -fuzz FuzzOpenEntry -fuzztime 30s
	$(GO) test ./runtime -run '^$$' -fuzz FuzzEntryKey -fuzztime 30s
	$(GO) test ./codecs/msgpack -run '^$$' -fuzz FuzzGuard -fuzztime 30s
	$(GO) test ./codecs/msgpack -run '^$$' -fuzz FuzzTimeExt -fuzztime 30s
	$(GO) test ./codecs -run '^$$' -fuzz FuzzMsgpackUnmarshal -fuzztime 30s
	$(GO) test ./codecs -run '^$$' -fuzz FuzzZstdDecompress -fuzztime 30s
	$(GO) test ./codecs -run '^$$' -fuzz FuzzGzipDecompress -fuzztime 30s
