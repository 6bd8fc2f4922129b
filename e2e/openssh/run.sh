#!/usr/bin/env bash
# End-to-end test of check_dynport -H against Debian's real OpenSSH server on 127.0.0.1.
#
# Starts its own sshd (own config, host keys, port and pid file; a system sshd is not touched), with a
# throw-away account whose login shell puts fake Windows programs (cmd, chcp, netsh, netstat, tasklist, sc.exe; see
# winbin/) first on PATH; they print real captured outputs (outputs/). Then it runs the built launcher
# check-plugin/bin/check_dynport over SSH and on a snapshot of the same outputs and asserts:
#   - the same exit code and the same output (origin names aside), and not UNKNOWN;
#   - --save-snapshot kept exactly the bytes the host printed;
#   - ed25519, RSA (rsa-sha2) and passphrase-protected ed25519 keys made by ssh-keygen; plain and hashed
#     known_hosts from ssh-keyscan; unknown and changed host keys refused with the fingerprint, before any
#     authentication; --accept-new-host-key writing the key;
#   - the algorithms negotiated, read from sshd's debug log: curve25519/sntrup/mlkem key exchange,
#     ssh-ed25519 or rsa-sha2-* host key signatures, rsa-sha2-* user signatures (never SHA-1 ssh-rsa).
#   - the OpenSSH server host itself as a Linux target (--platform linux): a listener of the account inside
#     ip_local_port_range is exposed with its owner named, sshd's root-owned listener is UNKNOWN for the account,
#     and the saved snapshot and root's --local agree.
# Run as root (useradd, sshd) on Debian 12; installs openssh-server if missing; idempotent; cleans up.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LAUNCHER=$ROOT/check-plugin/bin/check_dynport
JAR=$ROOT/check-plugin/target/check_dynport.jar
# shellcheck source=e2e/lib.sh
. "$ROOT/e2e/lib.sh" # apt_install, free_port; log and fail are this script's own (below)
# shellcheck source=e2e/openssh/sshd-lib.sh
. "$HERE/sshd-lib.sh" # winhost_account, sshd_start
# Account, folder and port are this run's own: a second run at once (or its cleanup) must not touch them.
ACCOUNT=dynport-e2e-$$
STATE=$(mktemp -d /tmp/dynport-e2e-openssh.XXXXXXXX)
SSHD_PID=
JPID=

log() { echo "e2e/openssh: $*"; }
fail() {
  echo "e2e/openssh: FAIL: $*" >&2
  if [ -f "$STATE/sshd.log" ]; then
    echo "e2e/openssh: last lines of sshd's log:" >&2
    tail -n 20 "$STATE/sshd.log" >&2
  fi
  exit 1
}

stop_sshd() {
  local pid=$1
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
}

cleanup() {
  stop_sshd "$SSHD_PID"
  if [ -n "$JPID" ]; then kill "$JPID" 2>/dev/null || true; fi
  if id "$ACCOUNT" >/dev/null 2>&1; then userdel -r -f "$ACCOUNT" >/dev/null 2>&1 || true; fi
  rm -rf "$STATE"
}

[ "$(id -u)" = 0 ] || fail "needs root (useradd, sshd)"

# --- leftovers of interrupted earlier runs (account dynport-e2e-PID whose run is gone): their sshd (by the pid it
# recorded), account and folder. Accounts of runs still going are left alone.
while IFS=: read -r name _ _ _ _ home _; do
  [[ $name =~ ^dynport-e2e-([0-9]+)$ ]] || continue
  kill -0 "${BASH_REMATCH[1]}" 2>/dev/null && continue
  old=$(dirname "$home")
  if [ -f "$old/sshd.pid" ] && grep -q "$old/sshd_config" "/proc/$(cat "$old/sshd.pid")/cmdline" 2>/dev/null; then
    stop_sshd "$(cat "$old/sshd.pid")"
  fi
  log "removing the account $name of an interrupted run"
  userdel -r -f "$name" >/dev/null 2>&1 || true
  case $old in /tmp/dynport-e2e-openssh.*) rm -rf "$old" ;; esac
done < <(getent passwd)
trap cleanup EXIT

# --- packages: openssh-server (and with it ssh-keygen, ssh-keyscan); its own service must not start
# (apt_install: policy-rc.d during the install, and on a systemd host ssh.service/ssh.socket disabled after it)
apt_install openssh-server openssh-client iproute2 # iproute2: ss, for the Linux-target part
if [ ! -f "$JAR" ]; then
  if ! command -v mvn >/dev/null 2>&1 || ! command -v javac >/dev/null 2>&1; then
    apt_install maven openjdk-17-jdk-headless
  fi
  log "building check_dynport.jar"
  (cd "$ROOT" && mvn -B -q -ntp -DskipTests package)
fi
[ -x "$LAUNCHER" ] || fail "launcher missing [$LAUNCHER]"
[ -f "$JAR" ] || fail "jar missing [$JAR]"

# --- keys: server host keys, client keys (ed25519, RSA 3072, passphrase-protected ed25519), all test-only
mkdir -p "$STATE/client"
chmod 700 "$STATE/client"
ssh-keygen -q -t ed25519 -N '' -C dynport-e2e-host -f "$STATE/ssh_host_ed25519_key"
ssh-keygen -q -t rsa -b 3072 -N '' -C dynport-e2e-host -f "$STATE/ssh_host_rsa_key"
ssh-keygen -q -t ed25519 -N '' -C dynport-e2e-test-only -f "$STATE/client/id_ed25519"
ssh-keygen -q -t rsa -b 3072 -N '' -C dynport-e2e-test-only -f "$STATE/client/id_rsa"
printf 'e2e passphrase, test only\n' > "$STATE/client/passphrase"
ssh-keygen -q -t ed25519 -N 'e2e passphrase, test only' -C dynport-e2e-test-only -f "$STATE/client/id_ed25519_enc"
ssh-keygen -q -t ed25519 -N '' -C impostor -f "$STATE/client/impostor_host_key"

# --- the fake Windows host (programs, outputs, login shell, account) and our own sshd on a free port of 127.0.0.1
winhost_account "$STATE" "$ACCOUNT" "dynport e2e, throw-away" "$STATE/client/"id_*.pub
PORT= # set by free_port
free_port PORT
sshd_start "$STATE/sshd" "$ACCOUNT" DEBUG2 "$PORT"
log "sshd $(/usr/sbin/sshd -V 2>&1 | head -n 1) on 127.0.0.1:$PORT (pid $SSHD_PID)"

# --- known_hosts the way an operator makes them
ssh-keyscan -p "$PORT" -t ed25519 127.0.0.1 2>/dev/null > "$STATE/known_hosts_ed25519"
ssh-keyscan -p "$PORT" -t rsa 127.0.0.1 2>/dev/null > "$STATE/known_hosts_rsa"
ssh-keyscan -H -p "$PORT" -t ed25519 127.0.0.1 2>/dev/null > "$STATE/known_hosts_hashed"
: > "$STATE/known_hosts_empty"
echo "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$STATE/client/impostor_host_key.pub")" > "$STATE/known_hosts_changed"
for f in ed25519 rsa hashed; do
  [ -s "$STATE/known_hosts_$f" ] || fail "ssh-keyscan wrote nothing for $f"
done

# --- the snapshot of the same outputs, made without SSH: marker line, then what the program prints
SECTIONS=(
  "capture-info|powershell -NoProfile -NonInteractive -InputFormat None -Command hostname;Get-Date -Format o;[Environment]::OSVersion.VersionString"
  "netsh-dynamicport-tcp-ipv4|netsh int ipv4 show dynamicport tcp"
  "netsh-dynamicport-tcp-ipv6|netsh int ipv6 show dynamicport tcp"
  "netsh-excludedportrange-tcp-ipv4|netsh int ipv4 show excludedportrange protocol=tcp"
  "netsh-excludedportrange-tcp-ipv6|netsh int ipv6 show excludedportrange protocol=tcp"
  "netstat-ano|netstat -ano"
  "tasklist-svc-csv|tasklist /svc /fo csv /nh"
  "sc-qc-msexchangepop3be|sc.exe qc MSExchangePOP3BE"
  "sc-queryex-msexchangepop3be|sc.exe queryex MSExchangePOP3BE"
  "sc-qc-msexchangeimap4be|sc.exe qc MSExchangeIMAP4BE"
  "sc-queryex-msexchangeimap4be|sc.exe queryex MSExchangeIMAP4BE"
)
{
  for s in "${SECTIONS[@]}"; do
    name=${s%%|*}
    read -r -a argv <<< "${s#*|}"
    printf '#@section %s\r\n' "$name"
    # sc.exe exits non-zero for the service that is not installed, as on Windows; its output is the section
    "$STATE/win/winbin/${argv[0]}" "${argv[@]:1}" || true
  done
} > "$STATE/expected.snapshot"

# --- runs
RC=0
OUT=
run() {
  set +e
  OUT=$("$LAUNCHER" -t 20 "$@" 2>"$STATE/stderr.txt")
  RC=$?
  set -e
}
normalize() {
  sed -e "s#ssh://$ACCOUNT@127.0.0.1:$PORT#ORIGIN#g" -e "s#$ACCOUNT@127.0.0.1:$PORT#ORIGIN#g" \
      -e "s#$STATE/expected.snapshot#ORIGIN#g"
}
accepted() { grep -c "Accepted publickey for $ACCOUNT" "$STATE/sshd.log" || true; }
SSH=(-H 127.0.0.1 -p "$PORT" -l "$ACCOUNT")

run --snapshot "$STATE/expected.snapshot"
SNAP_RC=$RC
SNAP_OUT=$(printf '%s\n' "$OUT" | normalize)
log "snapshot verdict: exit $SNAP_RC, $(printf '%s\n' "$OUT" | head -n 1)"
[ "$SNAP_RC" != 3 ] || fail "the snapshot of the fake outputs is UNKNOWN: $OUT"

start=$(date +%s%N)
run "${SSH[@]}" -i "$STATE/client/id_ed25519" --known-hosts "$STATE/known_hosts_ed25519" \
    --save-snapshot "$STATE/saved.snapshot"
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
log "ssh ed25519 verdict: exit $RC in ${elapsed_ms} ms, $(printf '%s\n' "$OUT" | head -n 1)"
[ "$RC" = "$SNAP_RC" ] || fail "exit over SSH [$RC] differs from the snapshot's [$SNAP_RC]: $OUT"
[ "$(printf '%s\n' "$OUT" | normalize)" = "$SNAP_OUT" ] || {
  diff <(printf '%s\n' "$SNAP_OUT") <(printf '%s\n' "$OUT" | normalize) >&2 || true
  fail "output over SSH differs from the snapshot's"
}
cmp "$STATE/saved.snapshot" "$STATE/expected.snapshot" || fail "--save-snapshot differs from what the host printed"
printf '%s\n' "$OUT" | grep -qx "Captured: EXCH01 at 2024-05-02T12:03:07Z (host offset +02:00), Windows 10.0.17763.0" \
  || fail "no capture info line in the output over SSH: $OUT"

# --- freshness and identity: the fake host's capture-info is fixed in 2024, so any --max-age of days is past it
run "${SSH[@]}" -i "$STATE/client/id_ed25519" --known-hosts "$STATE/known_hosts_ed25519" --expect-host exch01.example.org
[ "$RC" = "$SNAP_RC" ] || fail "--expect-host of the right host changed the verdict: exit [$RC]: $OUT"
run "${SSH[@]}" -i "$STATE/client/id_ed25519" --known-hosts "$STATE/known_hosts_ed25519" --expect-host EXCH02
[ "$RC" = 3 ] || fail "--expect-host of another host: exit [$RC], expected 3: $OUT"
printf '%s\n' "$OUT" | head -n 1 | grep -q "snapshot is from host \[EXCH01\], expected \[EXCH02\]" \
  || fail "--expect-host of another host does not name both: $OUT"
run --snapshot "$STATE/saved.snapshot" --max-age 7d
[ "$RC" = 3 ] || fail "--max-age 7d on a 2024 capture: exit [$RC], expected 3: $OUT"
printf '%s\n' "$OUT" | head -n 1 | grep -q "snapshot is stale: captured 2024-05-02T12:03:07Z" \
  || fail "--max-age does not name the capture time: $OUT"
log "freshness: wrong host and stale capture are UNKNOWN, the right host keeps exit $SNAP_RC"
log "--save-snapshot kept $(wc -c < "$STATE/saved.snapshot") bytes exactly"
# the IMAP4 back-end is not installed: sc.exe, the last command, exits non-zero, and the capture still succeeds
grep -q "^\[SC\] EnumQueryServicesStatus:OpenService FAILED 1060:" "$STATE/saved.snapshot" \
  || fail "no sc.exe queryex failure for MSExchangeIMAP4BE in the saved snapshot"
log "sc.exe sections captured; a service that is not installed (sc exit status non-zero) did not fail the capture"
grep -q "kex: algorithm: \(curve25519-sha256\|curve25519-sha256@libssh.org\|sntrup761x25519-sha512@openssh.com\|mlkem768x25519-sha256\)" \
  "$STATE/sshd.log" || fail "key exchange is not curve25519/sntrup761/mlkem768"
grep -q "kex: host key algorithm: ssh-ed25519" "$STATE/sshd.log" || fail "host key algorithm is not ssh-ed25519"
log "negotiated: $(grep -o 'kex: algorithm: [^ ]*' "$STATE/sshd.log" | tail -n 1), $(grep -o 'kex: host key algorithm: [^ ]*' "$STATE/sshd.log" | tail -n 1)"

lines_before=$(wc -l < "$STATE/sshd.log")
run "${SSH[@]}" -i "$STATE/client/id_rsa" --known-hosts "$STATE/known_hosts_rsa"
[ "$RC" = "$SNAP_RC" ] || fail "RSA key, RSA host key: exit [$RC], expected [$SNAP_RC]: $OUT"
[ "$(printf '%s\n' "$OUT" | normalize)" = "$SNAP_OUT" ] || fail "RSA run: output differs from the snapshot's"
tail -n +"$((lines_before + 1))" "$STATE/sshd.log" > "$STATE/sshd-rsa.log"
grep -q "kex: host key algorithm: rsa-sha2-\(256\|512\)" "$STATE/sshd-rsa.log" || fail "RSA host key not signed with rsa-sha2"
grep -q "Accepted publickey for $ACCOUNT .*ssh2: RSA" "$STATE/sshd-rsa.log" || fail "RSA user key not accepted"
USER_SIG=$(grep -Eo "userauth_pubkey: valid user $ACCOUNT attempting public key [^ ]+" "$STATE/sshd-rsa.log" | awk '{print $NF}' | sort -u)
[ "$USER_SIG" = rsa-sha2-512 ] || [ "$USER_SIG" = rsa-sha2-256 ] || fail "RSA user key signed with [$USER_SIG], not rsa-sha2"
if grep -Eq "userauth_pubkey: .*(public key|pkalg) ssh-rsa " "$STATE/sshd-rsa.log"; then fail "SHA-1 ssh-rsa signature offered"; fi
log "RSA: $(grep -o 'kex: host key algorithm: [^ ]*' "$STATE/sshd-rsa.log" | tail -n 1), user key signature $USER_SIG"

run "${SSH[@]}" -i "$STATE/client/id_ed25519_enc" --identity-passphrase-file "$STATE/client/passphrase" \
    --known-hosts "$STATE/known_hosts_hashed"
[ "$RC" = "$SNAP_RC" ] || fail "passphrase key, hashed known_hosts: exit [$RC]: $OUT"
log "passphrase-protected ed25519 key and hashed known_hosts: exit $RC"

FP=$(ssh-keygen -lf "$STATE/ssh_host_ed25519_key.pub" | cut -d' ' -f2)
before=$(accepted)
run "${SSH[@]}" -i "$STATE/client/id_ed25519" --known-hosts "$STATE/known_hosts_empty"
[ "$RC" = 3 ] || fail "unknown host key: exit [$RC], expected 3: $OUT"
printf '%s\n' "$OUT" | head -n 1 | grep -q "host key not known: server sent ssh-ed25519 key $FP" \
  || fail "unknown host key: no fingerprint [$FP] in: $OUT"
run "${SSH[@]}" -i "$STATE/client/id_ed25519" --known-hosts "$STATE/known_hosts_changed" --accept-new-host-key
[ "$RC" = 3 ] || fail "changed host key: exit [$RC], expected 3: $OUT"
printf '%s\n' "$OUT" | head -n 1 | grep -q "HOST KEY CHANGED, not connecting: server sent ssh-ed25519 key $FP" \
  || fail "changed host key: message: $OUT"
[ "$(accepted)" = "$before" ] || fail "a refused host key still led to an authentication"
[ "$(cat "$STATE/known_hosts_changed")" = "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$STATE/client/impostor_host_key.pub")" ] \
  || fail "a changed host key rewrote known_hosts"
log "unknown and changed host keys refused with $FP, no authentication attempted"

run "${SSH[@]}" -i "$STATE/client/id_ed25519" --known-hosts "$STATE/new/known_hosts" --accept-new-host-key
[ "$RC" = "$SNAP_RC" ] || fail "--accept-new-host-key: exit [$RC]: $OUT"
[ "$(cat "$STATE/new/known_hosts")" = "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$STATE/ssh_host_ed25519_key.pub")" ] \
  || fail "--accept-new-host-key wrote: $(cat "$STATE/new/known_hosts")"
run "${SSH[@]}" -i "$STATE/client/id_ed25519" --known-hosts "$STATE/new/known_hosts"
[ "$RC" = "$SNAP_RC" ] || fail "strict run against the accepted key: exit [$RC]: $OUT"
log "--accept-new-host-key wrote the key ssh-keyscan sees; the next strict run verified against it"

# --- the OpenSSH server host itself as a Linux target (--platform linux): the same account, whose login shell runs
# the capture's /bin/sh line; its ss (not root) names only the account's own processes. A listener of the account
# (java, inside ip_local_port_range) is exposed with its owner named; sshd's own listener (root's, outside the
# range) has an owner ss cannot name as this account: UNKNOWN, never OK. Root's --local names both.
in_reserved() { # PORT: whether the host's ip_local_reserved_ports holds it
  local item lo hi
  IFS=',' read -r -a items < /proc/sys/net/ipv4/ip_local_reserved_ports
  for item in "${items[@]}"; do
    [ -n "$item" ] || continue
    lo=${item%-*}; hi=${item#*-}
    (( $1 >= lo && $1 <= hi )) && return 0
  done
  return 1
}
read -r DLO DHI < /proc/sys/net/ipv4/ip_local_port_range
LISTENER_AT=
for _ in $(seq 1 300); do
  p=$((DLO + (RANDOM * 32768 + RANDOM) % (DHI - DLO + 1)))
  (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
  [ -n "$(ss -Htan "sport = :$p" 2>/dev/null)" ] && continue
  in_reserved "$p" && continue
  LISTENER_AT=$p; break
done
[ -n "$LISTENER_AT" ] || fail "no free, unreserved port in ip_local_port_range $DLO-$DHI"
JAVA=$(command -v java) || fail "java not found (the launcher needs it too)"
cp "$HERE/Listen.java" "$STATE/win/Listen.java"
chmod 644 "$STATE/win/Listen.java"
setpriv --reuid="$ACCOUNT" --regid="$ACCOUNT" --clear-groups --reset-env "$JAVA" "$STATE/win/Listen.java" "$LISTENER_AT" \
  >"$STATE/listen.log" 2>&1 &
JPID=$!
for _ in $(seq 1 200); do
  [ -n "$(ss -Hltn "sport = :$LISTENER_AT")" ] && break
  kill -0 "$JPID" 2>/dev/null || fail "the account's listener did not start: $(cat "$STATE/listen.log")"
  sleep 0.1
done
LINUX=("${SSH[@]}" -i "$STATE/client/id_ed25519" --known-hosts "$STATE/known_hosts_ed25519" --platform linux)
run "${LINUX[@]}" --port "$LISTENER_AT:listener:java" -v --save-snapshot "$STATE/linux.snapshot"
log "linux target, the account's listener on $LISTENER_AT: exit $RC, $(printf '%s\n' "$OUT" | head -n 1)"
[ "$RC" = 1 ] || fail "a listener inside ip_local_port_range over SSH: exit [$RC], expected 1 (exposed): $OUT"
printf '%s\n' "$OUT" | grep -q "EXPOSED: $LISTENER_AT/tcp listener (ipv4) is inside net.ipv4.ip_local_port_range $DLO-$DHI" \
  || fail "no EXPOSED finding for $LISTENER_AT: $OUT"
printf '%s\n' "$OUT" | grep -q "owner java PID $JPID " || fail "the owner java (PID $JPID) is not named: $OUT"
printf '%s\n' "$OUT" | grep -q "^  sysctl -w net.ipv4.ip_local_reserved_ports=" || fail "no sysctl remediation: $OUT"
if printf '%s\n' "$OUT" | grep -q "netsh"; then fail "Windows remediation on a Linux target: $OUT"; fi
printf '%s\n' "$OUT" | grep -q "^Captured: $(uname -n) at .*, Linux $(uname -r)$" || fail "no Linux capture line: $OUT"
grep -q "^#@section linux-ss-tanpH$" "$STATE/linux.snapshot" || fail "the Linux capture ran no ss: $(head -c 600 "$STATE/linux.snapshot")"
LINUX_LINE=$(printf '%s\n' "$OUT" | head -n 1)
run --snapshot "$STATE/linux.snapshot" --port "$LISTENER_AT:listener:java"
if [ "$RC" != 1 ] || [ "$(printf '%s\n' "$OUT" | head -n 1)" != "$LINUX_LINE" ]; then
  fail "the saved Linux snapshot judges differently: exit [$RC]: $OUT"
fi
run --local --port "$LISTENER_AT:listener:java"
if [ "$RC" != 1 ] || [ "$(printf '%s\n' "$OUT" | head -n 1)" != "$LINUX_LINE" ]; then
  fail "root's --local judges $LISTENER_AT differently from the SSH capture: exit [$RC]: $OUT"
fi
log "linux target: $LISTENER_AT exposed with its owner java named, over SSH, from the saved snapshot and by --local"

run "${LINUX[@]}" --port "$PORT:sshd:sshd"
[ "$RC" = 3 ] || fail "sshd's listener (root's) seen by a non-root account: exit [$RC], expected 3: $OUT"
printf '%s\n' "$OUT" | head -n 1 | grep -q "held by a process the capture does not name" \
  || fail "the unnamed holder is not reported: $OUT"
run --local --port "$PORT:sshd:sshd"
[ "$RC" = 0 ] || fail "root's --local on sshd's own port $PORT (outside the range): exit [$RC], expected 0: $OUT"
log "linux target: sshd's listener on $PORT is UNKNOWN for the account (ss names no root process), OK for root's --local"
kill "$JPID" 2>/dev/null || true
wait "$JPID" 2>/dev/null || true

log "passed"
