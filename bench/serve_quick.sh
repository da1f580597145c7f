#!/bin/bash
# bench/serve_quick.sh -- part 3 of the benchmark alone, repeatable: wrk
# against crier and nginx for /feed.atom 200 (gzip) and 304 (If-None-Match),
# configured as bench/bench.py configures them (crier: the shipped
# conf/crier.conf with an output_dir; nginx: a worker per core, gzip_static, sendfile on that
# output_dir).  Runs are interleaved (crier, nginx, crier, nginx, ...) so
# that other load on the machine hits both alike.
#
#   bench/serve_quick.sh [CRIER_BINARY...]
#
# With several binaries (say a saved baseline and build/crier) each is
# measured in turn against the same nginx: a before/after comparison.
#
# Environment:
#   RUNS=3            rounds
#   WRK_SECONDS=10    duration of each wrk run
#   WRK_ARGS          default "-t2 -c64 -dWRK_SECONDSs", as bench.py
#   N=1000            corpus size (bench/gen_corpus.py --seed 20261202)
#   QUICK_DIR         where the corpus is kept between runs
#                     (default ${TMPDIR:-/tmp}/crier-serve-quick-N)
#   CASES="200 304"   which cases
set -eu

cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
WRK_SECONDS=${WRK_SECONDS:-10}
WRK_ARGS=${WRK_ARGS:-"-t2 -c64 -d${WRK_SECONDS}s"}
N=${N:-1000}
CASES=${CASES:-"200 304"}
DIR=${QUICK_DIR:-${TMPDIR:-/tmp}/crier-serve-quick-$N}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
CPUS=$(nproc)
if [ $# -eq 0 ]; then
	set -- build/crier
fi

for t in wrk curl python3 "$NGINX"; do
	command -v "$t" >/dev/null || { echo "missing: $t" >&2; exit 1; }
done

pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${pids[@]}"; do
		wait "$p" 2>/dev/null || true
	done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Polls until GET /feed.atom answers 200 (a cold start renders first).
wait_ready() {
	local port=$1 pid=$2 i
	for i in $(seq 1 3000); do
		kill -0 "$pid" 2>/dev/null || { echo "process $pid exited" >&2; return 1; }
		if [ "$(curl -s -o /dev/null -w '%{http_code}' \
		    "http://127.0.0.1:$port/feed.atom")" = 200 ]; then
			return 0
		fi
		sleep 0.1
	done
	echo "not ready on port $port" >&2
	return 1
}

# Until crier has logged its start-up done ("serving ..." comes after the
# output folder is written).  One loop answers before that while the
# rebuilding loop writes every file and .gz (about 30 s at N=10000, its
# own connections stalled meanwhile): requests/s measured then are not
# those of serving.
wait_started() {
	local log=$1 pid=$2 i
	for i in $(seq 1 3000); do
		kill -0 "$pid" 2>/dev/null || { echo "process $pid exited" >&2; return 1; }
		grep -q '^crier: info: serving ' "$log" && return 0
		sleep 0.1
	done
	echo "$log: start-up not done" >&2
	return 1
}

etag_of() {
	curl -s -o /dev/null -D - -H 'Accept-Encoding: gzip' \
	    "http://127.0.0.1:$1/feed.atom" | tr -d '\r' |
	    sed -n 's/^[Ee][Tt][Aa][Gg]: //p'
}

mkdir -p "$DIR"
if [ ! -f "$DIR/content.done" ]; then
	rm -rf "$DIR/content"
	echo "generating a corpus of $N posts in $DIR/content" >&2
	python3 bench/gen_corpus.py --seed 20261202 "$DIR/content" "$N" >/dev/null
	touch "$DIR/content.done"
fi
chmod 755 "$DIR"	# nginx workers run as nobody under root

# crier, once per binary.
names=() ports=() spids=()
i=0
for bin in "$@"; do
	port=$(free_port)
	conf="$DIR/crier$i.conf"
	rm -f "$DIR/crier$i-state.json"
	# The shipped configuration, with only where it listens, reads and
	# writes replaced (as bench.py does).
	grep -vE '^[[:space:]]*(listen|content_dir|base_url|state_file|output_dir)[[:space:]]*=' \
		conf/crier.conf >"$conf"
	cat >>"$conf" <<EOF
listen = "127.0.0.1:$port"
content_dir = "$DIR/content"
base_url = "http://127.0.0.1:$port"
state_file = "$DIR/crier$i-state.json"
output_dir = "$DIR/out$i"
EOF
	"$bin" -c "$conf" >"$DIR/crier$i.log" 2>&1 &
	pids+=($!)
	echo "started $bin (pid $!) on port $port" >&2
	wait_ready "$port" $!
	wait_started "$DIR/crier$i.log" $!
	names+=("crier$i")
	ports+=("$port")
	spids+=("$!")
	i=$((i + 1))
done

# nginx on the first crier's output folder.
nd="$DIR/nginx"
mkdir -p "$nd"
nport=$(free_port)
/usr/bin/python3 bench/bench.py --nginx-conf "$nd" "$nport" "$DIR/out0" \
	>"$nd/nginx.conf"
"$NGINX" -p "$nd" -c "$nd/nginx.conf" >"$nd/stdout.log" 2>&1 &
pids+=($!)
echo "started nginx (pid $!) on port $nport" >&2
wait_ready "$nport" $!
names+=(nginx)
ports+=("$nport")
spids+=("${pids[-1]}")

# Both must send the same gzip bytes.
a=$(curl -s -H 'Accept-Encoding: gzip' "http://127.0.0.1:${ports[0]}/feed.atom" | md5sum)
b=$(curl -s -H 'Accept-Encoding: gzip' "http://127.0.0.1:$nport/feed.atom" | md5sum)
[ "$a" = "$b" ] || echo "warning: crier and nginx send different bytes" >&2

etags=()
for p in "${ports[@]}"; do
	etags+=("$(etag_of "$p")")
done

# CPU time (clock ticks) of a server: its threads, or nginx's workers.
cpu_ticks() {	# pid
	local p t=0
	for p in $1 $(pgrep -P "$1" || true); do
		t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat")))
	done
	echo "$t"
}

# Prints "requests/s CPU-microseconds-per-request" of one wrk run.
rps() {	# port case etag pid
	local out extra=() t0 t1
	if [ "$2" = 304 ]; then
		extra=(-H "If-None-Match: $3")
	fi
	t0=$(cpu_ticks "$4")
	out=$(wrk $WRK_ARGS -H 'Accept-Encoding: gzip' "${extra[@]}" \
	    "http://127.0.0.1:$1/feed.atom")
	t1=$(cpu_ticks "$4")
	if grep -q 'Non-2xx or 3xx\|Socket errors' <<<"$out"; then
		grep 'Non-2xx or 3xx\|Socket errors' <<<"$out" | sed 's/^/  /' >&2
	fi
	python3 - "$out" "$((t1 - t0))" "$(getconf CLK_TCK)" <<'PY'
import re, sys
out, ticks, hz = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
n = int(re.search(r"(\d+) requests in", out).group(1))
print("%.0f %.2f" % (rps, ticks / hz * 1e6 / max(n, 1)))
PY
}

# One line per run and case: requests/s of each server, CPU time per
# request (microseconds, the server's own: less noisy than requests/s when
# other work shares the machine), and each crier's ratio to nginx.
declare -A sum cpu
last=$((${#names[@]} - 1))
header() {
	printf '%-5s %-4s' run case
	for n in "${names[@]}"; do printf ' %10s' "$n"; done
	for n in "${names[@]}"; do printf ' %9s' "us:$n"; done
	for n in "${names[@]:0:$last}"; do printf ' %12s' "$n/nginx"; done
	printf '\n'
}
line() {	# label case values... (req/s for each, then us for each)
	local k
	printf '%-5s %-4s' "$1" "$2"
	shift 2
	local v=("$@")
	for k in "${!names[@]}"; do printf ' %10.0f' "${v[$k]}"; done
	for k in "${!names[@]}"; do printf ' %9.2f' "${v[$((k + last + 1))]}"; done
	for k in "${!names[@]}"; do
		[ "$k" = "$last" ] && continue
		printf ' %11.2fx' "$(python3 -c "print(${v[$k]} / ${v[$last]})")"
	done
	printf '\n'
}
header
for r in $(seq 1 "$RUNS"); do
	for c in $CASES; do
		rs=() us=()
		for k in "${!names[@]}"; do
			read -r a b <<<"$(rps "${ports[$k]}" "$c" "${etags[$k]}" "${spids[$k]}")"
			rs+=("$a") us+=("$b")
			sum[$c.$k]=$(python3 -c "print(${sum[$c.$k]:-0} + $a)")
			cpu[$c.$k]=$(python3 -c "print(${cpu[$c.$k]:-0} + $b)")
		done
		line "$r" "$c" "${rs[@]}" "${us[@]}"
	done
done
for c in $CASES; do
	rs=() us=()
	for k in "${!names[@]}"; do
		rs+=("$(python3 -c "print(${sum[$c.$k]} / $RUNS)")")
		us+=("$(python3 -c "print(${cpu[$c.$k]} / $RUNS)")")
	done
	line mean "$c" "${rs[@]}" "${us[@]}"
done
