#!/usr/bin/env bash
# testservers.sh — real Redis and S3 servers on loopback for memogen's tests.
#
# The redis and S3 backends are tested against REAL servers (not in-process
# fakes such as miniredis/gofakes3), so that protocol details, TTL semantics,
# object metadata and batch deletes behave exactly as in production:
#   * redis-server from Debian (installed with apt-get when missing);
#   * versitygw (an S3 gateway, Apache-2.0, pure Go) with its "posix" backend,
#     built from source with `go install` at a PINNED version into the
#     gitignored .cache/bin/, and reused as long as it reports that version.
#     Chosen over MinIO (AGPL, far bigger build): Apache-2.0, one `go install`
#     from the Go module proxy, and its posix backend works fine here.
#     Object metadata is kept in user.* xattrs of the data dir (versitygw's
#     default, most tested mode); when the filesystem has no xattrs it falls
#     back to versitygw's --sidecar metadata directory (still full metadata;
#     never --nometa, which would drop x-amz-meta-* headers).
# Both listen on 127.0.0.1 only, on free ports, with fresh data dirs.
#
# Usage:
#   scripts/testservers.sh ensure             install/build the binaries
#   scripts/testservers.sh start              start both, print `export` lines
#                                             (also written to .cache/run/env.sh)
#   scripts/testservers.sh stop               stop them, delete their data
#   scripts/testservers.sh run -- CMD [ARG..] ensure + start + CMD + stop;
#                                             exits with CMD's exit code
# e.g. `eval "$(scripts/testservers.sh start)"` or
#      `scripts/testservers.sh run -- go test -race ./...`
# `run` uses its own run dir (.cache/run/run.XXXXXX), so it never collides
# with a `start`ed instance; all diagnostics go to stderr.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache"
BIN_DIR="$CACHE/bin"
RUN_BASE="$CACHE/run"
RUN_DIR="$RUN_BASE"

# Pinned: latest release on the module proxy that builds with Go 1.26 (2026-11).
VERSITYGW_VERSION="v1.8.0"
VERSITYGW_PKG="github.com/versity/versitygw/cmd/versitygw"
VERSITYGW="$BIN_DIR/versitygw"

S3_BUCKET="memogen-test"
S3_ACCESS_KEY="memogen"
S3_SECRET_KEY="memogen-secret-key"
S3_REGION="us-east-1"
START_TIMEOUT=30 # seconds, per server

log() { printf 'testservers: %s\n' "$*" >&2; }
die() {
	log "ERROR: $*"
	exit 1
}

# ---------------------------------------------------------------- ensure ---

# apt_install PKG...: install Debian packages as root, or via passwordless sudo.
apt_install() {
	local -a sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
			sudo=(sudo -n)
		else
			die "$* not installed and not root (and no passwordless sudo). Install it with: sudo apt-get install -y $*"
		fi
	fi
	command -v apt-get >/dev/null 2>&1 || die "$* not installed and apt-get is unavailable; install $* with your package manager"
	log "installing $* with apt-get"
	{
		"${sudo[@]}" apt-get update -qq &&
			"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
	} </dev/null >&2 || die "apt-get install $* failed. Install it by hand: sudo apt-get install -y $*"
}

ensure_redis() {
	if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then
		return
	fi
	apt_install redis-server
	command -v redis-server >/dev/null 2>&1 || die "redis-server still not on PATH after install"
	# We always start our own instance on a free port; the package's own
	# service (often not even started in containers) must not be what tests
	# use, so stop and disable it. Best effort.
	local -a sudo=()
	[ "$(id -u)" -eq 0 ] || sudo=(sudo -n)
	if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
		"${sudo[@]}" systemctl disable --now redis-server >/dev/null 2>&1 || true
	elif command -v service >/dev/null 2>&1; then
		"${sudo[@]}" service redis-server stop >/dev/null 2>&1 || true
	fi
}

ensure_curl() {
	command -v curl >/dev/null 2>&1 || apt_install curl
}

versitygw_is_pinned() {
	local out
	[ -x "$VERSITYGW" ] || return 1
	# Captured first: `... | grep -q` under pipefail can fail on SIGPIPE.
	out="$("$VERSITYGW" --version 2>/dev/null)" || return 1
	grep -qx "Version *: *$VERSITYGW_VERSION" <<<"$out"
}

ensure_versitygw() {
	versitygw_is_pinned && return
	command -v go >/dev/null 2>&1 || die "go is not on PATH; it is needed to build versitygw"
	log "building versitygw $VERSITYGW_VERSION into $BIN_DIR (takes a few minutes on first run)"
	mkdir -p "$BIN_DIR"
	local start=$SECONDS
	# -X main.Version makes `versitygw --version` report the pin (upstream sets it
	# in its Makefile; plain `go install` would say "git"), which is our stamp.
	# GOFLAGS/GOWORK are neutralised so a caller's -mod=vendor etc. can't interfere.
	(cd "$ROOT" && GOBIN="$BIN_DIR" GOFLAGS= GOWORK=off \
		go install -ldflags "-X main.Version=$VERSITYGW_VERSION -X main.Build=go-install" \
		"$VERSITYGW_PKG@$VERSITYGW_VERSION") >&2 ||
		die "go install $VERSITYGW_PKG@$VERSITYGW_VERSION failed"
	versitygw_is_pinned || die "built $VERSITYGW but it does not report version $VERSITYGW_VERSION"
	log "built versitygw in $((SECONDS - start))s"
}

cmd_ensure() {
	ensure_curl
	ensure_redis
	ensure_versitygw
}

# ----------------------------------------------------------------- start ---

# port_in_use PORT: something accepts connections on 127.0.0.1:PORT.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port: a random free port below Linux's ephemeral range (32768+), so it
# can't clash with outgoing connections' local ports.
free_port() {
	local p i
	for i in $(seq 1 200); do
		p=$((20000 + RANDOM % 12000))
		port_in_use "$p" || {
			echo "$p"
			return
		}
	done
	die "could not find a free port"
}

# pid_is NAME PIDFILE: the pid in PIDFILE is alive and runs program NAME
# (guards against killing an unrelated process that reused the pid).
pid_is() {
	local pid
	[ -f "$2" ] || return 1
	pid="$(cat "$2" 2>/dev/null)" || return 1
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
	local cmdline
	cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
	[[ "$cmdline" == *"$1"* ]]
}

redis_ready() { [ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = "PONG" ]; }
s3_ready() {
	local code
	code="$(curl -s --noproxy '*' -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$1/" 2>/dev/null)" || true
	[ -n "$code" ] && [ "$code" != "000" ]
}

# wait_ready PID CHECK PORT: 0 when CHECK PORT succeeds, 1 if PID died, 2 on timeout.
wait_ready() {
	local pid=$1 check=$2 port=$3 deadline=$((SECONDS + START_TIMEOUT))
	while [ "$SECONDS" -lt "$deadline" ]; do
		"$check" "$port" && return 0
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.2
	done
	return 2
}

fail_with_log() { # NAME LOGFILE MESSAGE
	log "$1 $3; last lines of $2:"
	tail -n 30 "$2" >&2 || true
	die "$1 did not start"
}

start_redis() {
	local data="$RUN_DIR/redis-data" logf="$RUN_DIR/redis.log" attempt port pid rc
	mkdir -p "$data"
	for attempt in 1 2 3; do
		port="$(free_port)"
		REDIS_ARGS=(--bind 127.0.0.1 --port "$port" --dir "$data"
			--save "" --appendonly no --daemonize no --protected-mode yes)
		redis-server "${REDIS_ARGS[@]}" </dev/null >"$logf" 2>&1 &
		pid=$!
		echo "$pid" >"$RUN_DIR/redis.pid"
		rc=0
		wait_ready "$pid" redis_ready "$port" || rc=$?
		case $rc in
		0)
			REDIS_PORT=$port
			log "redis-server pid $pid on 127.0.0.1:$port"
			return
			;;
		1) grep -qi "address already in use" "$logf" && continue ;; # lost a port race: retry
		2) kill -9 "$pid" 2>/dev/null || true ;;
		esac
		fail_with_log redis-server "$logf" "$([ "$rc" = 2 ] && echo "not answering PING after ${START_TIMEOUT}s" || echo "exited")"
	done
	fail_with_log redis-server "$logf" "kept losing port races"
}

start_versitygw() {
	local data="$RUN_DIR/s3-data" logf="$RUN_DIR/versitygw.log" attempt port pid rc
	local -a meta=()
	mkdir -p "$data"
	for attempt in 1 2 3 4; do
		port="$(free_port)"
		VGW_ARGS=(--port "127.0.0.1:$port" --access "$S3_ACCESS_KEY" --secret "$S3_SECRET_KEY"
			--region "$S3_REGION" --quiet posix "${meta[@]}" "$data")
		"$VERSITYGW" "${VGW_ARGS[@]}" </dev/null >"$logf" 2>&1 &
		pid=$!
		echo "$pid" >"$RUN_DIR/versitygw.pid"
		rc=0
		wait_ready "$pid" s3_ready "$port" || rc=$?
		case $rc in
		0)
			S3_PORT=$port
			log "versitygw pid $pid on 127.0.0.1:$port${meta[*]:+ (${meta[*]})}"
			return
			;;
		1)
			if grep -q "xattr check failed" "$logf" && [ ${#meta[@]} -eq 0 ]; then
				log "no user xattrs on $data; falling back to versitygw --sidecar metadata"
				mkdir -p "$RUN_DIR/s3-meta"
				meta=(--sidecar "$RUN_DIR/s3-meta")
				continue
			fi
			grep -qi "address already in use" "$logf" && continue
			;;
		2) kill -9 "$pid" 2>/dev/null || true ;;
		esac
		fail_with_log versitygw "$logf" "$([ "$rc" = 2 ] && echo "not answering HTTP after ${START_TIMEOUT}s" || echo "exited")"
	done
	fail_with_log versitygw "$logf" "failed repeatedly"
}

# s3_curl ARGS...: SigV4-signed curl to the local gateway. curl 7.88 does not
# send x-amz-content-sha256 by itself and versitygw requires it.
s3_curl() {
	curl -s --noproxy '*' --aws-sigv4 "aws:amz:$S3_REGION:s3" \
		--user "$S3_ACCESS_KEY:$S3_SECRET_KEY" \
		-H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@"
}

create_bucket() {
	local url="http://127.0.0.1:$S3_PORT/$S3_BUCKET" code
	# Created through the S3 API (not a bare mkdir) so it gets owner/ACL
	# metadata like any bucket a real deployment would have.
	code="$(s3_curl -o "$RUN_DIR/create-bucket.out" -w '%{http_code}' -X PUT "$url")" || true
	[ "$code" = "200" ] || {
		cat "$RUN_DIR/create-bucket.out" >&2 2>/dev/null || true
		die "creating bucket $S3_BUCKET failed (HTTP $code)"
	}
	code="$(s3_curl -o /dev/null -w '%{http_code}' -I "$url")" || true
	[ "$code" = "200" ] || die "bucket $S3_BUCKET not visible after creation (HEAD: HTTP $code)"
}

write_env() {
	local s3="http://127.0.0.1:$S3_PORT"
	cat >"$RUN_DIR/env.sh.tmp" <<EOF
export MEMO_REDIS_URL='redis://127.0.0.1:$REDIS_PORT/0'
export MEMO_S3_URL='s3://$S3_BUCKET/?endpoint=$s3&region=$S3_REGION&path_style=true'
export MEMO_S3_ENDPOINT='$s3'
export AWS_ACCESS_KEY_ID='$S3_ACCESS_KEY' AWS_SECRET_ACCESS_KEY='$S3_SECRET_KEY' AWS_REGION='$S3_REGION'
export AWS_DEFAULT_REGION='$S3_REGION' AWS_ENDPOINT_URL_S3='$s3' AWS_EC2_METADATA_DISABLED=true
unset AWS_SESSION_TOKEN AWS_PROFILE
EOF
	mv "$RUN_DIR/env.sh.tmp" "$RUN_DIR/env.sh"
}

# start_servers: start both in $RUN_DIR; on any failure stop what was started.
start_servers() {
	mkdir -p "$RUN_DIR"
	if pid_is redis-server "$RUN_DIR/redis.pid" || pid_is versitygw "$RUN_DIR/versitygw.pid"; then
		die "test servers from an earlier start are still running in $RUN_DIR; run '$0 stop' first"
	fi
	stop_dir "$RUN_DIR" # clear stale pid files and data from an unclean exit
	trap 'stop_dir "$RUN_DIR"' EXIT
	start_redis
	start_versitygw
	create_bucket
	write_env
	trap - EXIT
}

cmd_start() {
	cmd_ensure
	start_servers
	cat "$RUN_DIR/env.sh"
}

# ------------------------------------------------------------------ stop ---

# stop_pid NAME PIDFILE: TERM (then KILL after 10s) the process if it is NAME.
stop_pid() {
	local name=$1 pidfile=$2 pid i
	if pid_is "$name" "$pidfile"; then
		pid="$(cat "$pidfile")"
		kill -TERM "$pid" 2>/dev/null || true
		for i in $(seq 1 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
		done
		if kill -0 "$pid" 2>/dev/null; then
			log "$name (pid $pid) ignored SIGTERM; killing"
			kill -KILL "$pid" 2>/dev/null || true
		fi
		# Reap it if it is our own child (`run`), so no zombie lingers.
		wait "$pid" 2>/dev/null || true
	fi
	rm -f "$pidfile"
}

stop_dir() {
	local dir=$1
	[ -d "$dir" ] || return 0
	stop_pid redis-server "$dir/redis.pid"
	stop_pid versitygw "$dir/versitygw.pid"
	rm -rf "$dir/redis-data" "$dir/s3-data" "$dir/s3-meta" "$dir/env.sh" "$dir/create-bucket.out"
}

cmd_stop() {
	stop_dir "$RUN_BASE"
	# Also clean up after `run`s that were killed before their trap ran.
	local d owner
	for d in "$RUN_BASE"/run.*; do
		[ -d "$d" ] || continue
		owner="$(cat "$d/owner.pid" 2>/dev/null || true)"
		if [ -n "$owner" ] && kill -0 "$owner" 2>/dev/null; then
			continue # its `run` is still going
		fi
		stop_dir "$d"
		rm -rf "$d"
	done
}

# ------------------------------------------------------------------- run ---

cmd_run() {
	[ "${1:-}" = "--" ] && shift
	[ $# -gt 0 ] || die "usage: $0 run -- CMD [ARGS...]"
	cmd_ensure
	mkdir -p "$RUN_BASE"
	RUN_DIR="$(mktemp -d "$RUN_BASE/run.XXXXXX")"
	echo "$$" >"$RUN_DIR/owner.pid"
	trap 'run_cleanup $?' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	start_servers
	trap 'run_cleanup $?' EXIT # start_servers reset it
	# shellcheck source=/dev/null
	. "$RUN_DIR/env.sh"
	local rc=0
	"$@" || rc=$?
	exit "$rc"
}

run_cleanup() {
	local rc=$1
	trap - EXIT INT TERM HUP
	stop_dir "$RUN_DIR"
	if [ "$rc" -eq 0 ]; then
		rm -rf "$RUN_DIR"
	else
		log "exit code $rc; server logs kept in $RUN_DIR"
	fi
	exit "$rc"
}

# ------------------------------------------------------------------ main ---

case "${1:-}" in
ensure) cmd_ensure ;;
start) cmd_start ;;
stop) cmd_stop ;;
run)
	shift
	cmd_run "$@"
	;;
*)
	echo "usage: $0 {ensure|start|stop|run -- CMD [ARGS...]}" >&2
	exit 2
	;;
esac
