#!/usr/bin/env bash
# End to end: templates/icinga2 loaded into Debian's real Icinga 2, with the real check_dynport and dynport-probe.
#
#  1. installs icinga2 (apt), builds the product if needed, installs check_dynport + jar side by side
#  2. writes a private Icinga 2 tree under $WORK (own CA and certs made by `icinga2 pki`, API on a free port of 127.0.0.1),
#     loads templates/icinga2/*.conf unchanged plus hosts.conf, validates with `icinga2 daemon -C`, starts it
#  3. (a) exch01 (vars.exchange_roles, snapshot exch-exposed-constructed.txt): forces the active "dynport"
#     check through the API and asserts state WARNING, the plugin output and perfdata, and that Icinga's result
#     equals running the installed plugin by hand
#  4. (b) dynport-probe --once with the icinga2 sink (ApiUser from the template) on a snapshot target exch02:
#     first all ports protected (every per-port passive service leaves PENDING with OK from the agent), then
#     9933/9955 exposed (WARNING, 1993/1995 still OK); the restricted ApiUser is refused on the active service
#  5. stops Icinga 2, switches exch02's snapshot to a foreign holder on 9955, runs the agent while Icinga is
#     down (it must spool), starts Icinga 2 again and asserts the spooled CRITICAL arrives; the agent keeps
#     running with a 10s heartbeat for longer than the 40s freshness: its heartbeats re-submit the results, so
#     neither the CRITICAL nor a Healthy port's OK turns stale
#  6. asserts a passive service without fresh results turns UNKNOWN "stale" (freshness through the dummy check)
#
# Runs as root (CI=true on a fresh Debian 12); idempotent; stops every daemon it started; < 10 min.
# When check-plugin/bin/check_dynport is not in the tree the whole test is SKIPPED with a loud banner (exit 0);
# when probe-agent/bin/dynport-probe is missing, steps 4-6 are skipped the same way after 1-3 passed.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=e2e/lib.sh
. "$HERE/../lib.sh"

PRIVATE_WORK=0
work_dir WORK "${DYNPORT_E2E_ICINGA2_DIR:-}" icinga2 && PRIVATE_WORK=1
# Ports of this run only: Icinga 2's API and the agent's /metrics (a second run at once gets others).
free_port API_PORT
free_port OPS_PORT
API="https://localhost:$API_PORT"
START=$SECONDS

[[ $(id -u) -eq 0 ]] || fail "run as root (it installs packages and runs icinga2 as user nagios)"

cleanup() {
	local rc=$?
	stop_pidfile "$WORK/agent.pid" 20 || true
	stop_pidfile "$WORK/run/icinga2.pid" 30 || true
	if ((rc != 0)) && [[ -d "$WORK" ]]; then
		echo "---- icinga2 log (tail) ----" >&2
		tail -n 40 "$WORK/var/log/icinga2.log" 2>/dev/null >&2 || true
		echo "---- agent log (tail) ----" >&2
		tail -n 40 "$WORK/agent.log" 2>/dev/null >&2 || true
	elif ((PRIVATE_WORK)); then
		rm -rf "$WORK"
	fi
	exit $rc
}
trap cleanup EXIT

# ---------------------------------------------------------------- 1. packages and product
apt_install icinga2 curl jq openssl ca-certificates openssh-client
ensure_product "$ROOT" check-plugin check_dynport check_dynport.jar || exit 0
HAVE_AGENT=1
ensure_product "$ROOT" probe-agent dynport-probe dynport-probe.jar || HAVE_AGENT=0

# A previous run may have left its daemons (crash, kill -9 of this script): stop only those, by pid file.
stop_pidfile "$WORK/agent.pid" 20
stop_pidfile "$WORK/run/icinga2.pid" 30
rm -rf "$WORK"
mkdir -p "$WORK"/{etc,plugins,snap,var/lib/certs,var/log,var/cache,var/spool,run,agent,ssh}
# A key and an empty known_hosts for the SSH variant (it only has to get as far as the TCP connect).
ssh-keygen -q -t ed25519 -N '' -C dynport-e2e -f "$WORK/ssh/id_ed25519"
: > "$WORK/ssh/known_hosts"

install_product "$ROOT" check-plugin check_dynport check_dynport.jar "$WORK/plugins"
cp "$HERE"/snapshots/*.txt "$WORK/snap/"
cp "$WORK/snap/exch-exposed-constructed.txt" "$WORK/snap/exch02-current.txt"

ROOT_PW=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
AGENT_PW=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s\n' "$AGENT_PW" > "$WORK/agent/icinga-password"
chmod 0600 "$WORK/agent/icinga-password"
printf 'user = "e2e-root:%s"\n' "$ROOT_PW" > "$WORK/curl-root.cfg"
printf 'user = "dynport-probe:%s"\n' "$AGENT_PW" > "$WORK/curl-agent.cfg"
chmod 0600 "$WORK"/curl-*.cfg

# ---------------------------------------------------------------- 2. Icinga 2 tree, certs, config
cat > "$WORK/etc/icinga2.conf" <<EOF
/* dynport e2e: a private Icinga 2 instance. Only the e2e scaffolding is here; the templates are included unchanged. */
const NodeName = "localhost"
const ZoneName = "master"
const PluginDir = "$WORK/plugins"
const PluginContribDir = "$WORK/plugins"
const ManubulonPluginDir = "$WORK/plugins"
const DynportProbeApiPassword = "$AGENT_PW"

include <itl>
include <plugins>

object FileLogger "main-log" {
	severity = "information"
	path = "$WORK/var/log/icinga2.log"
}
object CheckerComponent "checker" { }
object ApiListener "api" {
	bind_host = "127.0.0.1"
	bind_port = $API_PORT
}
object Endpoint NodeName { }
object Zone ZoneName {
	endpoints = [ NodeName ]
}
object ApiUser "e2e-root" {
	password = "$ROOT_PW"
	permissions = [ "*" ]
}

include "$ROOT/templates/icinga2/*.conf"
include "hosts.conf"
EOF

cat > "$WORK/etc/hosts.conf" <<EOF
/* exch01: active check on a snapshot; exch02: fed by dynport-probe (per-port passive services). */
template Host "e2e-host" {
	check_command = "dummy"
	check_interval = 1h
	vars.dummy_state = 0
	address = "127.0.0.1"
	vars.os = "Windows"
}
object Host "exch01.e2e" {
	import "e2e-host"
	vars.exchange_roles = [ "ClientAccess" ]
	vars.dynport_snapshot = "$WORK/snap/exch-exposed-constructed.txt"
}
/* SSH variant, never reachable (port 1): only how Icinga renders the CheckCommand's arguments is asserted. */
object Host "exch03-ssh.e2e" {
	import "e2e-host"
	vars.exchange_roles = [ "Mailbox", "ClientAccess" ]
	vars.dynport_ssh_port = 1
	vars.dynport_logname = "svc-dynport"
	vars.dynport_known_hosts = "$WORK/ssh/known_hosts"
	vars.dynport_identity = "$WORK/ssh/id_ed25519"
	vars.dynport_accept_new_host_key = true
	vars.dynport_ports = [ "9710:Diagnostics:MSExchangeServiceHost", "12345" ]
	vars.dynport_timeout = 5
	vars.dynport_usage_warning = "80%"
	vars.dynport_usage_critical = "95%"
}
/* A Linux host over SSH (never reachable either): --platform linux, its port, no Exchange profile. */
object Host "relay-ssh.e2e" {
	import "e2e-host"
	vars.os = "Linux"
	vars.dynport_platform = "linux"
	vars.dynport_ssh_port = 1
	vars.dynport_logname = "monitor"
	vars.dynport_known_hosts = "$WORK/ssh/known_hosts"
	vars.dynport_identity = "$WORK/ssh/id_ed25519"
	vars.dynport_ports = [ "40000:app:java" ]
	vars.dynport_timeout = 5
}
/* An agent-fed Linux host with a usage threshold: its port's services and dynport-usage-{family}, no profile ports. */
object Host "relay-agent.e2e" {
	import "e2e-host"
	vars.os = "Linux"
	vars.dynport_platform = "linux"
	vars.dynport_agent = "per-port"
	vars.dynport_ports = [ 40000 ]
	vars.dynport_usage_critical = "95%"
}
object Host "exch04.e2e" {
	import "e2e-host"
	vars.dynport_agent = "per-host"
}
object Host "exch02.e2e" {
	import "e2e-host"
	vars.dynport_agent = "per-port"
	vars.dynport_agent_freshness = 40s
}
/* Per-port services come from the host's profile and vars.dynport_ports, the list the agent's target repeats. */
object Host "exch05.e2e" {
	import "e2e-host"
	vars.dynport_agent = "per-port"
	vars.exchange_roles = [ "Mailbox" ]
	vars.dynport_ports = [ "12995:POP3 back-end:MSExchangePOP3BE" ]
}
EOF

chown -R nagios:nagios "$WORK"
chmod 0700 "$WORK/agent"
chown -R root:root "$WORK/agent" "$WORK"/curl-*.cfg

DEFINES=(
	-D "ConfigDir=$WORK/etc" -D "DataDir=$WORK/var/lib" -D "LogDir=$WORK/var/log" -D "CacheDir=$WORK/var/cache"
	-D "SpoolDir=$WORK/var/spool" -D "InitRunDir=$WORK/run" -D "PidPath=$WORK/run/icinga2.pid"
	-D "StatePath=$WORK/var/lib/icinga2.state" -D "ObjectsPath=$WORK/var/cache/icinga2.debug"
	-D "VarsPath=$WORK/var/cache/icinga2.vars" -D "RunAsUser=nagios" -D "RunAsGroup=nagios"
)
CERTS="$WORK/var/lib/certs"
log "creating a CA and the API certificate with icinga2 pki"
icinga2 pki new-ca "${DEFINES[@]}" >/dev/null
runuser -u nagios -- icinga2 pki new-cert --cn localhost --key "$CERTS/localhost.key" --csr "$CERTS/localhost.csr" >/dev/null
icinga2 pki sign-csr "${DEFINES[@]}" --csr "$CERTS/localhost.csr" --cert "$CERTS/localhost.crt" >/dev/null
cp "$WORK/var/lib/ca/ca.crt" "$CERTS/ca.crt"
cp "$WORK/var/lib/ca/ca.crt" "$WORK/agent/icinga-ca.crt"
chown -R nagios:nagios "$WORK/var"

log "validating: icinga2 daemon -C"
icinga2 daemon -C -c "$WORK/etc/icinga2.conf" "${DEFINES[@]}" > "$WORK/validate.log" 2>&1 \
	|| { cat "$WORK/validate.log" >&2; fail "icinga2 daemon -C rejected the templates"; }

# A user who wants only the active check copies dynport-command.conf and dynport-services.conf: no ApiUser, no
# DynportProbeApiPassword, no ApiListener. That set must load on its own.
mkdir -p "$WORK/etc-active"
cat > "$WORK/etc-active/icinga2.conf" <<EOF
/* dynport e2e: the active-check-only install, as docs/templates.md describes it. */
const NodeName = "localhost"
const ZoneName = "master"
const PluginDir = "$WORK/plugins"
const PluginContribDir = "$WORK/plugins"
const ManubulonPluginDir = "$WORK/plugins"
include <itl>
include <plugins>
include "$ROOT/templates/icinga2/dynport-command.conf"
include "$ROOT/templates/icinga2/dynport-services.conf"
object Host "exch-active.e2e" { check_command = "dummy"; vars.exchange_roles = [ "Mailbox" ] }
EOF
log "validating the active-only set (dynport-command.conf + dynport-services.conf, no ApiUser): icinga2 daemon -C"
icinga2 daemon -C -c "$WORK/etc-active/icinga2.conf" "${DEFINES[@]}" > "$WORK/validate-active.log" 2>&1 \
	|| { cat "$WORK/validate-active.log" >&2; fail "icinga2 daemon -C rejected the active-only templates (without dynport-api-user.conf)"; }
grep -q "Instantiated 1 Service" "$WORK/validate-active.log" \
	|| { cat "$WORK/validate-active.log" >&2; fail "the active-only set did not make the dynport service of an Exchange host"; }

start_icinga() {
	log "starting icinga2"
	icinga2 daemon -c "$WORK/etc/icinga2.conf" "${DEFINES[@]}" -d -e "$WORK/var/log/error.log" \
		|| fail "icinga2 did not start: $(tail -n 5 "$WORK/var/log/error.log" 2>/dev/null)"
	wait_until 60 "the Icinga 2 API on 127.0.0.1:$API_PORT" \
		curl -fsS --cacert "$CERTS/ca.crt" -K "$WORK/curl-root.cfg" "$API/v1/status/IcingaApplication"
}
stop_icinga() {
	log "stopping icinga2"
	stop_pidfile "$WORK/run/icinga2.pid" 30
	if curl -fsS --max-time 3 --cacert "$CERTS/ca.crt" -K "$WORK/curl-root.cfg" "$API/v1/status" >/dev/null 2>&1; then
		fail "the Icinga 2 API still answers after stop"
	fi
}

api() { # METHOD PATH [JSON]
	local method=$1 path=$2 body=${3:-}
	if [[ -n $body ]]; then
		curl -sS --max-time 20 --cacert "$CERTS/ca.crt" -K "$WORK/curl-root.cfg" -H 'Accept: application/json' \
			-X "$method" "$API$path" -d "$body"
	else
		curl -sS --max-time 20 --cacert "$CERTS/ca.crt" -K "$WORK/curl-root.cfg" -H 'Accept: application/json' \
			-X "$method" "$API$path"
	fi
}
service_attrs() { # HOST SERVICE -> JSON attrs
	api GET "/v1/objects/services/$1!$2?attrs=state&attrs=last_check_result&attrs=last_check&attrs=check_command" \
		| jq -e '.results[0].attrs'
}

start_icinga

# Passive per-port services of an agent-fed Mailbox host: the exchange profile's 7 ports plus vars.dynport_ports,
# both families (the agent reports results for exactly these; any other gets 404, counted and logged by the agent).
EXCH05=$(api GET '/v1/objects/services?attrs=name&attrs=host_name' \
	| jq -r '[.results[].attrs | select(.host_name == "exch05.e2e") | .name] | sort | join(" ")')
WANT05=$(for p in 9933 9955 1993 1995 9710 64327 64337 12995; do for f in ipv4 ipv6; do echo "dynport-$p-$f"; done; done | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')
[[ $EXCH05 == "$WANT05" ]] || fail "exch05.e2e (per-port, Mailbox, vars.dynport_ports 12995) has services [$EXCH05], expected [$WANT05]"
log "per-port services from profile + vars.dynport_ports: $(wc -w <<<"$EXCH05") on exch05.e2e (9710, 64327, 64337, 12995 included)"
RELAY=$(api GET '/v1/objects/services?attrs=name&attrs=host_name' \
	| jq -r '[.results[].attrs | select(.host_name == "relay-agent.e2e") | .name] | sort | join(" ")')
[[ $RELAY == "dynport-40000-ipv4 dynport-40000-ipv6 dynport-usage-ipv4 dynport-usage-ipv6" ]] \
	|| fail "relay-agent.e2e (per-port, Linux, port 40000, usage threshold) has services [$RELAY]"
log "per-port services of a Linux agent-fed host with a usage threshold: $RELAY"

# ---------------------------------------------------------------- 3. (a) the active check
log "(a) active dynport check on exch01.e2e"
# Expected values: the plugin itself, run by hand on the same snapshot, as Icinga will run it.
set +e
EXPECTED_OUT=$(runuser -u nagios -- "$WORK/plugins/check_dynport" --snapshot "$WORK/snap/exch-exposed-constructed.txt")
EXPECTED_RC=$?
set -e
log "plugin by hand: exit $EXPECTED_RC, first line: $(head -n 1 <<<"$EXPECTED_OUT")"
[[ $EXPECTED_RC -eq 1 ]] || fail "check_dynport on exch-exposed-constructed.txt should exit 1 (WARNING), got $EXPECTED_RC"
[[ $(head -n 1 <<<"$EXPECTED_OUT") == "DYNPORT WARNING - "* ]] || fail "unexpected first line: $(head -n 1 <<<"$EXPECTED_OUT")"

# Every option check_dynport --help lists (but -h/-V) must be an argument of the CheckCommand.
KEYS=$(grep -oE '^[[:space:]]*"-[-a-zA-Z0-9]+" = \{' "$ROOT/templates/icinga2/dynport-command.conf" | grep -oE '"-[-a-zA-Z0-9]+"' | tr -d '"')
MISSING=()
while read -r short long; do
	[[ $long == --help || $long == --version ]] && continue
	grep -qxF -- "$long" <<<"$KEYS" || { [[ $short != - ]] && grep -qxF -- "$short" <<<"$KEYS"; } || MISSING+=("$long")
done < <(runuser -u nagios -- "$WORK/plugins/check_dynport" --help 2>&1 \
	| sed -nE 's/^[[:space:]]+(-[a-zA-Z]),(--[a-z][-a-z0-9]*).*/\1 \2/p; s/^[[:space:]]+(--[a-z][-a-z0-9]*).*/- \1/p')
((${#MISSING[@]} == 0)) || fail "options of check_dynport --help without a CheckCommand argument: ${MISSING[*]}"
log "every option of check_dynport --help has an argument in CheckCommand dynport ($(wc -w <<<"$KEYS") arguments)"

T0=$(date +%s)
sleep 1
api POST /v1/actions/reschedule-check \
	'{"type":"Service","filter":"host.name==\"exch01.e2e\" && service.name==\"dynport\"","force":true}' \
	| jq -e '.results | length == 1 and .[0].code == 200' >/dev/null || fail "reschedule-check was not accepted"
active_result_newer() {
	service_attrs exch01.e2e dynport | jq -e --argjson t0 "$T0" '.last_check_result != null and .last_check_result.execution_end > $t0' >/dev/null
}
wait_until 90 "a new result of exch01.e2e!dynport" active_result_newer
A=$(service_attrs exch01.e2e dynport)
log "Icinga: state $(jq -r .state <<<"$A"), output: $(jq -r '.last_check_result.output' <<<"$A" | head -n 1)"
[[ $(jq -r '.state' <<<"$A") == 1 ]] || fail "exch01.e2e!dynport state is $(jq -r .state <<<"$A"), expected 1 (WARNING)"
[[ $(jq -r '.last_check_result.exit_status' <<<"$A") == 1 ]] || fail "exit_status is not 1"
OUT=$(jq -r '.last_check_result.output' <<<"$A")
[[ $OUT == "DYNPORT WARNING - "* ]] || fail "plugin output does not start with 'DYNPORT WARNING - ': $OUT"
grep -q '9955' <<<"$OUT" || fail "plugin output does not name port 9955: $OUT"
# Icinga splits the plugin's output at '|': text before it, perfdata after. Both must be what the plugin printed.
EXPECTED_TEXT=$(sed -e 's/|.*$//' <<<"$(head -n 1 <<<"$EXPECTED_OUT")" | sed -e 's/[[:space:]]*$//')
[[ $(head -n 1 <<<"$OUT" | sed -e 's/[[:space:]]*$//') == "$EXPECTED_TEXT" ]] \
	|| fail "Icinga's status line differs from the plugin's: [$OUT] vs [$EXPECTED_TEXT]"
PERF=$(jq -r '.last_check_result.performance_data | join(" ")' <<<"$A")
log "perfdata: $PERF"
for want in 'exposed=' 'foreign=0' 'system_reserved=0' 'ipv4_dynamic_start=6005' 'ipv4_dynamic_count=59530' \
	'ipv6_dynamic_start=6005' 'ipv6_dynamic_count=59530' 'ipv4_exclusions=' 'ipv6_exclusions='; do
	grep -q -- "$want" <<<"$PERF" || fail "perfdata lacks [$want]: $PERF"
done
jq -e '.last_check_result.command | index("--snapshot") != null and index("-H") == null' <<<"$A" >/dev/null \
	|| fail "command line should use --snapshot and no -H: $(jq -c .last_check_result.command <<<"$A")"
log "(a) passed: active check ran the installed check_dynport, state WARNING, output and perfdata as the plugin printed"

# How Icinga renders the SSH variant: -H from the host's address, -p/-l/--known-hosts from host vars, --port
# repeated per array element, set_if flags, the "exchange" profile for Mailbox hosts, no --snapshot/--local.
api POST /v1/actions/reschedule-check \
	'{"type":"Service","filter":"host.name==\"exch03-ssh.e2e\" && service.name==\"dynport\"","force":true}' >/dev/null
ssh_result() { service_attrs exch03-ssh.e2e dynport | jq -e --argjson t0 "$T0" '.last_check_result != null and .last_check_result.execution_end > $t0' >/dev/null; }
wait_until 90 "a result of exch03-ssh.e2e!dynport" ssh_result
CMD=$(service_attrs exch03-ssh.e2e dynport | jq -c '.last_check_result.command')
log "SSH variant command line: $CMD"
jq -e --arg kh "$WORK/ssh/known_hosts" --arg id "$WORK/ssh/id_ed25519" '
	def after($k): (index($k)) as $i | if $i == null then null else .[$i + 1] end;
	after("-H") == "127.0.0.1" and after("-p") == "1" and after("-i") == $id and after("-l") == "svc-dynport" and after("--known-hosts") == $kh
	and after("--profile") == "exchange" and after("-t") == "5" and index("--accept-new-host-key") != null
	and ([.[] | select(. == "--port")] | length) == 2 and index("9710:Diagnostics:MSExchangeServiceHost") != null
	and index("12345") != null and index("--snapshot") == null and index("--local") == null and index("-v") == null
	and index("--expect-listening") == null and after("-w") == "80%" and after("-c") == "95%"
	and index("--platform") == null and index("--audit") == null' <<<"$CMD" >/dev/null \
	|| fail "the CheckCommand rendered an unexpected SSH command line: $CMD"
[[ $(service_attrs exch03-ssh.e2e dynport | jq -r .state) == 3 ]] || fail "an unreachable SSH host must be UNKNOWN"
if runuser -u nagios -- "$WORK/plugins/check_dynport" --help 2>&1 | grep -q -- '--known-hosts'; then
	service_attrs exch03-ssh.e2e dynport | jq -r .last_check_result.output | grep -qiE 'refused|connect' \
		|| fail "the SSH variant did not get as far as connecting: $(service_attrs exch03-ssh.e2e dynport | jq -r .last_check_result.output)"
fi
log "(a) passed: SSH variant rendered as expected and ended UNKNOWN: $(service_attrs exch03-ssh.e2e dynport | jq -r .last_check_result.output | head -n 1)"

api POST /v1/actions/reschedule-check \
	'{"type":"Service","filter":"host.name==\"relay-ssh.e2e\" && service.name==\"dynport\"","force":true}' >/dev/null
linux_result() { service_attrs relay-ssh.e2e dynport | jq -e --argjson t0 "$T0" '.last_check_result != null and .last_check_result.execution_end > $t0' >/dev/null; }
wait_until 90 "a result of relay-ssh.e2e!dynport" linux_result
CMD=$(service_attrs relay-ssh.e2e dynport | jq -c '.last_check_result.command')
log "Linux SSH variant command line: $CMD"
jq -e 'def after($k): (index($k)) as $i | if $i == null then null else .[$i + 1] end;
	after("--platform") == "linux" and after("-H") == "127.0.0.1" and after("--port") == "40000:app:java"
	and index("--profile") == null and index("-w") == null and index("-c") == null' <<<"$CMD" >/dev/null \
	|| fail "the CheckCommand rendered an unexpected Linux SSH command line: $CMD"
OUT=$(service_attrs relay-ssh.e2e dynport | jq -r .last_check_result.output | head -n 1)
[[ $(service_attrs relay-ssh.e2e dynport | jq -r .state) == 3 && $OUT != *"--profile"* && $OUT != *"--platform"* ]] \
	|| fail "the Linux SSH variant should fail to connect (UNKNOWN), not on its arguments: $OUT"
log "(a) passed: Linux SSH variant rendered --platform linux and ended UNKNOWN: $OUT"

if ((HAVE_AGENT == 0)); then
	log "active part passed in $((SECONDS - START))s; the agent part was SKIPPED (see banner above)"
	exit 0
fi

# ---------------------------------------------------------------- 4. (b) the agent's passive results
install_product "$ROOT" probe-agent dynport-probe dynport-probe.jar "$WORK/agent/bin"
# The agent's config, in the format of templates/probe/probe.example.json (agent-core) and the sink reference.
cat > "$WORK/agent/probe.json" <<EOF
{
  "agent_name": "e2e-agent",
  "consecutive_samples": 1,
  "heartbeat_interval": "10s",
  "renotify_interval": "0s",
  "targets": [
    {
      "name": "exch02.e2e",
      "type": "snapshot",
      "file": "$WORK/snap/exch02-current.txt",
      "profile": "exchange-popimap",
      "interval": "1h",
      "jitter": "0s",
      "timeout": "30s"
    }
  ],
  "ops": { "enabled": true, "listen_address": "127.0.0.1", "port": $OPS_PORT },
  "spool": { "dir": "$WORK/agent/spool" },
  "sinks": [
    {
      "name": "icinga",
      "type": "icinga2",
      "url": "$API",
      "username": "dynport-probe",
      "password": { "file": "$WORK/agent/icinga-password" },
      "ca_file": "$WORK/agent/icinga-ca.crt",
      "mode": "per-port",
      "retry_initial_ms": 500,
      "retry_max_ms": 2000
    }
  ]
}
EOF
AGENT="$WORK/agent/bin/dynport-probe"
# An agent build whose delivery pipeline is not wired in (ProbeAgentMain's DeliveryFactory.logOnly) only logs
# events: say so instead of timing out on a missing result.
no_pipeline() {
	if grep -q 'no delivery pipeline in this build' "$WORK/agent.log" 2>/dev/null; then
		fail "this dynport-probe build has no delivery pipeline (events are only logged; see ProbeAgentMain.DELIVERY): the sinks cannot be tested end to end"
	fi
}
log "(b) dynport-probe --validate-config"
"$AGENT" --config "$WORK/agent/probe.json" --validate-config > "$WORK/agent-validate.log" 2>&1 \
	|| { cat "$WORK/agent-validate.log" >&2; fail "dynport-probe rejected the e2e config"; }

passive_state_is() { # HOST SERVICE STATE
	service_attrs "$1" "$2" | jq -e --argjson s "$3" \
		'.last_check_result != null and .state == $s and (.last_check_result.output | test("stale") | not)' >/dev/null
}
# The agent reports the first confirmed state of every port, Healthy included: with every port protected, each
# per-port passive service must get an OK from the agent instead of staying PENDING until it goes stale.
cp "$WORK/snap/exch-protected-constructed.txt" "$WORK/snap/exch02-current.txt"
for fam in ipv4 ipv6; do
	for port in 9933 9955 1993 1995; do
		# Icinga runs a new service's first (freshness) check at a random time within min(check_interval, 60s) of
		# its start, so the template's UNKNOWN "stale" may already be there; a result from the agent may not.
		service_attrs exch02.e2e "dynport-$port-$fam" \
			| jq -e '.last_check_result == null or (.last_check_result.check_source != "e2e-agent" and .state == 3)' >/dev/null \
			|| fail "exch02.e2e!dynport-$port-$fam has a result before the agent ran: $(service_attrs exch02.e2e "dynport-$port-$fam")"
	done
done
log "(b) dynport-probe --once on exch02 (every port protected: all Healthy)"
timeout 120 "$AGENT" --config "$WORK/agent/probe.json" --once >> "$WORK/agent.log" 2>&1 \
	|| fail "dynport-probe --once failed (exit $?)"
no_pipeline
for fam in ipv4 ipv6; do
	for port in 9933 9955 1993 1995; do
		wait_until 30 "exch02.e2e!dynport-$port-$fam OK from the agent" passive_state_is exch02.e2e "dynport-$port-$fam" 0
	done
done
service_attrs exch02.e2e dynport-9955-ipv4 | jq -e '.last_check_result.check_source == "e2e-agent"' >/dev/null \
	|| fail "the OK of exch02.e2e!dynport-9955-ipv4 is not from the agent: $(service_attrs exch02.e2e dynport-9955-ipv4)"
log "(b) healthy port: $(service_attrs exch02.e2e dynport-9955-ipv4 | jq -r '.last_check_result.output' | head -n 1)"

cp "$WORK/snap/exch-exposed-constructed.txt" "$WORK/snap/exch02-current.txt"
log "(b) dynport-probe --once on exch02 (9933 and 9955 exposed: WARNING)"
timeout 120 "$AGENT" --config "$WORK/agent/probe.json" --once >> "$WORK/agent.log" 2>&1 \
	|| fail "dynport-probe --once failed (exit $?)"
for fam in ipv4 ipv6; do
	for port in 9933 9955; do
		wait_until 30 "exch02.e2e!dynport-$port-$fam WARNING from the agent" passive_state_is exch02.e2e "dynport-$port-$fam" 1
	done
	passive_state_is exch02.e2e "dynport-1993-$fam" 0 || fail "exch02.e2e!dynport-1993-$fam should still be OK"
done
log "(b) Icinga shows: $(service_attrs exch02.e2e dynport-9955-ipv4 | jq -r '.last_check_result.output' | head -n 1)"

# The agent's ApiUser may write only to services from the dynport-agent-result template.
DENIED=$(curl -sS --max-time 20 --cacert "$CERTS/ca.crt" -K "$WORK/curl-agent.cfg" -H 'Accept: application/json' \
	-X POST "$API/v1/actions/process-check-result" \
	-d '{"type":"Service","filter":"host.name==\"exch01.e2e\" && service.name==\"dynport\"","exit_status":0,"plugin_output":"forged"}' || true)
if jq -e '(.results // []) | map(select(.code == 200)) | length > 0' <<<"$DENIED" >/dev/null 2>&1; then
	fail "the dynport-probe ApiUser could write to the active service: $DENIED"
fi
[[ $(service_attrs exch01.e2e dynport | jq -r '.last_check_result.output') != forged ]] || fail "forged result accepted"
# Per-host mode: one service "dynport" with the worst state of the host's ports.
jq --arg f "$WORK/snap/exch-foreign-holder-constructed.txt" \
	'.targets[0].name = "exch04.e2e" | .targets[0].file = $f | .sinks[0].mode = "per-host" | .ops.enabled = false
	 | .spool.dir += "-per-host"' "$WORK/agent/probe.json" > "$WORK/agent/probe-per-host.json"
log "(b) dynport-probe --once on exch04 with the icinga2 sink in per-host mode (9955 held: CRITICAL)"
timeout 120 "$AGENT" --config "$WORK/agent/probe-per-host.json" --once >> "$WORK/agent.log" 2>&1 \
	|| fail "dynport-probe --once (per-host) failed"
wait_until 30 "exch04.e2e!dynport CRITICAL from the agent (per-host)" passive_state_is exch04.e2e dynport 2
log "(b) per-host: $(service_attrs exch04.e2e dynport | jq -r '.last_check_result.output' | head -n 1)"
log "(b) passed: passive results delivered through the restricted ApiUser; writing elsewhere is refused"

# ---------------------------------------------------------------- 5. spool while Icinga 2 is down
stop_icinga
cp "$WORK/snap/exch-foreign-holder-constructed.txt" "$WORK/snap/exch02-current.txt"
log "(spool) starting dynport-probe while Icinga 2 is down (9955 now held by svchost.exe)"
"$AGENT" --config "$WORK/agent/probe.json" >> "$WORK/agent.log" 2>&1 &
echo $! > "$WORK/agent.pid"
# The agent's /metrics must show the events held in its spool for the sink, and failed attempts, while the
# API is down.
metric() { # NAME -> value of NAME{sink="icinga"}
	curl -fsS --max-time 5 "http://127.0.0.1:$OPS_PORT/metrics" | awk -v m="$1{sink=\"icinga\"}" '$1 == m { print $2 }'
}
spooled() { awk 'BEGIN { v = ARGV[1] + 0; exit !(v > 0) }' "$(metric dynport_spool_depth_events)"; }
attempts_failed() { awk 'BEGIN { v = ARGV[1] + 0; exit !(v > 0) }' "$(metric dynport_delivery_failed_attempts_total)"; }
wait_until 60 "events spooled for sink icinga (dynport_spool_depth_events > 0)" spooled
wait_until 30 "failed delivery attempts while Icinga 2 is down" attempts_failed
log "(spool) agent holds $(metric dynport_spool_depth_events) event(s) for icinga after $(metric dynport_delivery_failed_attempts_total) failed attempt(s)"
kill -0 "$(cat "$WORK/agent.pid")" 2>/dev/null || fail "dynport-probe exited while Icinga 2 was down"
start_icinga
wait_until 120 "the spooled CRITICAL for exch02.e2e!dynport-9955-ipv4" passive_state_is exch02.e2e dynport-9955-ipv4 2
S=$(service_attrs exch02.e2e dynport-9955-ipv4)
log "(spool) Icinga shows: state $(jq -r .state <<<"$S"): $(jq -r '.last_check_result.output' <<<"$S" | head -n 1)"
jq -r '.last_check_result.output' <<<"$S" | grep -qi 'svchost' || fail "the CRITICAL result does not name the holder svchost.exe"
drained() { [[ $(metric dynport_spool_depth_events) =~ ^0(\.0*)?$ ]]; }
wait_until 30 "the agent's spool for icinga to drain" drained
log "(spool) passed: results made while Icinga 2 was down arrived after its restart; the spool drained"

# ---------------------------------------------------------------- heartbeats keep passive results fresh
# The running agent probes once an hour, but its 10s heartbeats re-submit every known service's last result:
# with vars.dynport_agent_freshness = 40s, both the CRITICAL port and a Healthy one must stay fresh well past 40s.
last_check() { service_attrs exch02.e2e "$1" | jq -r '.last_check_result.execution_end'; }
FRESH_T0=$(date +%s)
LC_1993=$(last_check dynport-1993-ipv4)
log "(heartbeat) waiting 60s (> 40s freshness) with the agent running"
sleep 60
passive_state_is exch02.e2e dynport-9955-ipv4 2 \
	|| fail "exch02.e2e!dynport-9955-ipv4 did not stay CRITICAL and fresh: $(service_attrs exch02.e2e dynport-9955-ipv4)"
passive_state_is exch02.e2e dynport-1993-ipv4 0 \
	|| fail "exch02.e2e!dynport-1993-ipv4 did not stay OK and fresh: $(service_attrs exch02.e2e dynport-1993-ipv4)"
service_attrs exch02.e2e dynport-1993-ipv4 | jq -e --argjson t "$FRESH_T0" \
	'.last_check_result.execution_end > $t + 30 and .last_check_result.check_source == "e2e-agent"' >/dev/null \
	|| fail "no recent re-submission for exch02.e2e!dynport-1993-ipv4 (last result at $(last_check dynport-1993-ipv4), before: $LC_1993)"
stop_pidfile "$WORK/agent.pid" 30
log "(heartbeat) passed: 60s later both services are fresh, the last result from the agent at $(last_check dynport-1993-ipv4)"

# ---------------------------------------------------------------- probe failure
# A probe that fails sets every per-port service of the host UNKNOWN, by one filtered request: the ApiUser's
# filter must let it through.
jq --arg f "$WORK/snap/missing-snapshot.txt" '.targets[0].file = $f' "$WORK/agent/probe.json" > "$WORK/agent/probe-fail.json"
log "(probe failure) dynport-probe --once on a missing snapshot"
# Exit 2: the round ran and delivered its events, but a target could not be probed (docs/agent.md, exit codes).
rc=0
timeout 120 "$AGENT" --config "$WORK/agent/probe-fail.json" --once >> "$WORK/agent.log" 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "dynport-probe --once (probe failure) exit $rc, expected 2"
for svc in dynport-9955-ipv4 dynport-9933-ipv6 dynport-1995-ipv4; do
	wait_until 30 "exch02.e2e!$svc UNKNOWN from the agent's probe failure" passive_state_is exch02.e2e "$svc" 3
done
log "(probe failure) passed: $(service_attrs exch02.e2e dynport-1995-ipv4 | jq -r '.last_check_result.output' | head -n 1)"

# ---------------------------------------------------------------- 6. freshness
stale() {
	service_attrs exch02.e2e dynport-9955-ipv4 | jq -e '.state == 3 and (.last_check_result.output | test("stale"))' >/dev/null
}
wait_until 100 "exch02.e2e!dynport-9955-ipv4 to turn UNKNOWN stale without new results" stale
log "(freshness) passed: no result within vars.dynport_agent_freshness -> UNKNOWN stale"

stop_icinga
log "icinga2 e2e passed in $((SECONDS - START))s"
