#!/usr/bin/env bash
# Load test of the real agent (probe-agent/bin/dynport-probe, i.e. the shaded jar under the launcher's JVM flags)
# with 10, 100 and 1,000 targets: how CPU per probe, RSS, threads and spool throughput grow with the target count,
# and whether every probe still runs on schedule. Writes benchmarks/results/agent-load.txt (figures.sh copies its
# table into docs/figures.md).
#
# What runs (each choice is printed into the result file as well):
# - snapshot targets only: the constructed snapshots of check-plugin/src/test/resources/snapshots, copied so that
#   every target reads its own file (target i gets fixture i mod k). Some fixtures are unusable on purpose
#   (garbled output, access denied): those probes fail, as probes of a few broken hosts would. No SSH share: the
#   cost of a probe here is the agent's (read, parse, judge, health model, events), not the network's.
# - the interval compressed 10x: 5m -> 30s (jitter 5s, the timeout stays its default 30s), so one measured minute
#   holds the probes of ten real ones. renotify_interval is set to the interval, so every probe of a target with a
#   non-healthy port writes PORT_RENOTIFY events: the spool and the jsonl sink see the worst case (the default 4h
#   would leave them idle after the first round).
# - delivery as configured by default: a spool (every append forced to disk before publish returns) and one jsonl
#   sink (each line opened, appended, forced); heartbeats at their default (5m, so none in the window).
# - each target count with max_concurrent_probes at its default (4), and the largest count also with 16.
# Measured over a window that starts after a warm-up longer than interval + jitter (the first round, with its
# initial state events, is over): CPU from /proc/PID/stat (utime + stime), probes and events from the agent's own
# /metrics (scraped only at the window's ends, outside the CPU window), RSS and threads from /proc/PID/status
# (sampled every 5 s; the largest sample and VmHWM). "on schedule" = probes done / probes due, where due =
# targets x window / (interval + jitter/2), the mean period; skipped ticks (previous probe still running) and
# abandoned probes (timeout overrun) are the agent's counters.
#
# Usage: benchmarks/agent-load.sh            (needs probe-agent/target/dynport-probe.jar: mvn -B -ntp package)
#   COUNTS="10 100 1000" BIG_CONCURRENCY=16 WARMUP=45 WINDOW=90 benchmarks/agent-load.sh
# Takes about (WARMUP + WINDOW + 10 s) per run, 4 runs: about 10 minutes with the defaults.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
COUNTS=${COUNTS:-"10 100 1000"}
BIG_CONCURRENCY=${BIG_CONCURRENCY-16}
INTERVAL=${INTERVAL:-30}
JITTER=${JITTER:-5}
TIMEOUT=${TIMEOUT:-$((INTERVAL < 30 ? INTERVAL : 30))}
WARMUP=${WARMUP:-45}
WINDOW=${WINDOW:-90}
out=benchmarks/results/agent-load.txt
launcher=probe-agent/bin/dynport-probe
[ -f probe-agent/target/dynport-probe.jar ] || { echo "agent-load: build first: mvn -B -ntp package" >&2; exit 3; }
command -v curl >/dev/null || { echo "agent-load: needs curl" >&2; exit 3; }
mapfile -t fixtures < <(ls check-plugin/src/test/resources/snapshots/*-constructed.snapshot)
work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
hz=$(getconf CLK_TCK)

# The sum of every sample of a metric in a Prometheus text file (labels may hold spaces: the value is the last field).
metric() { # FILE NAME
  awk -v n="$2" 'index($0, n "{") == 1 || $1 == n { s += $NF } END { printf "%.0f", s }' "$1"
}
metric_max() { # FILE NAME
  awk -v n="$2" 'index($0, n "{") == 1 || $1 == n { if ($NF > m) m = $NF } END { printf "%.3f", m }' "$1"
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

# One run: N targets, C concurrent probes. Prints one table row and leaves the numbers in $work/row-N-C.
run_one() { # N C
  local n=$1 c=$2 d="$work/n$1-c$2" i targets=""
  mkdir -p "$d/snap"
  for ((i = 0; i < n; i++)); do
    local f
    f=$(printf '%s/snap/t%04d.snapshot' "$d" "$i")
    cp "${fixtures[i % ${#fixtures[@]}]}" "$f"
    targets+="${targets:+,}{\"type\": \"snapshot\", \"file\": \"$f\"}"
  done
  cat >"$d/probe.json" <<JSON
{"agent_name": "load", "max_concurrent_probes": $c, "renotify_interval": "${INTERVAL}s",
 "defaults": {"interval": "${INTERVAL}s", "jitter": "${JITTER}s", "timeout": "${TIMEOUT}s"},
 "ops": {"port": 0},
 "spool": {"dir": "$d/spool"},
 "sinks": [{"type": "jsonl", "path": "$d/events.jsonl"}],
 "targets": [$targets]}
JSON
  local load_before; load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  "$launcher" --config "$d/probe.json" >/dev/null 2>"$d/agent.log" &
  pid=$!
  local port="" tries=0
  while [ -z "$port" ]; do
    port=$(sed -n 's|.*ops endpoint on http://127.0.0.1:\([0-9]*\)/metrics.*|\1|p' "$d/agent.log" | head -1)
    tries=$((tries + 1))
    if [ $tries -gt 300 ] || ! kill -0 "$pid" 2>/dev/null; then cat "$d/agent.log" >&2; echo "agent-load: agent did not start" >&2; exit 1; fi
    [ -n "$port" ] || sleep 0.1
  done
  sleep "$WARMUP"
  curl -sf "http://127.0.0.1:$port/metrics" >"$d/m0"
  local t0 c0 rss_max=0 thr_max=0 s
  t0=$(date +%s.%N); c0=$(cpu_ticks "$pid")
  for ((s = 0; s < WINDOW; s += 5)); do
    sleep 5
    local r t
    r=$(status_kb "$pid" VmRSS); t=$(status_kb "$pid" Threads)
    [ "$r" -gt "$rss_max" ] && rss_max=$r
    [ "$t" -gt "$thr_max" ] && thr_max=$t
  done
  local c1 t1 hwm
  c1=$(cpu_ticks "$pid"); t1=$(date +%s.%N); hwm=$(status_kb "$pid" VmHWM)
  curl -sf "http://127.0.0.1:$port/metrics" >"$d/m1"
  local load_after; load_after=$(cut -d' ' -f1-3 /proc/loadavg)
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=
  local probes skipped abandoned failures spooled delivered depth dropped slowest
  probes=$(($(metric "$d/m1" dynport_probes_total) - $(metric "$d/m0" dynport_probes_total)))
  skipped=$(($(metric "$d/m1" dynport_probes_skipped_total) - $(metric "$d/m0" dynport_probes_skipped_total)))
  abandoned=$(metric "$d/m1" dynport_probes_abandoned_total)
  failures=$(($(metric "$d/m1" dynport_probe_failures_total) - $(metric "$d/m0" dynport_probe_failures_total)))
  spooled=$(($(metric "$d/m1" dynport_events_spooled_total) - $(metric "$d/m0" dynport_events_spooled_total)))
  delivered=$(($(metric "$d/m1" dynport_events_delivered_total) - $(metric "$d/m0" dynport_events_delivered_total)))
  depth=$(metric "$d/m1" dynport_spool_depth_events)
  dropped=$(($(metric "$d/m1" dynport_events_dropped_total) + $(metric "$d/m1" dynport_spool_dropped_total)))
  slowest=$(metric_max "$d/m1" dynport_probe_duration_seconds)
  awk -v n="$n" -v c="$c" -v p="$probes" -v sk="$skipped" -v ab="$abandoned" -v fa="$failures" \
    -v sp="$spooled" -v de="$delivered" -v dp="$depth" -v dr="$dropped" -v sl="$slowest" \
    -v ticks=$((c1 - c0)) -v hz="$hz" -v t0="$t0" -v t1="$t1" -v iv="$INTERVAL" -v ji="$JITTER" \
    -v rss="$rss_max" -v hwm="$hwm" -v thr="$thr_max" -v lb="$load_before" -v la="$load_after" 'BEGIN {
      w = t1 - t0; cpu = ticks / hz; due = n * w / (iv + ji / 2)
      printf "%d %d %.1f %d %.0f %d %d %d %.2f %.1f %d %d %d %.1f %.1f %d %d %s %s|%s\n", n, c, w, p, due, sk, ab, fa,
        (p > 0 ? 1000 * cpu / p : 0), 100 * cpu / w, rss / 1024, hwm / 1024, thr, sp / w, de / w, dp, dr, sl, lb, la
    }' | tee "$work/row-$n-$c"
}

runs=()
for n in $COUNTS; do runs+=("$n 4"); done
biggest=${COUNTS##* }
[ -n "$BIG_CONCURRENCY" ] && runs+=("$biggest $BIG_CONCURRENCY")
for r in "${runs[@]}"; do
  echo "agent-load: $r (targets, max_concurrent_probes): ${WARMUP}s warm-up, ${WINDOW}s measured" >&2
  # shellcheck disable=SC2086
  run_one $r >&2
done

{
  echo "run: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "machine: $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM, $(uname -sr), $(java -version 2>&1 | head -1)"
  echo "jvm: the launcher's flags (-Xmx128m -XX:+UseSerialGC); shared machine: load average (1/5/15 min) before|after each run in the last column"
  echo "setup: snapshot targets ($(printf '%s' "${#fixtures[@]}") constructed fixtures in turn, one file per target), interval ${INTERVAL}s (standing for 5m: compressed $((300 / INTERVAL))x) + jitter ${JITTER}s,"
  echo "  renotify_interval ${INTERVAL}s (every probe of a non-healthy target writes events: worst case for the spool), spool with fsync + one jsonl sink,"
  echo "  warm-up ${WARMUP}s, measured window ${WINDOW}s; no SSH targets"
  echo
  echo '| targets | max concurrent | probes in window | due | on schedule | skipped | abandoned | failed (unusable fixtures) | CPU ms/probe | CPU % of one core | RSS MB (max / VmHWM) | threads (max) | events spooled/s | delivered/s | spool backlog at end | dropped | slowest probe s | load before\|after |'
  echo '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|'
  for r in "${runs[@]}"; do
    # shellcheck disable=SC2086
    set -- $r
    awk '{ split($0, a, "|"); $0 = a[1]; la = a[2]
      printf "| %d | %d | %d | %d | %.0f%% | %d | %d | %d | %s | %s | %d / %d | %d | %s | %s | %d | %d | %s | %s %s %s \\| %s |\n",
        $1, $2, $4, $5, ($5 > 0 ? 100 * $4 / $5 : 0), $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, la }' \
      "$work/row-$1-$2"
  done
  echo
  small=${COUNTS%% *}
  awk -v small="$small" -v big="$biggest" '
    FNR == 1 { split($0, a, "|"); split(a[1], f, " "); if (f[2] != 4) next; cpu[f[1]] = f[9]; rss[f[1]] = f[11]; thr[f[1]] = f[13]; ev[f[1]] = f[14] }
    END {
      printf "ratios (max concurrent 4), %s targets vs %s: targets x%.0f, CPU per probe x%.2f, RSS x%.2f, threads x%.2f, events spooled/s x%.1f\n",
        big, small, big / small, cpu[big] / cpu[small], rss[big] / rss[small], thr[big] / thr[small], (ev[small] > 0 ? ev[big] / ev[small] : 0)
    }' "$work"/row-*-4
} >"$out"
cat "$out"
echo "agent-load: wrote $out" >&2
