#!/usr/bin/env bash
# Issue 14: OpenDHT datagrams a second while a call comes up and runs. Runs call_mesh_bench
# under `perf record` of sys_enter_sendto (OpenDHT sends with sendto; libnice, which carries
# the links and media, with sendmsg) and counts the plenum-peer processes' sendto calls in the
# SECONDS after call_join, and with a uprobe how many of them were presence re-puts
# (Presence::republish, the one place that puts the record). Prints one JSON object. Needs
# root (perf tracepoints and uprobes).
# Usage: dht_during_call.sh BUILD_DIR [peers=6] [seconds=15] [--hog] [--stall[=STOP/PERIOD]]
#   --hog: stress-ng --cpu 2 beside it (its own PID, stopped after), the load of issue 14.
#   --stall: a link-drop cascade on demand: call_mesh_bench stops one peer for STOP ms every
#     PERIOD ms (default 1500/3000) in the window, so it is removed and rejoins repeatedly.
#   PLENUM_PEER_BIN picks another plenum-peer build (before/after comparisons).
set -euo pipefail
build=${1:?build directory}
peers=${2:-6}
seconds=${3:-15}
shift $(($# < 3 ? $# : 3))
hog=
stall=
for opt in "$@"; do
  case $opt in
  --hog) hog=--hog ;;
  --stall) stall=1500/3000 ;;
  --stall=*) stall=${opt#--stall=} ;;
  *) echo "dht_during_call: unknown option $opt" >&2; exit 2 ;;
  esac
done
out=$(mktemp -d)
bin=${PLENUM_PEER_BIN:-$build/app/peer/plenum-peer}
probe=$(perf probe -q -x "$bin" -a 'presence_put=_ZN6plenum8identity8Presence9republishEv' 2>&1 |
  grep -o '[a-z_]*:presence_put' | head -1 || true)
[ -z "$probe" ] && probe=$(perf probe -l 2>/dev/null | grep -o '[a-z_]*:presence_put' | head -1 || true)
trap 'rm -rf "$out"; [ -n "$probe" ] && perf probe -q -d "$probe" >/dev/null 2>&1 || true' EXIT
events=(-e syscalls:sys_enter_sendto)
[ -n "$probe" ] && events+=(-e "$probe")
hogpid=
if [ "$hog" = "--hog" ]; then
  stress-ng --cpu 2 --timeout 600s >/dev/null 2>&1 &
  hogpid=$!
  sleep 1
fi
rc=0
CALL_MESH_STALL=$stall perf record -q -k CLOCK_MONOTONIC "${events[@]}" -o "$out/p.data" -- \
  "$build/tests/bench/node/call_mesh_bench" "$peers" "$seconds" >"$out/bench.json" \
  2>"$out/bench.err" || rc=$?
[ -n "$hogpid" ] && { kill "$hogpid" 2>/dev/null || true; wait "$hogpid" 2>/dev/null || true; }
load=$(cut -d' ' -f1 /proc/loadavg)
join=$(grep -o 'call_join at monotonic [0-9]*' "$out/bench.err" | awk '{print $4 / 1000}')
if [ -z "$join" ]; then
  echo "dht_during_call: call_mesh_bench did not reach call_join" >&2
  exit 1
fi
perf script -i "$out/p.data" -F comm,time,event 2>/dev/null >"$out/script.txt" || true
count() { # $1: event name pattern
  awk -v s="$join" -v d="$seconds" -v e="$1" \
    '$1 ~ /^plenum-peer/ && $3 ~ e { t = $2 + 0; if (t >= s && t < s + d) n++ } END { print n + 0 }' \
    "$out/script.txt"
}
sends=$(count sys_enter_sendto)
puts=$([ -n "$probe" ] && count presence_put || echo null)
# From the first peer's start to the end: the session's set-up too (every admission retitles).
putsAll=$([ -n "$probe" ] && awk '$1 ~ /^plenum-peer/ && $3 ~ /presence_put/ { n++ } END { print n + 0 }' \
  "$out/script.txt" || echo null)
up=$([ "$rc" = 0 ] && echo true || echo false)
field() {
  python3 -c 'import json,sys
try: print(json.load(open(sys.argv[1]))[sys.argv[2]])
except Exception: print("null")' "$out/bench.json" "$1"
}
drops=$(field link_drops_in_window)
removed=$(field members_removed)
printf '{"peers":%d,"seconds_after_join":%d,"hog":%s,"call_up":%s,"dht_datagrams_sent":%d,' \
  "$peers" "$seconds" "$([ -n "$hogpid" ] && echo true || echo false)" "$up" "$sends"
printf '"dht_datagrams_per_s_per_peer":%s,"presence_puts":%s,"presence_puts_whole_run":%s,' \
  "$(awk -v n="$sends" -v d="$seconds" -v p="$peers" 'BEGIN { printf "%.2f", n / d / p }')" \
  "$puts" "$putsAll"
printf '"stall":"%s",' "$stall"
printf '"link_drops_in_window":%s,"members_removed":%s,"load_average":%s}\n' \
  "$drops" "$removed" "$load"
