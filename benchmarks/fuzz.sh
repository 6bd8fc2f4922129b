#!/usr/bin/env bash
# Runs the fuzz campaign of check_dynport (the Maven profile "fuzz" of check-plugin) and prints its summary:
# inputs, wrong OKs, internal errors, stalls, product UNKNOWN where the reference read the input, the slowest
# input, per-operator counts, and keeps them in docs/fuzz-summary.txt (read by benchmarks/figures.sh). Failing
# inputs are in check-plugin/target/fuzz/, each reproducible from (seed, index).
# Usage: benchmarks/fuzz.sh [INPUTS] [SEED]   (default 1000000 inputs, seed 1). Exit code: Maven's (non-zero when
# any input gave a wrong OK or an internal error).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
inputs=${1:-1000000}
seed=${2:-1}
log=$(mktemp)
start=$(date +%s)
mvn -B -ntp -pl check-plugin -am -Pfuzz verify -Dfuzz.inputs="$inputs" -Dfuzz.seed="$seed" >"$log" 2>&1
code=$?
secs=$(( $(date +%s) - start ))
echo "fuzz: $inputs inputs, seed $seed, $secs s with the build, $(nproc) cores, $(java -version 2>&1 | head -1)"
if [ -f check-plugin/target/fuzz/summary.txt ]; then
  { echo "(written by benchmarks/fuzz.sh $inputs $seed on $(date -u +%F), $(nproc) cores, $(java -version 2>&1 | head -1 | sed 's/.*version "\(.*\)".*/OpenJDK \1/'); $secs s with the build)"
    cat check-plugin/target/fuzz/summary.txt; } | tee docs/fuzz-summary.txt
else
  tail -n 40 "$log"
fi
[ "$code" = 0 ] || echo "fuzz: Maven exited $code (full log: $log)"
[ "$code" = 0 ] && rm -f "$log"
exit "$code"
