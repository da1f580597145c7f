#!/bin/bash
# bench/run.sh -- `make bench`: crier against nginx and Hugo.
#
# Installs nginx, wrk, hugo and curl when missing (with apt-get, as root),
# then runs bench/bench.py on a temporary folder, which prints a Markdown
# table and writes it to bench/results.md.  Builds nothing: the binary is
# build/crier (or $CRIER).  Everything listens on 127.0.0.1 only, on free
# ports.  On exit, every process the benchmark started is stopped by its
# pid and the temporary folder removed.  crier runs with the shipped
# conf/crier.conf (bench.py replaces only where it listens and what it
# reads and writes).
#
# Environment:
#   BENCH_SIZES="1000 10000"  corpus sizes
#   BENCH_EDITS=200           edits per size for change -> served
#   BENCH_EDIT_SECONDS=75     ... and at most this long per size
#   BENCH_WRK_SECONDS=10      duration of each wrk run
#   BENCH_TIMEOUT=570         hard limit for the whole measurement (s)
#   BENCH_RESULTS=bench/results.md  where the table is written
#   BENCH_COLD_RUNS=3         cold starts per server (the median reported)
# `make bench-100k` is BENCH_SIZES=100000 with one cold start each, a
# longer limit and its own table (bench/results-100k.md): 100 000 posts
# take Hugo and crier minutes to build, more than `make bench`'s limit.
set -eu

cd "$(dirname "$0")/.."
export CRIER="${CRIER:-$PWD/build/crier}"

if [ ! -x "$CRIER" ]; then
	echo "bench: $CRIER is missing: run 'make' first" >&2
	exit 1
fi

missing=""
for p in nginx wrk hugo curl; do
	dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ]; then
		echo "bench: installing:$missing" >&2
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $missing >/dev/null
	else
		echo "bench: missing packages; run: sudo apt-get install$missing" >&2
		exit 1
	fi
fi

BENCH_TMP="$(mktemp -d "${TMPDIR:-/tmp}/crier-bench.XXXXXX")"
export BENCH_TMP

cleanup() {
	# Only the processes bench.py started (their pids are in $BENCH_TMP/pids).
	if [ -f "$BENCH_TMP/pids" ]; then
		while read -r pid; do
			kill "$pid" 2>/dev/null || true
		done <"$BENCH_TMP/pids"
	fi
	rm -rf "$BENCH_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

timeout -k 10 "${BENCH_TIMEOUT:-570}" /usr/bin/python3 bench/bench.py
