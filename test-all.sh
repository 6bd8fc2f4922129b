#!/usr/bin/env bash
# Runs every test of dynport: unit and integration tests (mvn verify), then each end-to-end script
# e2e/*/run.sh (real OpenSSH, Icinga 2, Nagios on 127.0.0.1; they install their Debian packages with apt-get
# and so need root). DYNPORT_SKIP_E2E=1 runs only the Maven tests.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v mvn >/dev/null 2>&1 || ! command -v javac >/dev/null 2>&1; then
  echo "test-all: installing Maven and a JDK (Debian packages)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven openjdk-17-jdk-headless >/dev/null
fi

mvn -B -ntp verify

if [ "${DYNPORT_SKIP_E2E:-0}" = 1 ]; then
  echo "test-all: end-to-end scripts skipped (DYNPORT_SKIP_E2E=1)"
  exit 0
fi
failed=()
for script in e2e/*/run.sh; do
  [ -f "$script" ] || continue
  echo "=== $script"
  start=$(date +%s)
  if bash "$script"; then
    echo "=== $script passed in $(( $(date +%s) - start )) s"
  else
    echo "=== $script FAILED after $(( $(date +%s) - start )) s"
    failed+=("$script")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "test-all: end-to-end failures: ${failed[*]}"
  exit 1
fi
echo "test-all: all tests passed"
