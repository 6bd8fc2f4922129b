#!/usr/bin/env bash
# Whole-process wall time and peak RSS of `check_dynport --snapshot` through the real launcher (bin/check_dynport,
# -Xmx64m) on constructed snapshots whose netstat section holds 10k..1M TCP rows (a busy Exchange front-end:
# inbound HTTPS on 443, outbound connections from the dynamic range, TIME_WAIT), against a baseline measured in the
# same run: the same JVM with the launcher's flags printing its version. Median of RUNS runs per size.
# A snapshot file's netstat section is streamed (docs/limits.md), so peak RSS should not grow with the rows.
# Writes benchmarks/results/netstat-memory.txt (read by benchmarks/figures.sh).
# Usage: benchmarks/netstat-memory.sh [RUNS] [ROWS...]   (default 3 runs; 10000 100000 200000 500000 1000000 rows)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
runs=${1:-3}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 200000 500000 1000000)
[ -f check-plugin/target/check_dynport.jar ] || mvn -B -q -ntp -pl dynport-core,check-plugin -am package -DskipTests
base_snapshot=check-plugin/src/test/resources/snapshots/exchange-protected-constructed.snapshot
flags=(-Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:Tier3InvocationThreshold=2000 -XX:Tier3MinInvocationThreshold=1000
  -XX:Tier3CompileThreshold=20000 -Xshare:auto) # as bin/check_dynport
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The OK scenario with ROWS constructed rows appended to its netstat section (before the tasklist marker).
make_snapshot() { # ROWS FILE
  awk -v rows="$1" '
    /^#@section tasklist-svc-csv/ && !done {
      for (i = 0; i < rows; i++) {
        k = i % 10
        a = "10.0." int(i / 60000) % 250 "." (i % 250 + 1)
        if (k < 6)       printf "  TCP    10.0.12.25:443         %s:%d    ESTABLISHED     3333\r\n", a, 1024 + i % 60000
        else if (k < 8)  printf "  TCP    10.0.12.25:%d       %s:443     ESTABLISHED     4444\r\n", 6005 + i % 59000, a
        else if (k < 9)  printf "  TCP    10.0.12.25:%d       %s:25      TIME_WAIT       0\r\n", 6005 + (i * 7) % 59000, a
        else             printf "  TCP    [fe80::1%%12]:443        [fe80::%x%%12]:%d   ESTABLISHED     3333\r\n", i % 65536, 1024 + i % 60000
      }
      done = 1
    }
    { print }' ORS='\n' "$base_snapshot" >"$2"
}

measure() { # prints "seconds kilobytes exit" per run; the first line of the last run goes to $work/first
  for _ in $(seq "$runs"); do
    set +e
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>/dev/null
    rc=$?
    set -e
    echo "$(cat "$work/time") $rc"
    head -1 "$work/out" >"$work/first"
  done
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

base=$(measure java "${flags[@]}" -version)
bt=$(cut -d' ' -f1 <<<"$base" | median); bm=$(cut -d' ' -f2 <<<"$base" | median)
mkdir -p benchmarks/results
{
  echo "run: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet -- . ':!benchmarks/results' 2>/dev/null || echo '+changes'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "runs: $runs per size (median), $(nproc) cores, $(java -version 2>&1 | head -1), launcher flags ${flags[*]}"
  printf 'baseline java -version   : %6.2f s wall, %7d KB peak RSS\n' "$bt" "$bm"
  printf '%-9s %-10s %8s %10s %7s %7s  %s\n' rows bytes wall_s rss_KB wall_x rss_x 'exit, first line'
  for n in "${sizes[@]}"; do
    f=$work/netstat-$n-constructed.snapshot
    make_snapshot "$n" "$f"
    r=$(measure sh check-plugin/bin/check_dynport --snapshot "$f")
    t=$(cut -d' ' -f1 <<<"$r" | median); m=$(cut -d' ' -f2 <<<"$r" | median); rc=$(tail -1 <<<"$r" | cut -d' ' -f3)
    printf '%-9s %-10s %8.2f %10d %7.2f %7.2f  %s, %s\n' "$n" "$(stat -c %s "$f")" "$t" "$m" \
      "$(awk -v a="$t" -v b="$bt" 'BEGIN { print a / b }')" "$(awk -v a="$m" -v b="$bm" 'BEGIN { print a / b }')" \
      "$rc" "$(cut -c1-90 "$work/first")"
    rm -f "$f"
  done
} | tee benchmarks/results/netstat-memory.txt
