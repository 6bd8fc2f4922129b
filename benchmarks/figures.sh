#!/usr/bin/env bash
# Writes docs/figures.md from the files the test and benchmark scripts leave behind, so that no count or timing in
# the documentation is typed in by hand. Cheap (reads files, runs nothing); test-all.sh calls it after its run.
# Inputs, each optional (a missing one is named in the page instead of a figure):
#   */target/surefire-reports/TEST-*.xml, */target/failsafe-reports/TEST-*.xml   JUnit counts (after `mvn verify`;
#       after a run of single tests, or with reports of deleted test classes left in target/, the counts are wrong:
#       run it after a full `mvn -B -ntp verify` or ./test-all.sh)
#   benchmarks/results/test-all.txt   written by test-all.sh (durations of the Maven build and the whole run)
#   benchmarks/results/e2e.txt        written by test-all.sh when the e2e scripts ran (durations, reliability counts)
#   benchmarks/results/cli.txt        written by benchmarks/cli.sh
#   benchmarks/results/netstat-memory.txt  written by benchmarks/netstat-memory.sh
#   benchmarks/results/ssh.txt        written by benchmarks/ssh.sh
#   benchmarks/results/jmh-result.csv, jmh.txt   written by benchmarks/run.sh
#   benchmarks/results/agent-load.txt written by benchmarks/agent-load.sh
#   docs/fuzz-summary.txt             written by benchmarks/fuzz.sh
# Usage: benchmarks/figures.sh [OUTPUT] (default docs/figures.md)
# Backticks in single quotes are Markdown code spans, not command substitutions.
# shellcheck disable=SC2016
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out=${1:-docs/figures.md}
results=benchmarks/results
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

# Prints a file's lines as a fenced block, or says it is missing and which script writes it.
verbatim() { # FILE WRITER
  if [ -s "$1" ]; then
    printf 'Verbatim from `%s`:\n\n```\n' "$1"
    cat "$1"
    printf '```\n'
  else
    printf 'Not measured yet: `%s` is missing (written by %s).\n' "$1" "$2"
  fi
}

junit() {
  local reports
  reports=$(find . -path ./benchmarks/results -prune -o -type f \
    \( -path '*/target/surefire-reports/TEST-*.xml' -o -path '*/target/failsafe-reports/TEST-*.xml' \) -print |
    sort)
  if [ -z "$reports" ]; then
    echo 'Not measured yet: no `*/target/surefire-reports` or `*/target/failsafe-reports` (run `mvn -B -ntp verify`).'
    return
  fi
  local newest
  newest=$(xargs stat -c '%Y %n' <<<"$reports" | sort -n | tail -1 | cut -d' ' -f2-)
  echo "Counted from the Surefire/Failsafe XML reports of the last \`mvn verify\` in this tree (newest report"
  echo "written $(date -u -r "$newest" '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown))."
  echo
  echo '| module | unit tests (Surefire) | integration tests (Failsafe) | failed or in error | skipped |'
  echo '|---|---:|---:|---:|---:|'
  # One <testsuite ...> element per report file; its attributes carry the counts.
  while IFS= read -r f; do
    module=${f#./}; module=${module%%/target/*}
    kind=unit; case $f in *failsafe-reports*) kind=it ;; esac
    grep -o -m1 '<testsuite [^>]*>' "$f" | sed "s|^|$module $kind |"
  done <<<"$reports" | awk '
    function attr(s, name,   m) {
      if (match(s, " " name "=\"[0-9]+\"")) { m = substr(s, RSTART, RLENGTH); gsub(/[^0-9]/, "", m); return m + 0 }
      return 0
    }
    {
      mod = $1; kind = $2
      if (!(mod in seen)) { seen[mod] = 1; order[++n] = mod }
      t = attr($0, "tests"); count[mod, kind] += t; total[kind] += t
      bad[mod] += attr($0, "failures") + attr($0, "errors"); skip[mod] += attr($0, "skipped")
      allbad += attr($0, "failures") + attr($0, "errors"); allskip += attr($0, "skipped")
    }
    END {
      for (i = 1; i <= n; i++) {
        m = order[i]
        printf "| %s | %d | %d | %d | %d |\n", m, count[m, "unit"], count[m, "it"], bad[m], skip[m]
      }
      printf "| **all** (%d) | %d | %d | %d | %d |\n", total["unit"] + total["it"], total["unit"], total["it"], allbad, allskip
    }'
}

cli() {
  local f=$results/cli.txt
  if [ ! -s "$f" ]; then
    printf 'Not measured yet: `%s` is missing (written by `benchmarks/cli.sh`).\n' "$f"
    return
  fi
  echo "From \`$f\` (\`benchmarks/cli.sh\`: medians of its interleaved runs through \`bin/check_dynport\`; baseline is a Hello"
  echo "World run by the same java with the launcher's flags, measured in the same run; where the time goes:"
  echo "[startup.md](startup.md)). Run: $(sed -n 's/^run: //p' "$f")."
  echo
  echo '| what | wall | CPU | peak RSS | wall ratio | CPU ratio | RSS ratio | target (wall and CPU) |'
  echo '|---|---:|---:|---:|---:|---:|---:|---:|'
  # Lines: "WHAT : W s wall, C s CPU, M KB peak RSS; ratio wall RW, CPU RC, RSS RM [(target T)]"
  awk -F' *: ' '
    /^runs:/ { sub(/^runs: /, ""); info = $0; next }
    NF == 2 && / s wall, / {
      n = split($2, v, /[ ,;()]+/)
      t = ($2 ~ /target/) ? "<= " v[n - 1] "x" : ""
      printf "| `%s` | %s s | %s s | %d MB | %s | %s | %s | %s |\n", $1, v[1], v[4], v[7] / 1024, v[13], v[15], v[17], t
    }
    END { print ""; print "Runs: " info "." }' "$f"
}

jmh() {
  local csv=$results/jmh-result.csv txt=$results/jmh.txt
  if [ ! -s "$csv" ]; then
    printf 'Not measured yet: `%s` is missing (written by `benchmarks/run.sh`).\n' "$csv"
    return
  fi
  echo "From \`$csv\` (\`benchmarks/run.sh\`; inputs and method: [benchmarks.md](benchmarks.md)).
$( [ -s "$txt" ] && sed -n 's/^run: /Run: /p' "$txt").
The error is JMH's 99.9% confidence half-width; on a shared machine it can be as wide as the score."
  echo
  echo '| text | parse (µs/op) | baseline (µs/op) | ratio |'
  echo '|---|---:|---:|---:|'
  # JMH CSV columns: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit",params...
  awk -F, '
    NR == 1 { next }
    { name = $1; gsub(/"/, "", name); sub(/.*\./, "", name); score[name] = $5; err[name] = ($6 == "NaN" ? 0 : $6) }
    END {
      split("netstat exclusion tasklist", kinds, " ")
      text["netstat"] = "`netstat -ano`, 20,000 TCP rows"; text["exclusion"] = "exclusions, 5,000 rows"
      text["tasklist"] = "`tasklist`, 2,000 processes"
      for (k = 1; k <= 3; k++) {
        p = kinds[k] "Parse"; b = kinds[k] "Baseline"
        if (!(p in score) || !(b in score)) continue
        printf "| %s | %.0f ± %.0f | %.0f ± %.0f | %.1f |\n", text[kinds[k]], score[p], err[p], score[b], err[b], score[p] / score[b]
      }
    }' "$csv"
}

agent_load() {
  local f=$results/agent-load.txt
  if [ ! -s "$f" ]; then
    printf 'Not measured yet: `%s` is missing (written by `benchmarks/agent-load.sh`).\n' "$f"
    return
  fi
  echo "From \`$f\` (\`benchmarks/agent-load.sh\`: the real agent under its launcher, snapshot targets plus an SSH"
  echo "share against private OpenSSH sshd ports on 127.0.0.1 (the e2e's stand-in Windows host), spool with fsync and a"
  echo "jsonl sink; what each column means is in the script's header). Run: $(sed -n 's/^run: //p' "$f")."
  echo
  sed -n 's/^machine: /Machine: /p; s/^jvm: /JVM: /p' "$f" | sed 's/$/./'
  echo
  echo '```'
  sed -n '/^setup: /,/^$/p' "$f" | sed '/^$/d'
  echo '```'
  echo
  grep '^|' "$f"
  echo
  sed -n 's/^ratios/Ratios/p' "$f"
  echo
  sed -n 's/^split: /Split: /p' "$f"
  echo
  echo 'CPU per probe includes what the JVM does while idle (timers, GC, JIT compilation), which dominates at 10'
  echo 'targets; the column "agent CPU % of one core" shows the total. "due" is targets x window / mean period, so a'
  echo 'schedule kept shows as about 100%; probes piling up behind the slots would show below it, and as skipped ticks.'
  echo 'How long a probe waited for a slot within its interval is not measured (the agent has no metric for it).'
  echo 'The agent counts probes per target but not CPU per probe, so the split by type comes from two runs of the'
  echo 'same size (snapshot targets only, and mixed) on a shared machine: read it as an estimate. The sshd side (sshd,'
  echo 'its session processes, the login shell and the stand-in programs, which are bash scripts here rather than'
  echo 'Windows programs) is measured apart and is not the agent'"'"'s cost.'
}

fuzz() {
  local f=docs/fuzz-summary.txt
  if [ ! -s "$f" ]; then
    printf 'Not measured yet: `%s` is missing (written by `benchmarks/fuzz.sh`).\n' "$f"
    return
  fi
  echo "From [fuzz-summary.txt](fuzz-summary.txt) (\`benchmarks/fuzz.sh\`; what it mutates and how it judges:"
  echo "[reliability.md](reliability.md)). $(head -1 "$f" | sed 's/^(written/Written/; s/)$//; s/  */ /g')."
  echo
  echo '```'
  grep -E '^(dynport fuzz campaign|wrong OKs|internal errors|stalls|over-strict|wrong alarms|slowest input)' "$f"
  echo '```'
}

{
  echo '# Measured figures'
  echo
  echo '<!-- Generated by benchmarks/figures.sh; edit that script or re-run the measuring scripts, not this page. -->'
  echo
  echo 'Every figure here is copied by `benchmarks/figures.sh` from a file a script wrote; each section names its'
  echo 'file and when it was written. The build machine has 2 cores and is often shared with other builds, so'
  echo 'ratios (against a baseline measured in the same run) say more than absolute times.'
  echo
  echo '## Tests'
  echo
  junit
  echo
  echo '## Full test run (`./test-all.sh`)'
  echo
  verbatim "$results/test-all.txt" '`./test-all.sh`'
  echo
  echo '## End-to-end scripts'
  echo
  echo 'Durations of `e2e/*/run.sh` and the counts `e2e/reliability/run.sh` prints (what they mean:'
  echo '[reliability.md](reliability.md)).'
  echo
  verbatim "$results/e2e.txt" '`./test-all.sh` when the e2e scripts run'
  echo
  echo '## One check run'
  echo
  cli
  echo
  echo '## One check over SSH'
  echo
  echo 'Whole-process wall time of `check_dynport -H` against OpenSSH `ssh` running the same capture line with the same'
  echo 'key on a private sshd on 127.0.0.1 (the e2e stand-in Windows programs), alternating, medians of the same run'
  echo '(`benchmarks/ssh.sh`; target: `ssh` + 150 ms).'
  echo
  verbatim "$results/ssh.txt" '`benchmarks/ssh.sh` (as root)'
  echo
  echo '## Netstat of a busy server'
  echo
  echo 'Whole-process wall time and peak RSS of `check_dynport --snapshot` through `bin/check_dynport` on constructed'
  echo 'snapshots with N netstat rows, as ratios to `java -version` with the same flags in the same run'
  echo '(`benchmarks/netstat-memory.sh`).'
  echo
  verbatim "$results/netstat-memory.txt" '`benchmarks/netstat-memory.sh`'
  echo
  echo '## Parsers'
  echo
  jmh
  echo
  echo '## Fuzz campaign'
  echo
  fuzz
  echo
  echo '## Agent'
  echo
  echo '### Load: 10 to 1,000 targets'
  echo
  agent_load
  echo
  echo '### Spool and delivery'
  echo
  echo 'Spool and delivery timings were measured by hand and are kept with their method in'
  echo '[agent-delivery.md](agent-delivery.md#measured-2-vcpu-vm-ext4-on-virtio-disk-jdk-17) and'
  echo '[agent.md](agent.md#measured-debian-12-openjdk-17-2-cores).'
} >"$tmp"
mv "$tmp" "$out"
trap - EXIT
echo "figures: wrote $out"
