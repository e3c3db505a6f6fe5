#!/bin/sh
# staticcheck.sh runs staticcheck, pinned, over the module (examples
# included), the bench module and every golden program of testdata together
# with its generated files, and fails on any finding.
#
# A golden case keeps its generated files in want/, apart from the package
# they belong to; the script copies each case's sources and want/memo_gen*.go
# into a temporary directory under testdata (named with a leading _, which
# the go command's ./... and the golden test skip) and checks them there.
#
# staticcheck is installed once for this machine into the gitignored
# .cache/bin/staticcheck-<version>/ (never with `go run`, which would build
# it for the GOOS of a cross-platform check). STATICCHECK overrides the
# command, e.g. STATICCHECK=staticcheck for an installed binary of the same
# version.
set -eu

version=v0.8.2
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ -z "${STATICCHECK:-}" ]; then
	bin="$root/.cache/bin/staticcheck-$version"
	if [ ! -x "$bin/staticcheck" ]; then
		env -u GOOS -u GOARCH -u CGO_ENABLED GOBIN="$bin" \
			go install "honnef.co/go/tools/cmd/staticcheck@$version"
	fi
	STATICCHECK="$bin/staticcheck"
fi

tmp=$(mktemp -d "$root/testdata/_staticcheck.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

dirs=""
for want in testdata/*/want; do
	case=$(dirname "$want")
	ls "$want"/memo_gen*.go >/dev/null 2>&1 || continue # an error case
	dir="$tmp/$(basename "$case")"
	mkdir -p "$dir"
	cp "$case"/*.go "$want"/memo_gen*.go "$dir"/
	dirs="$dirs ./testdata/$(basename "$tmp")/$(basename "$case")"
done

status=0
echo "staticcheck $version: module, examples and golden programs"
# shellcheck disable=SC2086 # dirs is a list of words
$STATICCHECK ./... $dirs || status=1
# A case with a builds.txt is checked under each of its builds too, so that
# the generated files for other platforms, tags and cgo settings are.
for builds in testdata/*/builds.txt; do
	[ -f "$builds" ] || continue
	dir=./testdata/$(basename "$tmp")/$(basename "$(dirname "$builds")")
	while read -r line; do
		env=""
		flags=""
		for word in $line; do
			case $word in
			-*) flags="$flags $word" ;;
			*) env="$env $word" ;;
			esac
		done
		echo "staticcheck $version: $dir with$env$flags"
		# shellcheck disable=SC2086 # env and flags are lists of words
		env $env $STATICCHECK $flags "$dir" || status=1
	done <"$builds"
done
echo "staticcheck $version: bench"
(cd bench && $STATICCHECK ./...) || status=1
exit $status
