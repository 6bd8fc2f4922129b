#!/usr/bin/env bash
# Measures one check_dynport run end to end (JVM start, read, judge, print) against a baseline measured in the
# same run: the same JVM with the same flags printing its version (the floor any Java plugin pays).
# Prints the median wall time and peak RSS of each and their ratio, and keeps that in benchmarks/results/cli.txt
# (read by benchmarks/figures.sh). Usage: benchmarks/cli.sh [RUNS] (default 20)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
runs=${1:-20}
[ -f check-plugin/target/check_dynport.jar ] || mvn -B -q -pl check-plugin -am package -DskipTests
snapshot=check-plugin/src/test/resources/snapshots/exchange-foreign-holder-constructed.snapshot
flags=(-Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto)

measure() { # prints "seconds kilobytes" per run
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" "$@" >/dev/null 2>>/tmp/dynport-cli-bench.$$ || true
  done
  tail -n "$runs" /tmp/dynport-cli-bench.$$ | grep -E '^[0-9.]+ [0-9]+$'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: > /tmp/dynport-cli-bench.$$
base=$(measure java "${flags[@]}" -version)
: > /tmp/dynport-cli-bench.$$
check=$(measure java "${flags[@]}" -jar check-plugin/target/check_dynport.jar --snapshot "$snapshot")
rm -f /tmp/dynport-cli-bench.$$

bt=$(cut -d' ' -f1 <<<"$base" | median); bm=$(cut -d' ' -f2 <<<"$base" | median)
ct=$(cut -d' ' -f1 <<<"$check" | median); cm=$(cut -d' ' -f2 <<<"$check" | median)
mkdir -p benchmarks/results
{
echo "run: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
echo "runs: $runs each, $(nproc) cores, $(java -version 2>&1 | head -1)"
printf 'baseline java -version : %5.2f s median wall, %6d KB median peak RSS\n' "$bt" "$bm"
printf 'check_dynport snapshot : %5.2f s median wall, %6d KB median peak RSS\n' "$ct" "$cm"
awk -v ct="$ct" -v bt="$bt" -v cm="$cm" -v bm="$bm" \
  'BEGIN { printf "ratio check / baseline: time %.2f, memory %.2f\n", ct / bt, cm / bm }'
} | tee benchmarks/results/cli.txt
