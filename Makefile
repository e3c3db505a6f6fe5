# The two commands a fresh machine needs: `make demo` and `make test`.
GO ?= go

.PHONY: test demo generate check-generated vet bench fuzz

# test runs the whole suite with the race detector against real Redis and S3
# servers that scripts/testservers.sh installs or builds, starts on loopback
# and stops; it first fails if any checked-in generated file is stale.
test: vet check-generated
	scripts/testservers.sh run -- $(GO) test -race -count=1 ./...
	cd bench && $(GO) vet ./... && $(GO) test -race -count=1 ./...

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' | grep -v '^testdata/'))" || { gofmt -l $$(git ls-files '*.go' | grep -v '^testdata/'); echo 'gofmt needed'; exit 1; }
	$(GO) vet ./...

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

# bench compares key derivation and warm hits with the alternatives.
bench:
	cd bench && $(GO) test -run '^$$' -bench . -benchmem

# fuzz runs each fuzz target for a short while.
fuzz:
	$(GO) test ./generator -run '^$$' -fuzz FuzzParseOptions -fuzztime 30s
	$(GO) test ./runtime -run '^$$' -fuzz FuzzKeyWriter -fuzztime 30s
