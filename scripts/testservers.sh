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
# Besides the single Redis server, `start` runs two Redis deployments, so that
# the redis backend is tested on the topologies production uses:
#   * a Redis Cluster of three masters (no replicas), MEMO_REDIS_CLUSTER_URL;
#   * a master, one replica and one Sentinel monitoring them as "memo-master"
#     (down-after-milliseconds 500), MEMO_REDIS_SENTINEL_URL.
# They are shared by tests running in parallel and must stay up: a test that
# kills a master starts a Sentinel set of its own.
# All listen on 127.0.0.1 only, on free ports, with fresh data dirs.
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

# free_cluster_port: a free port whose cluster bus port (port + 10000) is free
# too, both below Linux's ephemeral range.
free_cluster_port() {
	local p i
	for i in $(seq 1 200); do
		p=$((20000 + RANDOM % 2700))
		port_in_use "$p" || port_in_use "$((p + 10000))" || {
			echo "$p"
			return
		}
	done
	die "could not find a free port for a cluster node"
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

# start_redis_node NAME PORT ARGS...: run redis-server ARGS (a Sentinel with
# --sentinel among them) as NAME in $RUN_DIR and wait until it answers PING on
# PORT; returns 1 if it lost a port race, and dies on any other failure.
start_redis_node() {
	local name=$1 port=$2 pid rc
	shift 2
	mkdir -p "$RUN_DIR/$name"
	redis-server "$@" </dev/null >"$RUN_DIR/$name.log" 2>&1 &
	pid=$!
	echo "$pid" >"$RUN_DIR/$name.pid"
	rc=0
	wait_ready "$pid" redis_ready "$port" || rc=$?
	case $rc in
	0)
		log "$name pid $pid on 127.0.0.1:$port"
		return 0
		;;
	1) grep -qi "address already in use" "$RUN_DIR/$name.log" && return 1 ;;
	2) kill -9 "$pid" 2>/dev/null || true ;;
	esac
	fail_with_log "$name" "$RUN_DIR/$name.log" "$([ "$rc" = 2 ] && echo "not answering PING after ${START_TIMEOUT}s" || echo "exited")"
}

# start_redis_cluster: three masters, each with a third of the slots.
start_redis_cluster() {
	local i port attempt addr ok deadline
	CLUSTER_ADDRS=()
	for i in 1 2 3; do
		for attempt in 1 2 3; do
			port="$(free_cluster_port)"
			start_redis_node "cluster$i" "$port" --bind 127.0.0.1 --port "$port" \
				--dir "$RUN_DIR/cluster$i" --save "" --appendonly no --daemonize no --protected-mode yes \
				--cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000 && break
		done
		CLUSTER_ADDRS+=("127.0.0.1:$port")
	done
	redis-cli --cluster create "${CLUSTER_ADDRS[@]}" --cluster-replicas 0 --cluster-yes \
		</dev/null >"$RUN_DIR/cluster-create.log" 2>&1 ||
		fail_with_log "redis-cli --cluster create" "$RUN_DIR/cluster-create.log" "failed"
	deadline=$((SECONDS + START_TIMEOUT))
	while [ "$SECONDS" -lt "$deadline" ]; do
		ok=1
		for addr in "${CLUSTER_ADDRS[@]}"; do
			redis-cli -p "${addr##*:}" cluster info 2>/dev/null | grep -q '^cluster_state:ok' || ok=0
		done
		if [ "$ok" = 1 ]; then
			log "Redis Cluster of ${CLUSTER_ADDRS[*]}"
			return
		fi
		sleep 0.2
	done
	die "Redis Cluster of ${CLUSTER_ADDRS[*]} not ok after ${START_TIMEOUT}s"
}

# start_redis_sentinel: a master, its replica, and a Sentinel that monitors
# them as memo-master and fails over after 500ms of silence.
start_redis_sentinel() {
	local port attempt deadline
	for attempt in 1 2 3; do
		SENTINEL_MASTER_PORT="$(free_port)"
		start_redis_node sentinel-master "$SENTINEL_MASTER_PORT" --bind 127.0.0.1 --port "$SENTINEL_MASTER_PORT" \
			--dir "$RUN_DIR/sentinel-master" --save "" --appendonly no --daemonize no --protected-mode yes && break
	done
	for attempt in 1 2 3; do
		port="$(free_port)"
		start_redis_node sentinel-replica "$port" --bind 127.0.0.1 --port "$port" \
			--dir "$RUN_DIR/sentinel-replica" --save "" --appendonly no --daemonize no --protected-mode yes \
			--replicaof 127.0.0.1 "$SENTINEL_MASTER_PORT" && break
	done
	for attempt in 1 2 3; do
		SENTINEL_PORT="$(free_port)"
		mkdir -p "$RUN_DIR/sentinel"
		printf '%s\n' "bind 127.0.0.1" "port $SENTINEL_PORT" "dir $RUN_DIR/sentinel" \
			"sentinel monitor memo-master 127.0.0.1 $SENTINEL_MASTER_PORT 1" \
			"sentinel down-after-milliseconds memo-master 500" \
			"sentinel failover-timeout memo-master 2000" >"$RUN_DIR/sentinel/sentinel.conf"
		start_redis_node sentinel "$SENTINEL_PORT" "$RUN_DIR/sentinel/sentinel.conf" --sentinel && break
	done
	deadline=$((SECONDS + START_TIMEOUT))
	while [ "$SECONDS" -lt "$deadline" ]; do
		if redis-cli -p "$port" info replication 2>/dev/null | grep -q '^master_link_status:up' &&
			redis-cli -p "$SENTINEL_PORT" sentinel replicas memo-master 2>/dev/null | grep -qx "$port"; then
			log "Sentinel on 127.0.0.1:$SENTINEL_PORT: master 127.0.0.1:$SENTINEL_MASTER_PORT, replica 127.0.0.1:$port"
			return
		fi
		sleep 0.2
	done
	die "the Sentinel set is not ready after ${START_TIMEOUT}s; see $RUN_DIR/sentinel.log"
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
export MEMO_REDIS_CLUSTER_URL='redis://$(IFS=,; echo "${CLUSTER_ADDRS[*]}")'
export MEMO_REDIS_SENTINEL_URL='redis://127.0.0.1:$SENTINEL_PORT/0?master_name=memo-master'
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
	if pid_is redis-server "$RUN_DIR/redis.pid" || pid_is redis-server "$RUN_DIR/cluster1.pid" ||
		pid_is versitygw "$RUN_DIR/versitygw.pid"; then
		die "test servers from an earlier start are still running in $RUN_DIR; run '$0 stop' first"
	fi
	stop_dir "$RUN_DIR" # clear stale pid files and data from an unclean exit
	trap 'stop_dir "$RUN_DIR"' EXIT
	start_redis
	start_redis_cluster
	start_redis_sentinel
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
	local node
	stop_pid redis-server "$dir/redis.pid"
	for node in sentinel sentinel-replica sentinel-master cluster1 cluster2 cluster3; do
		stop_pid redis-server "$dir/$node.pid"
		rm -rf "${dir:?}/$node" "$dir/$node.log"
	done
	stop_pid versitygw "$dir/versitygw.pid"
	rm -rf "$dir/redis-data" "$dir/s3-data" "$dir/s3-meta" "$dir/env.sh" "$dir/create-bucket.out" "$dir/cluster-create.log"
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
