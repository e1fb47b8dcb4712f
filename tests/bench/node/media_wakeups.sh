#!/usr/bin/env bash
# Issue 14, per-datagram wakeups: does a call's process wake once per received datagram?
# Runs call_mesh_bench PEERS SECONDS and, in its measured window, counts with perf (one peer
# process, p0) the event loop's wakeups (poll returning), the datagrams read (recvmsg
# returning data) and the reads that found nothing more (EAGAIN). Prints one JSON object with
# those rates, their ratio, and every peer's CPU from the bench. Needs root (perf tracepoints).
# Usage: media_wakeups.sh BUILD_DIR [peers=4] [seconds=20]
#   PLENUM_PEER_BIN picks another plenum-peer build (before/after comparisons).
set -euo pipefail
build=${1:?build directory}
peers=${2:-4}
seconds=${3:-20}
out=$(mktemp -d)
benchpid=
cleanup() {
  [ -n "$benchpid" ] && kill "$benchpid" 2>/dev/null || true
  rm -rf "$out"
}
trap cleanup EXIT
"$build/tests/bench/node/call_mesh_bench" "$peers" "$seconds" >"$out/bench.json" 2>"$out/bench.err" &
benchpid=$!
pid=
for _ in $(seq 1 1200); do
  pid=$(grep -o 'pids [0-9]*' "$out/bench.err" 2>/dev/null | awk '{print $2}' || true)
  [ -n "$pid" ] && break
  kill -0 "$benchpid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$pid" ]; then
  echo "media_wakeups: the call did not come up" >&2
  cat "$out/bench.err" >&2
  exit 1
fi
window=$((seconds - 2))
perf stat -x, -o "$out/stat.csv" -p "$pid" \
  -e syscalls:sys_exit_poll --filter 'ret > 0' \
  -e syscalls:sys_exit_recvmsg --filter 'ret > 0' \
  -e syscalls:sys_exit_recvmsg --filter 'ret < 0' \
  -- sleep "$window" 2>/dev/null || true
wait "$benchpid" || { echo "media_wakeups: call_mesh_bench failed" >&2; exit 1; }
benchpid=
python3 - "$out/stat.csv" "$out/bench.json" "$peers" "$window" <<'PY'
import json, sys
rows = [l.strip().split(',') for l in open(sys.argv[1]) if l.strip() and not l.startswith('#')]
vals = [float(r[0]) if r[0] not in ('<not counted>', '<not supported>') else 0 for r in rows]
wakeups, reads, empty = (vals + [0, 0, 0])[:3]
bench = json.load(open(sys.argv[2]))
w = float(sys.argv[4])
cpu = sorted(bench["cpu_percent_of_a_core"])
print(json.dumps({
    "peers": int(sys.argv[3]), "seconds": w,
    "wakeups_per_s": round(wakeups / w, 1),
    "datagrams_read_per_s": round(reads / w, 1),
    "empty_reads_per_s": round(empty / w, 1),
    "datagrams_per_wakeup": round(reads / wakeups, 2) if wakeups else None,
    "cpu_percent_of_a_core": bench["cpu_percent_of_a_core"],
    "cpu_percent_median": cpu[len(cpu) // 2] if len(cpu) % 2 else (cpu[len(cpu)//2 - 1] + cpu[len(cpu)//2]) / 2,
    "underruns": bench["underruns"], "link_drops_in_window": bench["link_drops_in_window"],
    "load_average": bench["load_average"]}))
PY
