#!/usr/bin/env bash
# End to end: sinks of dynport-probe against real receivers from Debian: Icinga 2 (REST API on a free port of 127.0.0.1,
# reached as https://localhost; external command pipe under $WORK) and rsyslog (UDP and TCP on another free port).
#
#  1. installs icinga2 (apt), builds probe-agent, writes a private Icinga 2 tree under $WORK with its own CA
#     (icinga2 pki), an ApiUser with a password and one authenticated by client certificate (CN dynport-probe,
#     RSA key as written by `icinga2 pki new-cert`), hosts and passive services; starts the daemon
#  2. per-port, password: CRITICAL on 9955/ipv4 and WARNING on 1993/ipv4 arrive as exit status 2 and 1 with
#     output and perfdata; then a probe failure turns both UNKNOWN through one match() filter
#  3. per-host, client certificate: worst state of the host's ports (CRITICAL, then WARNING once 9955 is healthy)
#  4. a port without a service in Icinga: HTTP 404 (Icinga 2.13: 500 with empty results), not retried, counted
#     as failed; the other event still arrives
#  5. the nagios-cmd sink through Icinga's external command pipe (a FIFO): state, first line, long output and
#     perfdata as Icinga parsed them from the escaped PROCESS_SERVICE_CHECK_RESULT line
#  6. the syslog sink over UDP and TCP (octet counting) into rsyslog: rsyslog's RFC 5424 parser must see the
#     app-name, msgid, structured data (with escaped quote, backslash and bracket) and message as sent
#
# The events are published through DeliveryPipeline by Driver.java (the agent's own classes, no agent main).
# Runs as root (CI=true on a fresh Debian 12); idempotent; stops the daemon it started and removes $WORK on
# success; about 60 s.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=e2e/lib.sh
. "$ROOT/e2e/lib.sh" # apt_install, free_port, work_dir; log and fail are this script's own (below)
work_dir WORK "${DYNPORT_E2E_DELIVERY_DIR:-}" delivery || true
# Ports of this run only (Icinga 2 API, rsyslog UDP+TCP): a second run at once gets others.
free_port PORT
free_port SYSLOG_PORT
API="https://localhost:$PORT" # the certificate made by icinga2 pki is for CN localhost

log() { printf '[delivery %(%H:%M:%S)T] %s\n' -1 "$*"; }
fail() { printf '[delivery] FAIL: %s\n' "$*" >&2; exit 1; }

stop_icinga() {
	local pid
	[[ -f "$WORK/run/icinga2.pid" ]] || return 0
	pid=$(cat "$WORK/run/icinga2.pid" 2>/dev/null || true)
	[[ -n $pid ]] || return 0
	kill "$pid" 2>/dev/null || return 0
	for _ in $(seq 1 60); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.5
	done
	kill -9 "$pid" 2>/dev/null || true
}
stop_rsyslog() {
	local pid
	[[ -f "$WORK/rsyslog.pid" ]] || return 0
	pid=$(cat "$WORK/rsyslog.pid" 2>/dev/null || true)
	[[ -n $pid ]] && kill "$pid" 2>/dev/null || true
	for _ in $(seq 1 40); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.25
	done
}
cleanup() {
	local rc=$?
	stop_rsyslog
	stop_icinga
	if ((rc != 0)); then
		tail -n 30 "$WORK/var/log/icinga2.log" >&2 2>/dev/null || true
		cat "$WORK"/driver-*.log >&2 2>/dev/null || true
	else
		rm -rf "$WORK"
	fi
	exit $rc
}
trap cleanup EXIT

[[ $(id -u) -eq 0 ]] || fail "run as root"
need=()
command -v icinga2 >/dev/null || need+=(icinga2)
command -v curl >/dev/null || need+=(curl)
command -v jq >/dev/null || need+=(jq)
command -v rsyslogd >/dev/null || need+=(rsyslog)
command -v mvn >/dev/null || need+=(maven)
# apt_install keeps the packages' own icinga2 and rsyslog services from starting (policy-rc.d; on systemd also
# disabled), so nothing system-wide is left running or bound to 5665/514 after the test.
((${#need[@]} == 0)) || apt_install "${need[@]}"

log "building probe-agent"
(cd "$ROOT" && mvn -B -q -Dstyle.color=never -pl probe-agent -am -DskipTests compile dependency:build-classpath \
	-Dmdep.outputFile="$WORK.cp" > "$WORK.build.log" 2>&1) || { cat "$WORK.build.log" >&2; fail "build failed"; }
rm -f "$WORK.build.log"
CP="$ROOT/probe-agent/target/classes:$ROOT/dynport-core/target/classes:$(cat "$WORK.cp")"
rm -f "$WORK.cp"

stop_rsyslog
stop_icinga
rm -rf "$WORK"
mkdir -p "$WORK"/{etc,var/lib/certs,var/log,var/cache,var/spool,run,client}
CERTS="$WORK/var/lib/certs"
ROOT_PW=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
SINK_PW=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf 'user = "root:%s"\n' "$ROOT_PW" > "$WORK/curl.cfg"
chmod 0600 "$WORK/curl.cfg"

cat > "$WORK/etc/icinga2.conf" <<CONF
const NodeName = "localhost"
const ZoneName = "master"
include <itl>
object FileLogger "main-log" { severity = "information"; path = "$WORK/var/log/icinga2.log" }
object ApiListener "api" { bind_host = "127.0.0.1"; bind_port = $PORT }
object ExternalCommandListener "command" { command_path = "$WORK/run/icinga2.cmd" }
object Endpoint NodeName { }
object Zone ZoneName { endpoints = [ NodeName ] }
object ApiUser "root" { password = "$ROOT_PW"; permissions = [ "*" ] }
object ApiUser "dynport" { password = "$SINK_PW"; permissions = [ "actions/process-check-result" ] }
object ApiUser "dynport-cert" { client_cn = "dynport-probe"; permissions = [ "actions/process-check-result" ] }
template Host "e2e-host" { check_command = "dummy"; enable_active_checks = false }
template Service "e2e-passive" { check_command = "passive"; enable_active_checks = false }
object Host "ex01.e2e" { import "e2e-host" }
object Host "ex02.e2e" { import "e2e-host" }
object Service "dynport-9955-ipv4" { host_name = "ex01.e2e"; import "e2e-passive" }
object Service "dynport-1993-ipv4" { host_name = "ex01.e2e"; import "e2e-passive" }
object Service "dynport" { host_name = "ex02.e2e"; import "e2e-passive" }
object Host "ex03.e2e" { import "e2e-host" }
object Service "dynport-9955-ipv6" { host_name = "ex03.e2e"; import "e2e-passive" }
CONF

DEFINES=(
	-D "ConfigDir=$WORK/etc" -D "DataDir=$WORK/var/lib" -D "LogDir=$WORK/var/log" -D "CacheDir=$WORK/var/cache"
	-D "SpoolDir=$WORK/var/spool" -D "InitRunDir=$WORK/run" -D "PidPath=$WORK/run/icinga2.pid"
	-D "StatePath=$WORK/var/lib/icinga2.state" -D "ObjectsPath=$WORK/var/cache/icinga2.debug"
	-D "VarsPath=$WORK/var/cache/icinga2.vars" -D RunAsUser=nagios -D RunAsGroup=nagios
)
log "CA and certificates with icinga2 pki"
chown -R nagios:nagios "$WORK/etc" "$WORK/var" "$WORK/run" "$WORK/client"
icinga2 pki new-ca "${DEFINES[@]}" >/dev/null
cp "$WORK/var/lib/ca/ca.crt" "$CERTS/ca.crt"
icinga2 pki new-cert --cn localhost --key "$CERTS/localhost.key" --csr "$CERTS/localhost.csr" >/dev/null
icinga2 pki sign-csr "${DEFINES[@]}" --csr "$CERTS/localhost.csr" --cert "$CERTS/localhost.crt" >/dev/null
icinga2 pki new-cert --cn dynport-probe --key "$WORK/client/dynport.key" --csr "$WORK/client/dynport.csr" >/dev/null
icinga2 pki sign-csr "${DEFINES[@]}" --csr "$WORK/client/dynport.csr" --cert "$WORK/client/dynport.crt" >/dev/null
log "client key format: $(head -n 1 "$WORK/client/dynport.key")"
chown -R nagios:nagios "$WORK/etc" "$WORK/var" "$WORK/run"

icinga2 daemon -C -c "$WORK/etc/icinga2.conf" "${DEFINES[@]}" > "$WORK/validate.log" 2>&1 \
	|| { cat "$WORK/validate.log" >&2; fail "icinga2 rejected the e2e config"; }
log "starting icinga2 on 127.0.0.1:$PORT"
icinga2 daemon -c "$WORK/etc/icinga2.conf" "${DEFINES[@]}" -d -e "$WORK/var/log/error.log" \
	|| fail "icinga2 did not start: $(tail -n 5 "$WORK/var/log/error.log" 2>/dev/null)"
for i in $(seq 1 120); do
	curl -fsS --max-time 5 --cacert "$CERTS/ca.crt" -K "$WORK/curl.cfg" "$API/v1/status/IcingaApplication" \
		>/dev/null 2>&1 && break
	((i < 120)) || fail "Icinga 2 API did not come up"
	sleep 0.5
done

attrs() { # HOST SERVICE -> attrs JSON
	curl -fsS --max-time 20 --cacert "$CERTS/ca.crt" -K "$WORK/curl.cfg" -H 'Accept: application/json' \
		"$API/v1/objects/services/$1!$2?attrs=state&attrs=last_check_result" | jq -e '.results[0].attrs'
}
expect_state() { # HOST SERVICE STATE OUTPUT-PREFIX
	local a
	a=$(attrs "$1" "$2") || fail "cannot read $1!$2"
	jq -e --argjson s "$3" --arg o "$4" '.state == $s and (.last_check_result.output | startswith($o))' \
		<<<"$a" >/dev/null || fail "$1!$2: expected state $3 with output '$4', got $(jq -c \
		'{state, output: .last_check_result.output, perf: .last_check_result.performance_data}' <<<"$a")"
	log "ok: $1!$2 state $3 ($(jq -r '.last_check_result.output | split("\n")[0]' <<<"$a"))"
}
drive() { # NAME SINKS-JSON EXPECTED-SUMMARY EVENT...
	local name=$1 sinks=$2 want=$3 out
	shift 3
	printf '%s\n' "$sinks" > "$WORK/sinks-$name.json"
	out=$(SINK_PW="$SINK_PW" java -cp "$CP" "$HERE/Driver.java" "$WORK/spool-$name" "$WORK/sinks-$name.json" "$@" \
		2> "$WORK/driver-$name.log") || fail "driver $name did not drain: $out"
	[[ $out == "$want" ]] || fail "driver $name: expected '$want', got '$out'"
	log "ok: driver $name $out"
}

log "2. per-port with ApiUser password"
PER_PORT='[{"type": "icinga2", "url": "'$API'", "username": "dynport", "password": {"env": "SINK_PW"},
  "ca_file": "'$CERTS/ca.crt'", "host_template": "{host}.e2e", "retry_initial_ms": 200, "retry_max_ms": 1000}]'
drive per-port "$PER_PORT" "delivered=2 failed=0 retries=0" \
	"port:ex01:9955:ipv4:CRITICAL:TCP 9955 exposed" "port:ex01:1993:ipv4:WARNING:TCP 1993 | odd; text"
expect_state ex01.e2e dynport-9955-ipv4 2 "TCP 9955 exposed"
expect_state ex01.e2e dynport-1993-ipv4 1 "TCP 1993 | odd; text"
perf=$(attrs ex01.e2e dynport-9955-ipv4 | jq -c '.last_check_result.performance_data')
want_perf="[\"'9955/ipv4 exposed'=1;;1;0;1\"]"
[[ $perf == "$want_perf" ]] || fail "perfdata: expected $want_perf, got $perf"
log "ok: perfdata $perf"
drive probe-failed "$PER_PORT" "delivered=1 failed=0 retries=0" "failed:ex01:ssh: connection timed out"
expect_state ex01.e2e dynport-9955-ipv4 3 "UNKNOWN: probe of ex01 failed: ssh: connection timed out"
expect_state ex01.e2e dynport-1993-ipv4 3 "UNKNOWN: probe of ex01 failed"

log "3. per-host with the client certificate from icinga2 pki"
PER_HOST='[{"type": "icinga2", "url": "'$API'", "client_cert": "'$WORK/client/dynport.crt'",
  "client_key": "'$WORK/client/dynport.key'", "ca_file": "'$CERTS/ca.crt'", "mode": "per-host",
  "host_template": "{host}.e2e"}]'
drive per-host "$PER_HOST" "delivered=3 failed=0 retries=0" \
	"port:ex02:9955:ipv4:CRITICAL:9955 bad" "port:ex02:1993:ipv4:WARNING:1993 meh" "port:ex02:9955:ipv4:HEALTHY:9955 ok"
expect_state ex02.e2e dynport 1 "WARNING: 1 of 2 watched port(s) not healthy; worst 1993/ipv4: 1993 meh"

log "4. a service Icinga does not have: not retried"
drive missing "$PER_PORT" "delivered=1 failed=1 retries=0" \
	"port:ex01:64327:ipv4:CRITICAL:no such service" "port:ex01:9955:ipv4:HEALTHY:TCP 9955 fine"
grep -Eq 'Icinga has no service matching \[host.name=="ex01.e2e" && service.name=="dynport-64327-ipv4"\] \(HTTP (404|500)' \
	"$WORK/driver-missing.log" || fail "404 not logged clearly: $(cat "$WORK/driver-missing.log")"
expect_state ex01.e2e dynport-9955-ipv4 0 "TCP 9955 fine"
grep -q "$SINK_PW" "$WORK"/driver-*.log && fail "the ApiUser password appears in a log"

log "5. nagios-cmd through Icinga's external command pipe"
for i in $(seq 1 40); do [[ -p "$WORK/run/icinga2.cmd" ]] && break; sleep 0.25; done
[[ -p "$WORK/run/icinga2.cmd" ]] || fail "no command pipe at $WORK/run/icinga2.cmd"
NAGIOS='[{"type": "nagios-cmd", "path": "'$WORK/run/icinga2.cmd'", "host_template": "{host}.e2e"}]'
drive nagios-cmd "$NAGIOS" "delivered=1 failed=0 retries=0" "port:ex03:9955:ipv6:CRITICAL:TCP 9955 | exposed; really"
for i in $(seq 1 40); do
	attrs ex03.e2e dynport-9955-ipv6 | jq -e '.state == 2' >/dev/null && break
	sleep 0.25
done
a=$(attrs ex03.e2e dynport-9955-ipv6)
jq -e '.state == 2' <<<"$a" >/dev/null || fail "nagios-cmd result not processed: $(jq -c . <<<"$a")"
out=$(jq -r '.last_check_result.output' <<<"$a")
want_out=$'TCP 9955 / exposed; really\nTCP 9955 / exposed; really\nsecond line'
[[ $out == "$want_out" ]] || fail "nagios-cmd output: expected [$want_out], got [$out]"
perf=$(jq -c '.last_check_result.performance_data' <<<"$a")
want_perf="[\"'9955/ipv6 exposed'=1;;1;0;1\"]"
[[ $perf == "$want_perf" ]] || fail "nagios-cmd perfdata: expected $want_perf, got $perf"
log "ok: ex03.e2e!dynport-9955-ipv6 state 2, output and perfdata as sent"

log "6. syslog into rsyslog over UDP and TCP"
cat > "$WORK/rsyslog.conf" <<CONF
global(workDirectory="$WORK/rsyslog")
module(load="imudp")
module(load="imtcp")
input(type="imudp" address="127.0.0.1" port="$SYSLOG_PORT")
input(type="imtcp" address="127.0.0.1" port="$SYSLOG_PORT")
template(name="fields" type="list") {
	property(name="inputname") constant(value="\t") property(name="syslogfacility-text") constant(value=".")
	property(name="syslogseverity-text") constant(value="\t") property(name="app-name") constant(value="\t")
	property(name="msgid") constant(value="\t") property(name="structured-data") constant(value="\t")
	property(name="msg") constant(value="\n")
}
*.* action(type="omfile" file="$WORK/syslog.out" template="fields")
CONF
mkdir -p "$WORK/rsyslog"
rsyslogd -f "$WORK/rsyslog.conf" -i "$WORK/rsyslog.pid" || fail "rsyslogd did not start"
for i in $(seq 1 40); do (exec 3<>/dev/tcp/127.0.0.1/$SYSLOG_PORT) 2>/dev/null && break; sleep 0.25; done
for proto in udp tcp; do
	SYSLOG='[{"type": "syslog", "port": '$SYSLOG_PORT', "protocol": "'$proto'", "facility": "local3"}]'
	drive "syslog-$proto" "$SYSLOG" "delivered=2 failed=0 retries=0" \
		'port:ex "lab" [a\b]:9955:ipv4:CRITICAL:TCP 9955 is exposed' "failed:ex05:unreachable"
done
for i in $(seq 1 40); do [[ $(wc -l < "$WORK/syslog.out" 2>/dev/null || echo 0) -ge 4 ]] && break; sleep 0.25; done
for input in imudp imtcp; do
	line=$(grep -m1 -P "^$input\tlocal3\.crit\t" "$WORK/syslog.out") \
		|| fail "no local3.crit message via $input in: $(cat "$WORK/syslog.out" 2>/dev/null)"
	IFS=$'\t' read -r _ _ app msgid sd msg <<<"$line"
	[[ $app == dynport-probe && $msgid == PORT_STATE_CHANGED ]] || fail "$input: app/msgid [$app] [$msgid]"
	[[ $sd == *' host="ex \"lab\" [a\\b\]" port="9955" family="ipv4" state="CRITICAL"'* ]] \
		|| fail "$input: structured data as parsed by rsyslog: $sd"
	[[ $msg == *"TCP 9955 is exposed -- TCP 9955 is exposed; second line" ]] || fail "$input: msg [$msg]"
	grep -q -P "^$input\tlocal3\.err\tdynport-probe\tPROBE_FAILED\t\[dynport@32473 " "$WORK/syslog.out" \
		|| fail "$input: no local3.err PROBE_FAILED message"
	log "ok: $input: rsyslog parsed app-name, msgid, structured data and message"
done

log "PASS"
