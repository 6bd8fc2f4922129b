#!/usr/bin/env bash
# Load test of the real agent (probe-agent/bin/dynport-probe, i.e. the shaded jar under the launcher's JVM flags)
# with 10, 100 and 1,000 targets, SSH_SHARE % of them (default 10) SSH targets: how CPU per probe, RSS, threads and
# spool throughput grow with the target count, and whether every probe still runs on schedule. Writes
# benchmarks/results/agent-load.txt (figures.sh copies its table into docs/figures.md).
#
# What runs (each choice is printed into the result file as well):
# - snapshot targets: the constructed snapshots of check-plugin/src/test/resources/snapshots, copied so that every
#   target reads its own file (target i gets fixture i mod k). Some fixtures are unusable on purpose (garbled
#   output, access denied): those probes fail, as probes of a few broken hosts would.
# - SSH targets: private OpenSSH sshd processes on 127.0.0.1 (e2e/openssh/sshd-lib.sh, as e2e/openssh/run.sh and
#   benchmarks/ssh.sh: a throw-away account whose login shell runs the e2e's stand-in Windows programs, which print
#   real captured outputs), one port per SSH target (16 ports per sshd), so every SSH target is its own endpoint
#   with its own known_hosts line; one ed25519 key. The agent opens one SSH session per probe, as against real hosts.
# - the interval compressed 10x: 5m -> 30s (jitter 5s, the timeout stays its default 30s), so one measured minute
#   holds the probes of ten real ones. renotify_interval is set to the interval, so every probe of a target with a
#   non-healthy port writes PORT_RENOTIFY events: the spool and the jsonl sink see the worst case (the default 4h
#   would leave them idle after the first round).
# - delivery as configured by default: a spool (every append forced to disk before publish returns) and one jsonl
#   sink (each line opened, appended, forced); heartbeats at their default (5m, so none in the window).
# - each target count with max_concurrent_probes at its default (4); the largest count also with 16, and (when
#   there is an SSH share) once more with snapshot targets only, which splits the CPU per probe by type.
# Measured over a window that starts after a warm-up longer than interval + jitter (the first round, with its
# initial state events, is over): CPU from /proc/PID/stat (utime + stime), probes and events from the agent's own
# /metrics (scraped only at the window's ends, outside the CPU window), RSS and threads from /proc/PID/status
# (sampled every 5 s; the largest sample and VmHWM). "on schedule" = probes done / probes due, where due =
# targets x window / (interval + jitter/2), the mean period; skipped ticks (previous probe still running) and
# abandoned probes (timeout overrun) are the agent's counters. The agent's /metrics count probes per target but
# not CPU, so the CPU per probe of each type comes from two runs of the largest count with max concurrent 4:
# snapshot only (its CPU per probe, idle JVM work included, is the snapshot probe's) and mixed (what is left over
# after its snapshot probes at that price, divided by its SSH probes). sshd's CPU is not the agent's: it is read
# apart, from each sshd listener's /proc/PID/stat (utime + stime + cutime + cstime: its session processes, the
# login shell and the stand-in programs are reaped into it), and covers the sessions that ended in the window.
# The SSH probe wall time is dynport_probe_duration_seconds (the last probe of each SSH target) at both window ends.
# The spool backlog (dynport_spool_depth_events) at the window's start is what the warm-up left undelivered: while it
# drains, more events are delivered than spooled in the window.
#
# Usage: benchmarks/agent-load.sh            (needs probe-agent/target/dynport-probe.jar: mvn -B -ntp package;
#   root for the SSH share: useradd, sshd; SSH_SHARE=0 runs snapshot targets only, without root)
#   COUNTS="10 100 1000" SSH_SHARE=10 BIG_CONCURRENCY=16 WARMUP=45 WINDOW=90 benchmarks/agent-load.sh
# Takes about (WARMUP + WINDOW + 10 s) per run, 5 runs: about 12-13 minutes with the defaults.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
COUNTS=${COUNTS:-"10 100 1000"}
SSH_SHARE=${SSH_SHARE:-10}
BIG_CONCURRENCY=${BIG_CONCURRENCY-16}
INTERVAL=${INTERVAL:-30}
JITTER=${JITTER:-5}
TIMEOUT=${TIMEOUT:-$((INTERVAL < 30 ? INTERVAL : 30))}
WARMUP=${WARMUP:-45}
WINDOW=${WINDOW:-90}
out=benchmarks/results/agent-load.txt
launcher=probe-agent/bin/dynport-probe
# shellcheck source=e2e/lib.sh
. "$root/e2e/lib.sh" # apt_install, free_port
# shellcheck source=e2e/openssh/sshd-lib.sh
. "$root/e2e/openssh/sshd-lib.sh" # winhost_account, sshd_start
fail() { echo "agent-load: $*" >&2; exit 3; }
[ -f probe-agent/target/dynport-probe.jar ] || fail "build first: mvn -B -ntp package"
command -v curl >/dev/null || fail "needs curl"
{ [[ $SSH_SHARE =~ ^[0-9]+$ ]] && ((SSH_SHARE <= 100)); } || fail "SSH_SHARE must be a percentage [$SSH_SHARE]"
((SSH_SHARE == 0)) || [ "$(id -u)" = 0 ] || fail "the SSH share needs root (useradd, sshd); SSH_SHARE=0 runs without"
mapfile -t fixtures < <(ls check-plugin/src/test/resources/snapshots/*-constructed.snapshot)
work=$(mktemp -d /tmp/dynport-agent-load.XXXXXXXX)
chmod 755 "$work"
account=dynport-load-$$
pid=
sshd_pids=()
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; fi
  local p
  for p in "${sshd_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${sshd_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if id "$account" >/dev/null 2>&1; then userdel -r -f "$account" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
hz=$(getconf CLK_TCK)

# The sum of every sample of a metric in a Prometheus text file (labels may hold spaces: the value is the last
# field); with RE, only samples whose target label starts with RE.
metric() { # FILE NAME [RE]
  awk -v n="$2" -v re="${3:-}" '(index($0, n "{") == 1 || $1 == n) && (re == "" || $0 ~ "target=\"" re) { s += $NF }
    END { printf "%.0f", s }' "$1"
}
# "mean max" of the samples of a metric whose target label starts with RE, over all FILES.
metric_stats() { # NAME RE FILE...
  local n=$1 re=$2; shift 2
  awk -v n="$n" -v re="$re" 'index($0, n "{") == 1 && $0 ~ "target=\"" re { s += $NF; k++; if ($NF > m) m = $NF }
    END { if (k) printf "%.3f %.3f\n", s / k, m; else print "- -" }' "$@"
}
delta() { # NAME [RE]: the metric's growth over the window
  echo $(($(metric "$d/m1" "$1" "${2:-}") - $(metric "$d/m0" "$1" "${2:-}")))
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# CPU of the sshd listeners with every process they reaped (sessions, login shells, stand-in programs).
sshd_ticks() { local p s=0; for p in "${sshd_pids[@]}"; do s=$((s + $(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$p/stat"))); done; echo "$s"; }
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

# The runs: "TARGETS MAX_CONCURRENT SSH_SHARE".
runs=()
for n in $COUNTS; do runs+=("$n 4 $SSH_SHARE"); done
biggest=${COUNTS##* }
[ -n "$BIG_CONCURRENCY" ] && runs+=("$biggest $BIG_CONCURRENCY $SSH_SHARE")
((SSH_SHARE == 0)) || runs+=("$biggest 4 0")
ssh_count() { # N SHARE: the SSH targets of a run, at least one when the share is not 0
  local k=$(($1 * $2 / 100))
  ((k > 0 || $2 == 0)) || k=1
  echo "$k"
}

# The SSH side, once for all runs: one port per SSH target of the largest run.
ssh_ports=()
if ((SSH_SHARE > 0)); then
  apt_install openssh-server openssh-client
  mkdir -p "$work/client"
  chmod 700 "$work/client"
  ssh-keygen -q -t ed25519 -N '' -C dynport-load-host -f "$work/ssh_host_ed25519_key"
  ssh-keygen -q -t ed25519 -N '' -C dynport-load-test-only -f "$work/client/id_ed25519"
  winhost_account "$work" "$account" "dynport agent load test, throw-away" "$work/client/id_ed25519.pub"
  need=0
  for r in "${runs[@]}"; do
    # shellcheck disable=SC2086
    set -- $r
    k=$(ssh_count "$1" "$3")
    if ((k > need)); then need=$k; fi
  done
  for ((i = 0; i < need; i++)); do
    free_port ssh_port # (not "p": free_port has a local p)
    ssh_ports+=("$ssh_port")
    echo "[127.0.0.1]:$ssh_port $(cut -d' ' -f1,2 "$work/ssh_host_ed25519_key.pub")" >>"$work/known_hosts"
  done
  for ((i = 0; i < need; i += 16)); do
    sshd_start "$work/sshd$((i / 16))" "$account" INFO "${ssh_ports[@]:i:16}"
    sshd_pids+=("$SSHD_PID")
  done
  # the known_hosts lines are the ones ssh-keyscan sees (one port checked), and a session works end to end
  [ "$(ssh-keyscan -p "${ssh_ports[0]}" -t ed25519 127.0.0.1 2>/dev/null)" = "$(head -1 "$work/known_hosts")" ] ||
    fail "known_hosts does not match what ssh-keyscan sees on port ${ssh_ports[0]}"
  ssh -T -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$work/known_hosts" -F /dev/null \
    -i "$work/client/id_ed25519" -p "${ssh_ports[-1]}" -l "$account" 127.0.0.1 "netsh int ipv4 show dynamicport tcp" \
    </dev/null | grep -q 'Start Port' || fail "no SSH session to 127.0.0.1:${ssh_ports[-1]}"
  echo "agent-load: ${#sshd_pids[@]} sshd with ${#ssh_ports[@]} ports on 127.0.0.1" >&2
fi

# One run: N targets (K of them SSH), C concurrent probes. Leaves its numbers in $work/row-N-C-SHARE (NAME=VALUE).
run_one() { # N C SHARE
  local n=$1 c=$2 share=$3 i targets=""
  local k; k=$(ssh_count "$n" "$share")
  d="$work/n$n-c$c-s$share"
  mkdir -p "$d/snap"
  for ((i = 0; i < n - k; i++)); do
    local f
    f=$(printf '%s/snap/t%04d.snapshot' "$d" "$i")
    cp "${fixtures[i % ${#fixtures[@]}]}" "$f"
    targets+="${targets:+,}{\"type\": \"snapshot\", \"file\": \"$f\"}"
  done
  for ((i = 0; i < k; i++)); do
    targets+="${targets:+,}$(printf '{"type": "ssh", "name": "ssh%04d", "hostname": "127.0.0.1", "port": %s, "user": "%s", "identity_file": "%s", "known_hosts": "%s"}' \
      "$i" "${ssh_ports[i]}" "$account" "$work/client/id_ed25519" "$work/known_hosts")"
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
    if [ $tries -gt 300 ] || ! kill -0 "$pid" 2>/dev/null; then cat "$d/agent.log" >&2; fail "agent did not start"; fi
    [ -n "$port" ] || sleep 0.1
  done
  sleep "$WARMUP"
  curl -sf "http://127.0.0.1:$port/metrics" >"$d/m0"
  local t0 c0 s0 rss_max=0 thr_max=0 s
  t0=$(date +%s.%N); c0=$(cpu_ticks "$pid"); s0=$(sshd_ticks)
  for ((s = 0; s < WINDOW; s += 5)); do
    sleep 5
    local r t
    r=$(status_kb "$pid" VmRSS); t=$(status_kb "$pid" Threads)
    [ "$r" -gt "$rss_max" ] && rss_max=$r
    [ "$t" -gt "$thr_max" ] && thr_max=$t
  done
  local c1 t1 s1 hwm
  c1=$(cpu_ticks "$pid"); s1=$(sshd_ticks); t1=$(date +%s.%N); hwm=$(status_kb "$pid" VmHWM)
  curl -sf "http://127.0.0.1:$port/metrics" >"$d/m1"
  local load_after; load_after=$(cut -d' ' -f1-3 /proc/loadavg)
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=
  local ssh_probes ssh_failed
  ssh_probes=$(delta dynport_probes_total ssh)
  ssh_failed=$(delta dynport_probe_failures_total ssh)
  ((k == 0 || ssh_failed < ssh_probes)) || { tail -5 "$d/agent.log" >&2; fail "every SSH probe failed ($n targets)"; }
  {
    local mean max
    echo "n=$n"; echo "c=$c"; echo "k=$k"
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "window=%.1f\n", b - a }'
    echo "probes=$(delta dynport_probes_total)"; echo "ssh_probes=$ssh_probes"; echo "ssh_failed=$ssh_failed"
    echo "failed=$(delta dynport_probe_failures_total)"; echo "skipped=$(delta dynport_probes_skipped_total)"
    echo "abandoned=$(metric "$d/m1" dynport_probes_abandoned_total)"
    echo "spooled=$(delta dynport_events_spooled_total)"; echo "delivered=$(delta dynport_events_delivered_total)"
    echo "depth0=$(metric "$d/m0" dynport_spool_depth_events)"; echo "depth=$(metric "$d/m1" dynport_spool_depth_events)"
    echo "dropped=$(($(metric "$d/m1" dynport_events_dropped_total) + $(metric "$d/m1" dynport_spool_dropped_total)))"
    echo "ticks=$((c1 - c0))"; echo "sshd_ticks=$((s1 - s0))"
    echo "rss=$rss_max"; echo "hwm=$hwm"; echo "threads=$thr_max"
    read -r mean max < <(metric_stats dynport_probe_duration_seconds 't[0-9]' "$d/m1")
    echo "snap_slowest=$max"
    read -r mean max < <(metric_stats dynport_probe_duration_seconds ssh "$d/m0" "$d/m1")
    echo "ssh_mean=$mean"; echo "ssh_max=$max"
    echo "load_before=$load_before"; echo "load_after=$load_after"
  } >"$work/row-$n-$c-$share"
}

# One value of a row file (NAME=VALUE lines).
field() { sed -n "s/^$2=//p" "$1"; } # FILE NAME

# Prints one table row from a row file.
row() { # FILE
  awk -v hz="$hz" -v iv="$INTERVAL" -v ji="$JITTER" '{ i = index($0, "="); v[substr($0, 1, i - 1)] = substr($0, i + 1) }
    END {
      n = v["n"] + 0; k = v["k"] + 0; w = v["window"] + 0; p = v["probes"] + 0; sp = v["ssh_probes"] + 0; sf = v["ssh_failed"] + 0
      cpu = v["ticks"] / hz; scpu = v["sshd_ticks"] / hz; due = n * w / (iv + ji / 2)
      printf "| %d | %d | %d | %d (%d) | %.0f | %.0f%% | %d | %d | %d / %d | %.2f | %.1f | %s | %s | %s | %s | %d / %d | %d | %.1f | %.1f | %d / %d | %d | %s \\| %s |\n",
        n, k, v["c"], p, sp, due, (due > 0 ? 100 * p / due : 0), v["skipped"], v["abandoned"], v["failed"] - sf, sf,
        (p > 0 ? 1000 * cpu / p : 0), 100 * cpu / w, v["snap_slowest"], (k ? v["ssh_mean"] " / " v["ssh_max"] : "-"),
        (k && sp ? sprintf("%.0f", 1000 * scpu / sp) : "-"), (k ? sprintf("%.1f", 100 * scpu / w) : "-"),
        v["rss"] / 1024, v["hwm"] / 1024, v["threads"], v["spooled"] / w, v["delivered"] / w, v["depth0"], v["depth"], v["dropped"],
        v["load_before"], v["load_after"]
    }' "$1"
}

for r in "${runs[@]}"; do
  # shellcheck disable=SC2086
  set -- $r
  echo "agent-load: $1 targets ($(ssh_count "$1" "$3") SSH), max_concurrent_probes $2: ${WARMUP}s warm-up, ${WINDOW}s measured" >&2
  run_one "$1" "$2" "$3"
  row "$work/row-$1-$2-$3" >&2
done

{
  echo "run: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "machine: $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM, $(uname -sr), $(java -version 2>&1 | head -1)"
  echo "jvm: the launcher's flags (-Xmx128m -XX:+UseSerialGC); shared machine: load average (1/5/15 min) before|after each run in the last column"
  echo "setup: snapshot targets ($(printf '%s' "${#fixtures[@]}") constructed fixtures in turn, one file per target)"
  if ((SSH_SHARE > 0)); then
    echo "  plus ${SSH_SHARE}% SSH targets (at least one): $(/usr/sbin/sshd -V 2>&1 | cut -d, -f1) on 127.0.0.1, one port per SSH target"
    echo "  (${#ssh_ports[@]} ports on ${#sshd_pids[@]} sshd), ed25519 keys, login shell running the e2e's stand-in Windows programs,"
  fi
  echo "  interval ${INTERVAL}s (standing for 5m: compressed $((300 / INTERVAL))x) + jitter ${JITTER}s,"
  echo "  renotify_interval ${INTERVAL}s (every probe of a non-healthy target writes events: worst case for the spool), spool with fsync + one jsonl sink,"
  echo "  warm-up ${WARMUP}s, measured window ${WINDOW}s"
  echo
  echo '| targets | of them SSH | max concurrent | probes in window (SSH) | due | on schedule | skipped | abandoned | failed: snapshot (unusable fixtures) / SSH | agent CPU ms/probe (all types) | agent CPU % of one core | slowest snapshot probe s | SSH probe s (mean / max) | sshd side CPU ms per SSH probe | sshd side CPU % of one core | RSS MB (max / VmHWM) | threads (max) | events spooled/s | delivered/s | spool backlog at start / end | dropped | load before\|after |'
  echo '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|'
  for r in "${runs[@]}"; do
    # shellcheck disable=SC2086
    set -- $r
    row "$work/row-$1-$2-$3"
  done
  echo
  small=${COUNTS%% *}
  for f in "$work/row-$small-4-$SSH_SHARE" "$work/row-$biggest-4-$SSH_SHARE"; do
    echo "$(field "$f" n) $(field "$f" ticks) $(field "$f" probes) $(field "$f" rss) $(field "$f" threads) $(field "$f" spooled) $(field "$f" window)"
  done | awk -v share="$SSH_SHARE" '{ n[NR] = $1; cpu[NR] = ($3 ? $2 / $3 : 0); rss[NR] = $4; thr[NR] = $5; ev[NR] = $6 / $7 }
    END {
      printf "ratios (max concurrent 4, %s%% SSH), %s targets vs %s: targets x%.0f, CPU per probe x%.2f, RSS x%.2f, threads x%.2f, events spooled/s x%.1f\n",
        share, n[2], n[1], n[2] / n[1], (cpu[1] ? cpu[2] / cpu[1] : 0), rss[2] / rss[1], thr[2] / thr[1], (ev[1] ? ev[2] / ev[1] : 0)
    }'
  if ((SSH_SHARE > 0)); then
    mixed="$work/row-$biggest-4-$SSH_SHARE" snap="$work/row-$biggest-4-0"
    awk -v hz="$hz" -v tm="$(field "$mixed" ticks)" -v pm="$(field "$mixed" probes)" -v hm="$(field "$mixed" ssh_probes)" \
      -v ts="$(field "$snap" ticks)" -v ps="$(field "$snap" probes)" -v sm="$(field "$mixed" sshd_ticks)" -v big="$biggest" 'BEGIN {
        s = 1000 * ts / hz / ps; h = (1000 * tm / hz - s * (pm - hm)) / hm
        printf "split: agent CPU per probe by type (%s targets, max concurrent 4): snapshot %.2f ms (the snapshot-only run, idle JVM work included),", big, s
        printf " SSH %.1f ms (the mixed run after its %d snapshot probes at that price, over its %d SSH probes); sshd side %.1f ms more per SSH probe\n", h, pm - hm, hm, 1000 * sm / hz / hm
      }'
  fi
} >"$out"
cat "$out"
echo "agent-load: wrote $out" >&2
