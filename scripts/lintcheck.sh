#!/usr/bin/env bash
# lintcheck.sh — tries the README's golangci-lint lines end to end: builds
# the custom golangci-lint binary that its .custom-gcl.yml describes, the
# way `golangci-lint custom` does, and runs it with its .golangci.yml on a
# module with a directive mistake and a missing wrapper; memogen's lines in
# the output must be those of memogen -check (the mistake) and memovet (the
# missing wrapper), position and message, followed by "(memogen)".
#
# `golangci-lint custom` clones golangci-lint from GitHub at the configured
# version, writes cmd/golangci-lint/plugins.go with a blank import of each
# plugin, adds each plugin to go.mod (go get module@version, or a replace
# for path:), runs go mod tidy and go build. This script takes the same
# source from the Go module proxy instead of git (the module zip of the
# tag) and follows the same steps; the plugin and memogen are replaced by
# a local checkout (default: this repository), as path: would do.
#
# Building golangci-lint takes minutes; the build is limited to
# LINTCHECK_TIMEOUT seconds (default 900). Not part of make test.
#
# Usage: scripts/lintcheck.sh [checkout]
set -euo pipefail

repo=$(cd "${1:-$(dirname "$0")/..}" && pwd)
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
export GOWORK=off GOFLAGS=-buildvcs=false
plugin=github.com/memogen/memogen/generator/analyzer/golangci

mkdir "$work/app"
python3 - "$repo/README.md" "$work" <<'PY'
import re, sys
readme, work = sys.argv[1], sys.argv[2]
text = open(readme).read()
sec = text[text.index("### In golangci-lint"):]
sec = sec[:sec.index("\n## ", 1)]
for block in re.findall(r"```yaml\n(.*?)```", sec, re.S):
    name = block.splitlines()[0].removeprefix("# ")
    dest = {".custom-gcl.yml": work + "/custom-gcl.yml", ".golangci.yml": work + "/app/.golangci.yml"}[name]
    open(dest, "w").write(block)
PY
echo "== README's .custom-gcl.yml"; cat "$work/custom-gcl.yml"
echo "== README's .golangci.yml"; cat "$work/app/.golangci.yml"
read -r version module import < <(python3 - "$work/custom-gcl.yml" <<'PY'
import sys, yaml
c = yaml.safe_load(open(sys.argv[1]))
p, = c["plugins"]
print(c["version"], p["module"], p.get("import", p["module"]))
PY
)
test "$module" = "$plugin" || { echo "lintcheck.sh: .custom-gcl.yml names module $module; want $plugin" >&2; exit 1; }

echo "== golangci-lint $version from the module proxy (git clone --branch $version)"
src=$(go mod download -json "github.com/golangci/golangci-lint/v2@$version" | python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')
cp -r "$src" "$work/golangci-lint"
chmod -R u+w "$work/golangci-lint"
cd "$work/golangci-lint"
echo "== plugins.go, replace directives (path:), go mod tidy"
printf 'package main\n\nimport (\n\t_ "%s"\n)\n' "$import" > cmd/golangci-lint/plugins.go
# The plugin's own replace of memogen applies only inside its module.
go mod edit -replace="$module=$repo/generator/analyzer/golangci" -replace="github.com/memogen/memogen=$repo"
go mod tidy 2>&1 | grep -v '^go: downloading' || true
echo "== go build (limit ${LINTCHECK_TIMEOUT:-900}s)"
start=$(date +%s)
if ! timeout "${LINTCHECK_TIMEOUT:-900}" go build \
	-ldflags "-s -w -X 'main.version=$version-custom-gcl-lintcheck' -X 'main.date=$(date -u)'" \
	-o "$work/app/custom-gcl" ./cmd/golangci-lint; then
	echo "lintcheck.sh: go build failed or exceeded ${LINTCHECK_TIMEOUT:-900}s after $(($(date +%s) - start))s" >&2
	exit 1
fi
echo "built in $(($(date +%s) - start))s"

echo "== a module with a directive mistake and a missing wrapper"
cd "$work/app"
go mod init example.com/app >/dev/null 2>&1
go mod edit -require=github.com/memogen/memogen@v0.0.0 -replace=github.com/memogen/memogen="$repo"
cp "$repo/go.sum" go.sum
mkdir bad store
printf 'package bad\n\n// Square squares.\n//\n//memo:cache tll=1m\nfunc Square(n int) int { return n * n }\n' > bad/bad.go
printf 'package store\n\n// Get gets.\n//\n//memo:cache\nfunc Get(n int) int { return n }\n' > store/store.go
# The directive mistake as the generator prints it; memogen -check reports
# a missing file without a position, so the missing wrapper as memovet
# (the same analyzer on its own) prints it, at the directive.
go run github.com/memogen/memogen/cmd/memogen -check ./bad 2>>want.txt && { echo "lintcheck.sh: memogen -check ./bad passed" >&2; exit 1; }
go run github.com/memogen/memogen/cmd/memovet ./store 2>>want.txt && { echo "lintcheck.sh: memovet ./store passed" >&2; exit 1; }
echo "-- memogen -check ./bad; memovet ./store"
grep -v '^exit status' want.txt

echo "== ./custom-gcl run ./..."
./custom-gcl version
status=0
./custom-gcl run ./... >got.txt 2>&1 || status=$?
cat got.txt
test "$status" = 1 || { echo "lintcheck.sh: custom-gcl run exited $status; want 1 (issues found)" >&2; exit 1; }
n=0
while IFS= read -r line; do
	case $line in *:*:*:\ memo:*) ;; *) continue ;; esac
	want="${line#"$PWD/"} (memogen)"
	grep -qxF "$want" got.txt || { echo "lintcheck.sh: custom-gcl run did not print: $want" >&2; exit 1; }
	n=$((n + 1))
done <want.txt
test "$n" = 2 || { echo "lintcheck.sh: want.txt has $n diagnostics; want 2" >&2; exit 1; }

echo "== ./custom-gcl run ./... with stale: false"
sed -i 's/stale: true/stale: false/' .golangci.yml
grep -q 'stale: false' .golangci.yml || { echo "lintcheck.sh: no stale: true in the README's .golangci.yml" >&2; exit 1; }
./custom-gcl run ./... >got.txt 2>&1 || true
cat got.txt
test "$(grep -c '(memogen)$' got.txt)" = 1 && grep -q '^bad/bad.go:5:14: ' got.txt ||
	{ echo "lintcheck.sh: with stale: false, want only the directive mistake" >&2; exit 1; }
echo "lintcheck.sh: ok"
