#!/usr/bin/env bash
# Builds the JMH benchmarks and runs them briefly (1 fork, few iterations), then prints, for each parser, its
# time per parse next to the baseline measured in the same run (lines + tokens of the same text) and the ratio.
# Usage: benchmarks/run.sh [extra JMH options, e.g. -p rows=5000]
# Environment: WARMUP (iterations, default 3), ITER (measurement iterations, default 5), SECONDS_PER_ITER (default 2).
# Keeps the run in benchmarks/results/ (jmh-result.csv from JMH, jmh.txt: the machine and the ratios below), from
# which benchmarks/figures.sh writes docs/figures.md: figures are copied by scripts, never typed in.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -B -q -pl benchmarks -am package -DskipTests
out="$root/benchmarks/target/jmh-result.csv"
java -jar benchmarks/target/benchmarks.jar ParserBenchmark \
  -f 1 -jvmArgs "-Xms1g -Xmx1g" -wi "${WARMUP:-3}" -w "${SECONDS_PER_ITER:-2}s" -i "${ITER:-5}" -r "${SECONDS_PER_ITER:-2}s" \
  -rf csv -rff "$out" "$@"
results="$root/benchmarks/results"
mkdir -p "$results"
cp "$out" "$results/jmh-result.csv"
{
echo "run: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown), $(java -version 2>&1 | head -1)"
echo "Ratios (parser / baseline on the same text; lower is better; error = 99.9% CI half-width from JMH):"
# JMH CSV columns: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit",params...
awk -F, '
  NR == 1 { next }
  {
    name = $1; gsub(/"/, "", name); sub(/.*\./, "", name)
    score[name] = $5; err[name] = ($6 == "NaN" ? 0 : $6); unit = $7; gsub(/"/, "", unit)
  }
  END {
    split("netstat exclusion tasklist", kinds, " ")
    for (k = 1; k <= 3; k++) {
      p = kinds[k] "Parse"; b = kinds[k] "Baseline"
      if (!(p in score) || !(b in score)) continue
      lo = score[p] - err[p]; if (lo < 0) lo = 0
      hi = score[b] - err[b]
      printf "%-10s parse %10.1f ± %-8.1f %s   baseline %9.1f ± %-8.1f %s   ratio %5.2f", \
        kinds[k], score[p], err[p], unit, score[b], err[b], unit, score[p] / score[b]
      if (hi > 0) printf "   (CI bounds %.2f-%.2f)\n", lo / (score[b] + err[b]), (score[p] + err[p]) / hi
      else printf "   (CI bounds %.2f-unbounded: baseline error exceeds its score)\n", lo / (score[b] + err[b])
    }
  }' "$results/jmh-result.csv"
} | tee "$results/jmh.txt"
