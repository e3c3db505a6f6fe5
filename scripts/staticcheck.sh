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
# STATICCHECK overrides the command, e.g. STATICCHECK=staticcheck for an
# installed binary of the same version.
set -eu

version=v0.8.2
STATICCHECK=${STATICCHECK:-go run honnef.co/go/tools/cmd/staticcheck@$version}

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

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
