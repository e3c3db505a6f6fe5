#!/usr/bin/env bash
# quickstart.sh — follows the README's Quick start literally, as a new user
# would, in a fresh module in a temporary directory: the program of its Go
# block as main.go, then every command of its shell blocks, in order. Then
# it adds a second annotated package and checks that -check names the
# command that generates it, and that the command does.
#
# The module is replaced by a local checkout (default: this repository),
# so that it works offline, from the module cache; the README's commands
# are run unchanged.
#
# Usage: scripts/quickstart.sh [checkout]
set -euo pipefail

repo=$(cd "${1:-$(dirname "$0")/..}" && pwd)
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
export GOWORK=off GOFLAGS=-buildvcs=false
# See toolcost.sh: go get asks whether cmd/memogen is a module of its own.
export GOPROXY="$(go env GOPROXY | cut -d, -f1)|off"

cd "$work"
go mod init example.com/app >/dev/null 2>&1
go mod edit -require=github.com/memogen/memogen@v0.0.0 -replace=github.com/memogen/memogen="$repo"
cp "$repo/go.sum" go.sum # what the checksum database would give
python3 - "$repo/README.md" <<'PY'
import re, sys
readme = open(sys.argv[1]).read()
quick = readme[readme.index("## Quick start"):]
quick = quick[:quick.index("\n## ", 1)]
blocks = re.findall(r"```(\w*)\n(.*?)```", quick, re.S)
open("main.go", "w").write(next(b for lang, b in blocks if lang == "go"))
open("steps.sh", "w").write("".join(b for lang, b in blocks if lang == "sh"))
PY
echo "== the Quick start's commands"
cat steps.sh
bash -e steps.sh 2>&1 | grep -v '^go: downloading' | tee out.txt
grep -qx '49 <nil>' out.txt || { echo "quickstart.sh: go run . did not print 49 <nil>" >&2; exit 1; }
test "$(grep -c '^computing 7$' out.txt)" = 1 || { echo "quickstart.sh: Square ran more than once" >&2; exit 1; }

echo "== a second annotated package"
mkdir store
printf 'package store\n\n// Get gets.\n//\n//memo:cache\nfunc Get(n int) int { return n }\n' > store/store.go
if go tool memogen -check ./... 2>check.txt; then
	echo "quickstart.sh: -check passed without store's generated file" >&2
	exit 1
fi
cat check.txt
fix=$(sed -n 's/.*; run \(.*\)$/\1/p' check.txt | sort -u)
test "$fix" = "go tool memogen ./..." || { echo "quickstart.sh: -check names \"$fix\"; want go tool memogen ./..." >&2; exit 1; }
$fix
go build ./...
go tool memogen -check ./...
echo "quickstart.sh: ok"
