#!/usr/bin/env bash
# Issue 14: OpenDHT datagrams a second while a call comes up and runs. Runs call_mesh_bench
# under `perf record` of sys_enter_sendto (OpenDHT sends with sendto; libnice, which carries
# the links and media, with sendmsg) and counts the plenum-peer processes' sendto calls in the
# SECONDS after call_join. Prints one JSON object. Needs root (perf tracepoints).
# Usage: dht_during_call.sh BUILD_DIR [peers=6] [seconds=15] [--hog]
#   --hog: stress-ng --cpu 2 beside it (its own PID, stopped after), the load of issue 14.
#   PLENUM_PEER_BIN picks another plenum-peer build (before/after comparisons).
set -euo pipefail
build=${1:?build directory}
peers=${2:-6}
seconds=${3:-15}
hog=${4:-}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
hogpid=
if [ "$hog" = "--hog" ]; then
  stress-ng --cpu 2 --timeout 600s >/dev/null 2>&1 &
  hogpid=$!
  sleep 1
fi
rc=0
perf record -q -k CLOCK_MONOTONIC -e syscalls:sys_enter_sendto -o "$out/p.data" -- \
  "$build/tests/bench/node/call_mesh_bench" "$peers" "$seconds" >"$out/bench.json" \
  2>"$out/bench.err" || rc=$?
[ -n "$hogpid" ] && { kill "$hogpid" 2>/dev/null || true; wait "$hogpid" 2>/dev/null || true; }
load=$(cut -d' ' -f1 /proc/loadavg)
join=$(grep -o 'call_join at monotonic [0-9]*' "$out/bench.err" | awk '{print $4 / 1000}')
if [ -z "$join" ]; then
  echo "dht_during_call: call_mesh_bench did not reach call_join" >&2
  exit 1
fi
sends=$(perf script -i "$out/p.data" -F comm,time 2>/dev/null |
  awk -v s="$join" -v d="$seconds" '$1 ~ /^plenum-peer/ { t = $2 + 0; if (t >= s && t < s + d) n++ }
                                     END { print n + 0 }')
up=$([ "$rc" = 0 ] && echo true || echo false)
drops=$(python3 -c 'import json,sys
try: print(json.load(open(sys.argv[1]))["link_drops_in_window"])
except Exception: print("null")' "$out/bench.json")
printf '{"peers":%d,"seconds_after_join":%d,"hog":%s,"call_up":%s,"dht_datagrams_sent":%d,' \
  "$peers" "$seconds" "$([ -n "$hogpid" ] && echo true || echo false)" "$up" "$sends"
printf '"dht_datagrams_per_s_per_peer":%s,"link_drops_in_window":%s,"load_average":%s}\n' \
  "$(awk -v n="$sends" -v d="$seconds" -v p="$peers" 'BEGIN { printf "%.2f", n / d / p }')" \
  "$drops" "$load"
