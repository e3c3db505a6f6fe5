#!/usr/bin/env bash
# toolcost.sh — what installing memogen as a module tool costs a user.
#
# In a fresh module in a temporary directory, it runs the README's
#
#   go get -tool github.com/memogen/memogen/cmd/memogen
#
# with the memogen module replaced by a local checkout (so that it works
# offline, from the shared module cache), then builds the tool as the first
# `go tool memogen` does, with an empty build cache of its own. It reports:
#
#   requires   require lines the user's go.mod gained, memogen's own excluded
#   aws/redis  AWS, smithy or Redis modules among them (want none)
#   packages   packages linked into the tool, and how many are AWS or Redis
#   cold build seconds to build the tool with an empty GOCACHE (GOMODCACHE
#              stays shared: downloading is not measured), wall clock and
#              CPU (user + system), which varies less on a busy machine
#   over std   the same over a GOCACHE that holds the standard library
#              already, as most users' do: what memogen's own
#              dependencies cost
#   binary     size of the tool's binary
#
# Usage: scripts/toolcost.sh [checkout]   (default: this repository)
#
# To compare with an older commit, export it first:
#   git archive 5592e11 | tar -x -C /tmp/memogen-old && scripts/toolcost.sh /tmp/memogen-old
set -euo pipefail

repo=$(cd "${1:-$(dirname "$0")/..}" && pwd)
tool=github.com/memogen/memogen/cmd/memogen
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
export GOWORK=off GOFLAGS=-mod=mod GOCACHE="$work/gocache"
# Other modules come from the module proxy (or the module cache); go get
# also asks whether cmd/memogen is a module of its own, which with the
# module replaced must end at the proxy's answer, not in a git clone.
export GOPROXY="$(go env GOPROXY | cut -d, -f1)|off"

mkdir "$work/m"
cd "$work/m"
go mod init example.com/m >/dev/null 2>&1
# A replaced module still needs a version to require: v0.0.0 stands for the
# one the user would get from the proxy.
go mod edit -require=github.com/memogen/memogen@v0.0.0 -replace=github.com/memogen/memogen="$repo"
# The sums a user's go command would fetch from the checksum database.
cp "$repo/go.sum" go.sum
go get -tool "$tool" 2>"$work/get.log" || { cat "$work/get.log" >&2; exit 1; }
requires=$(go mod edit -json | awk '/"Require"/,/\]/' | grep -c '"Path"')
requires=$((requires - 1)) # memogen itself
heavy=$(awk '/^require/,/^\)/' go.mod | grep -cE 'aws|smithy|redis' || true)

# timed CMD... runs CMD and prints its wall clock and CPU seconds.
timed() {
	local TIMEFORMAT='%R %U %S'
	{ time "$@" >/dev/null; } 2>&1 | awk '{printf "%.1f s wall, %.1f s CPU", $1, $2 + $3}'
}
cold=$(timed go build -o "$work/memogen" "$tool")
size=$(stat -c %s "$work/memogen")
rm -rf "$GOCACHE"
go build std
overstd=$(timed go build -o "$work/memogen" "$tool")
deps=$(go list -deps "$tool" | grep -c .)
heavydeps=$(go list -deps "$tool" | grep -cE 'aws|smithy|redis' || true)

echo "checkout:   $repo ($(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo exported))"
echo "go:         $(go env GOVERSION), $(nproc) CPUs"
echo "requires:   $requires added to go.mod (go line: $(go mod edit -json | sed -n 's/.*"Go": "\(.*\)".*/\1/p'))"
echo "aws/redis:  $heavy of them AWS, smithy or Redis modules"
echo "packages:   $deps linked, $heavydeps of them AWS, smithy or Redis"
echo "cold build: $cold"
echo "over std:   $overstd"
printf 'binary:     %.1f MB\n' "$(echo "$size / 1000000" | bc -l)"
