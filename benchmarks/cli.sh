#!/usr/bin/env bash
# Measures check_dynport runs end to end (JVM start, read, judge, print) through bin/check_dynport against a
# baseline measured in the same run: a Hello World class run by the same java with the launcher's flags (the floor
# any Java plugin pays). Also measured in the same run: the jar with the same flags but without the AppCDS archive,
# so the archive's share shows as a ratio too (docs/startup.md).
# Rounds are interleaved (each round runs every command once), so load from other work on the machine falls on all
# of them alike. Prints the median wall time, CPU time (user + system) and peak RSS of each and their ratios to the
# baseline, and keeps that in benchmarks/results/cli.txt (read by benchmarks/figures.sh).
# Usage: benchmarks/cli.sh [RUNS] (default 20)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
runs=${1:-20}
[ -f check-plugin/target/check_dynport.jar ] || mvn -B -q -pl check-plugin -am package -DskipTests
snapshot=check-plugin/src/test/resources/snapshots/exchange-foreign-holder-constructed.snapshot
# as bin/check_dynport (without its archive, which only fits the jar)
flags=(-Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:Tier3InvocationThreshold=2000
  -XX:Tier3MinInvocationThreshold=1000 -XX:Tier3CompileThreshold=20000 -Xshare:auto)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'public class Hello { public static void main(String[] a) { System.out.println("Hello"); } }\n' >"$work/Hello.java"
javac -d "$work" "$work/Hello.java"

labels=(hello snapshot json help snapshot-no-cds version)
# Wall and CPU from bash's time (millisecond resolution; GNU time's 10 ms steps are a third of the baseline), peak
# RSS from GNU time; each command is run directly (no extra shell in the measurement).
measure_once() { # LABEL: one run of that command, appended to $work/LABEL.times and $work/LABEL.rss
  local label=$1 cmd
  case $label in
    hello) cmd=(java "${flags[@]}" -cp "$work" Hello) ;;
    snapshot) cmd=(sh check-plugin/bin/check_dynport --snapshot "$snapshot") ;;
    json) cmd=(sh check-plugin/bin/check_dynport --snapshot "$snapshot" --format json) ;;
    help) cmd=(sh check-plugin/bin/check_dynport --help) ;;
    snapshot-no-cds) cmd=(java "${flags[@]}" -cp check-plugin/target/check_dynport.jar dev.dynport.check.cli.CheckDynport --snapshot "$snapshot") ;;
    version) cmd=(java "${flags[@]}" -version) ;;
  esac
  { TIMEFORMAT='%3R %3U %3S'; time /usr/bin/time -a -o "$work/$label.rss" -f "%M" "${cmd[@]}" >/dev/null 2>/dev/null; } \
    2>>"$work/$label.times" || true
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for _ in $(seq "$runs"); do
  for label in "${labels[@]}"; do
    measure_once "$label"
  done
done
for label in "${labels[@]}"; do
  grep -E '^[0-9.]+ [0-9.]+ [0-9.]+$' "$work/$label.times" | awk '{ print $1, $2 + $3 }' >"$work/v"
  printf '%s %s %s %s\n' "$label" "$(cut -d' ' -f1 "$work/v" | median)" "$(cut -d' ' -f2 "$work/v" | median)" \
    "$(grep -E '^[0-9]+$' "$work/$label.rss" | median)"
done >"$work/medians"

mkdir -p benchmarks/results
{
echo "run: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
echo "runs: $runs each, $(nproc) cores, $(java -version 2>&1 | head -1), archive $( [ -f check-plugin/target/check_dynport.jsa ] && echo present || echo MISSING)"
awk '
  BEGIN {
    what["hello"] = "baseline Hello World"; what["snapshot"] = "check_dynport --snapshot"
    what["json"] = "check_dynport --snapshot --format json"; what["help"] = "check_dynport --help"
    what["snapshot-no-cds"] = "java --snapshot, no AppCDS"; what["version"] = "java -version"
    target["snapshot"] = 2; target["json"] = 2.2; target["help"] = 1.3
  }
  { label[NR] = $1; w[NR] = $2; c[NR] = $3; m[NR] = $4 }
  $1 == "hello" { bw = $2; bc = $3; bm = $4 }
  END {
    for (i = 1; i <= NR; i++) {
      printf "%-40s: %5.3f s wall, %5.3f s CPU, %6d KB peak RSS; ratio wall %.2f, CPU %.2f, RSS %.2f", \
        what[label[i]], w[i], c[i], m[i], w[i] / bw, (bc > 0 ? c[i] / bc : 0), m[i] / bm
      if (label[i] in target) printf " (target %.1f)", target[label[i]]
      printf "\n"
    }
  }' "$work/medians"
} | tee benchmarks/results/cli.txt
