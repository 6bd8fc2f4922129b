#!/usr/bin/env bash
# Times one check over SSH against OpenSSH's own `ssh` running the same capture line with the same key and host,
# in the same run: a private sshd on a free port of 127.0.0.1 with a throw-away account whose login shell puts the
# e2e's stand-in Windows programs first on PATH (e2e/openssh/sshd-lib.sh, shared with e2e/openssh/run.sh; here with
# one ed25519 key).
# Rounds alternate the two (ssh, then check_dynport) so that load on the machine falls on both alike.
# Writes benchmarks/results/ssh.txt (read by benchmarks/figures.sh): median wall of each, the difference in ms
# (target: check_dynport <= ssh + 150 ms, issue 12) and the ratio. Run as root (useradd, sshd) on Debian 12.
# Usage: benchmarks/ssh.sh [RUNS] (default 20)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
runs=${1:-20}
launcher=$root/check-plugin/bin/check_dynport
# shellcheck source=e2e/lib.sh
. "$root/e2e/lib.sh" # apt_install, free_port
# shellcheck source=e2e/openssh/sshd-lib.sh
. "$root/e2e/openssh/sshd-lib.sh" # winhost_account, sshd_start
log() { echo "benchmarks/ssh: $*"; }
fail() { echo "benchmarks/ssh: FAIL: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "needs root (useradd, sshd)"
[ -f check-plugin/target/check_dynport.jar ] || mvn -B -q -ntp -pl check-plugin -am package -DskipTests

account=dynport-bench-$$
state=$(mktemp -d /tmp/dynport-bench-ssh.XXXXXXXX)
SSHD_PID=
cleanup() {
  if [ -n "$SSHD_PID" ] && kill -0 "$SSHD_PID" 2>/dev/null; then kill "$SSHD_PID" 2>/dev/null || true; fi
  if id "$account" >/dev/null 2>&1; then userdel -r -f "$account" >/dev/null 2>&1 || true; fi
  rm -rf "$state"
}
trap cleanup EXIT
apt_install openssh-server openssh-client

mkdir -p "$state/client"
chmod 700 "$state/client"
ssh-keygen -q -t ed25519 -N '' -C dynport-bench-host -f "$state/ssh_host_ed25519_key"
ssh-keygen -q -t ed25519 -N '' -C dynport-bench-test-only -f "$state/client/id_ed25519"
winhost_account "$state" "$account" "dynport benchmark, throw-away" "$state/client/id_ed25519.pub"
port= # set by free_port
free_port port
sshd_start "$state/sshd" "$account" INFO "$port"
ssh-keyscan -p "$port" -t ed25519 127.0.0.1 2>/dev/null >"$state/known_hosts"
[ -s "$state/known_hosts" ] || fail "ssh-keyscan wrote nothing"

# The capture line exactly as check_dynport sends it, printed by the core's own code.
cat >"$state/Line.java" <<'EOF'
public class Line {
    public static void main(String[] a) {
        System.out.print(dev.dynport.check.acquire.CaptureCommand.sshCommandLine());
    }
}
EOF
line=$(java -cp check-plugin/target/check_dynport.jar "$state/Line.java")
[ -n "$line" ] || fail "no capture line"

ssh_cmd=(ssh -T -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$state/known_hosts"
  -o GlobalKnownHostsFile=/dev/null -o IdentitiesOnly=yes -F /dev/null -i "$state/client/id_ed25519"
  -p "$port" -l "$account" 127.0.0.1 "$line")
dyn_cmd=(sh "$launcher" -t 20 -H 127.0.0.1 -p "$port" -l "$account" -i "$state/client/id_ed25519"
  --known-hosts "$state/known_hosts")
# both must have worked before timing counts: ssh exits 0, the check gives a verdict other than UNKNOWN
"${ssh_cmd[@]}" </dev/null >"$state/ssh.out" || fail "ssh failed: $(tail -n 3 "$state/ssh.out")"
set +e; "${dyn_cmd[@]}" >"$state/dyn.out" 2>&1; rc=$?; set -e
[ "$rc" != 3 ] || fail "check_dynport over SSH is UNKNOWN: $(head -n 1 "$state/dyn.out")"
log "check_dynport verdict: exit $rc, $(head -n 1 "$state/dyn.out")"

wall() { # CMD...: wall seconds of one run, from bash's time (millisecond resolution)
  local TIMEFORMAT='%3R'
  { time "$@" </dev/null >/dev/null 2>&1; } 2>&1 | tail -n 1
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
: >"$state/ssh.t"; : >"$state/dyn.t"
for _ in $(seq "$runs"); do
  wall "${ssh_cmd[@]}" >>"$state/ssh.t" || true
  wall "${dyn_cmd[@]}" >>"$state/dyn.t" || true
done
s=$(median <"$state/ssh.t")
d=$(median <"$state/dyn.t")

mkdir -p benchmarks/results
{
  echo "run: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
  echo "runs: $runs each, alternating, $(nproc) cores, $(java -version 2>&1 | head -1), $(ssh -V 2>&1), sshd on 127.0.0.1, ed25519 key"
  awk -v s="$s" -v d="$d" 'BEGIN {
    printf "%-40s: %5.3f s wall (median)\n", "baseline OpenSSH ssh, same capture line", s
    printf "%-40s: %5.3f s wall (median)\n", "check_dynport -H", d
    printf "difference: %+d ms (target <= +150 ms: %s), ratio %.2f\n", (d - s) * 1000 + 0.5 * ((d >= s) ? 1 : -1), \
      ((d - s) * 1000 <= 150 ? "met" : "NOT met"), d / s
  }'
} | tee benchmarks/results/ssh.txt
