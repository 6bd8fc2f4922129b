#!/usr/bin/env bash
# Runs every test of dynport: unit and integration tests (mvn verify), then each end-to-end script
# e2e/*/run.sh (real OpenSSH, Icinga 2, Nagios on 127.0.0.1; they install their Debian packages with apt-get
# and so need root). DYNPORT_SKIP_E2E=1 runs only the Maven tests.
# Afterwards benchmarks/figures.sh writes docs/figures.md (test counts, durations) from the reports and from
# benchmarks/results/test-all.txt and e2e.txt, which this script writes: figures are never typed in by hand.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v mvn >/dev/null 2>&1 || ! command -v javac >/dev/null 2>&1; then
  echo "test-all: installing Maven and a JDK (Debian packages)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven openjdk-17-jdk-headless >/dev/null
fi

results=benchmarks/results
mkdir -p "$results"
run_info="run: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores"
start_all=$(date +%s)
mvn -B -ntp verify
mvn_secs=$(( $(date +%s) - start_all ))

figures() { # TOTAL_SECONDS
  {
    echo "$run_info"
    echo "mvn -B -ntp verify: $mvn_secs s"
    echo "test-all.sh in total: $1 s${DYNPORT_SKIP_E2E:+ (DYNPORT_SKIP_E2E=$DYNPORT_SKIP_E2E)}"
  } >"$results/test-all.txt"
  benchmarks/figures.sh || echo "test-all: docs/figures.md not written (benchmarks/figures.sh failed)"
}

if [ "${DYNPORT_SKIP_E2E:-0}" = 1 ]; then
  echo "test-all: end-to-end scripts skipped (DYNPORT_SKIP_E2E=1)"
  figures $(( $(date +%s) - start_all ))
  exit 0
fi
failed=()
e2e_log=$(mktemp)
echo "$run_info" >"$results/e2e.txt.new"
for script in e2e/*/run.sh; do
  [ -f "$script" ] || continue
  echo "=== $script"
  start=$(date +%s)
  # The output is kept for the counts some scripts print (reliability: ..., full-disk: ...).
  if bash "$script" 2>&1 | tee "$e2e_log"; then
    echo "=== $script passed in $(( $(date +%s) - start )) s" | tee -a "$results/e2e.txt.new"
  else
    echo "=== $script FAILED after $(( $(date +%s) - start )) s" | tee -a "$results/e2e.txt.new"
    failed+=("$script")
  fi
  grep -E '^(reliability|full-disk): ' "$e2e_log" >>"$results/e2e.txt.new" || true
done
rm -f "$e2e_log"
mv "$results/e2e.txt.new" "$results/e2e.txt"
figures $(( $(date +%s) - start_all ))
if [ ${#failed[@]} -gt 0 ]; then
  echo "test-all: end-to-end failures: ${failed[*]}"
  exit 1
fi
echo "test-all: all tests passed"
