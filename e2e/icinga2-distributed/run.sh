#!/usr/bin/env bash
# End to end: a distributed Icinga 2 (master -> satellite -> agent) runs the dynport check on the agent through
# command_endpoint, as with the Icinga 2 agent on a Windows Exchange server, and the result arrives on the master.
#
#  1. installs icinga2 (apt), builds check_dynport if needed
#  2. three real Icinga 2 instances on 127.0.0.1, each with its own config/data/log/run folders and API port:
#     master.e2e (zone "master", the CA and all configuration), satellite.e2e (zone "satellite", parent master),
#     win-agent.e2e (zone "win-agent.e2e", parent satellite) standing in for the Windows host
#  3. joined with Icinga's own PKI: `pki new-ca` on the master; the satellite gets its certificate with
#     `pki save-cert` + `pki request` and a ticket from `pki ticket` (CSR auto-signing); the agent asks the
#     satellite, whose CA proxy forwards the request to the master: every certificate is signed by the master's CA
#  4. the master's zones.d holds templates/icinga2/dynport-command.conf and dynport-services.conf unchanged in
#     global-templates (synced to every node: the agent needs CheckCommand "dynport-local" itself) and the agent's
#     Endpoint/Zone/Host (vars.agent_endpoint = name) in zones.d/satellite
#  5. forces the check through the master's API (host: Mailbox, so profile "exchange"): the satellite schedules it, the agent runs check_dynport --local
#     with stand-in Windows programs (e2e/openssh/winbin: real captured outputs) found through the test seam
#     DYNPORT_SYSTEM32, set only in the agent daemon's environment; asserts on the master's /v1/objects/services:
#     state, output and perfdata equal the plugin run by hand, check_source is the agent endpoint, the command line
#     is the agent's PluginDir + check_dynport with --local and no -H
#
# Runs as root (CI=true on a fresh Debian 12); stops every daemon it started; a few minutes.
# When check-plugin/bin/check_dynport is not in the tree the whole test is SKIPPED with a loud banner (exit 0).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=e2e/lib.sh
. "$ROOT/e2e/lib.sh"

PRIVATE_WORK=0
work_dir WORK "${DYNPORT_E2E_ICINGA2_DIST_DIR:-}" icinga2-distributed && PRIVATE_WORK=1
free_port M_PORT
free_port S_PORT
free_port A_PORT
START=$SECONDS
NODES=(master satellite agent)
declare -A CN=([master]=master.e2e [satellite]=satellite.e2e [agent]=win-agent.e2e)
declare -A PORT=([master]=$M_PORT [satellite]=$S_PORT [agent]=$A_PORT)

[[ $(id -u) -eq 0 ]] || fail "run as root (it installs packages and runs icinga2 as user nagios)"

cleanup() {
	local rc=$? n
	for n in agent satellite master; do stop_pidfile "$WORK/$n/run/icinga2.pid" 30 || true; done
	if ((rc != 0)) && [[ -d "$WORK" ]]; then
		for n in "${NODES[@]}"; do
			echo "---- $n: icinga2 log (tail) ----" >&2
			tail -n 25 "$WORK/$n/var/log/icinga2.log" 2>/dev/null >&2 || true
		done
	elif ((PRIVATE_WORK)); then
		rm -rf "$WORK"
	fi
	exit $rc
}
trap cleanup EXIT

# ---------------------------------------------------------------- 1. packages and product
apt_install icinga2 curl jq openssl ca-certificates
ensure_product "$ROOT" check-plugin check_dynport check_dynport.jar || exit 0

for n in "${NODES[@]}"; do stop_pidfile "$WORK/$n/run/icinga2.pid" 30; done
rm -rf "$WORK"
for n in "${NODES[@]}"; do
	mkdir -p "$WORK/$n"/{etc/zones.d,plugins,var/lib/certs,var/log,var/cache,var/spool,run}
done

# The agent's plugin and its stand-in System32 (the fakes print real captures from e2e/openssh/outputs).
A="$WORK/agent"
install_product "$ROOT" check-plugin check_dynport check_dynport.jar "$A/plugins"
mkdir -p "$A/win"
cp -r "$ROOT/e2e/openssh/winbin" "$A/win/System32"
cp -r "$ROOT/e2e/openssh/outputs" "$A/win/outputs"
# Laid out like System32: --local runs %SystemRoot%\System32\netsh.exe ... and
# WindowsPowerShell\v1.0\powershell.exe (the stand-in finds its outputs relative to itself, so a wrapper, not a link).
for p in netsh netstat tasklist chcp cmd; do ln -s "$p" "$A/win/System32/$p.exe"; done
mkdir -p "$A/win/System32/WindowsPowerShell/v1.0"
printf '#!/bin/bash\nexec "%s" "$@"\n' "$A/win/System32/powershell" > "$A/win/System32/WindowsPowerShell/v1.0/powershell.exe"
chmod 755 "$A/win/System32/WindowsPowerShell/v1.0/powershell.exe"
STAND_INS="$A/win/System32"

ROOT_PW=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
SALT=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf 'user = "e2e-root:%s"\n' "$ROOT_PW" > "$WORK/curl-root.cfg"
chmod 0600 "$WORK/curl-root.cfg"

defines() { # NODE -> the --define list of that node's private tree
	local d="$WORK/$1"
	DEFS=(
		-D "ConfigDir=$d/etc" -D "ZonesDir=$d/etc/zones.d" -D "DataDir=$d/var/lib" -D "LogDir=$d/var/log"
		-D "CacheDir=$d/var/cache" -D "SpoolDir=$d/var/spool" -D "InitRunDir=$d/run" -D "PidPath=$d/run/icinga2.pid"
		-D "StatePath=$d/var/lib/icinga2.state" -D "ObjectsPath=$d/var/cache/icinga2.debug"
		-D "VarsPath=$d/var/cache/icinga2.vars" -D "RunAsUser=nagios" -D "RunAsGroup=nagios"
	)
}

# ---------------------------------------------------------------- 2. configuration of the three nodes
# Common head: who am I, where my plugins are, my API on my port, root API user for the test's queries.
node_conf() { # NODE ZONE API_EXTRA
	local n=$1 zone=$2 extra=$3
	cat > "$WORK/$n/etc/icinga2.conf" <<EOF
/* dynport e2e: node $n of a private master -> satellite -> agent tree. */
const NodeName = "${CN[$n]}"
const ZoneName = "$zone"
const PluginDir = "$WORK/$n/plugins"
const PluginContribDir = "$WORK/$n/plugins"
const ManubulonPluginDir = "$WORK/$n/plugins"
const TicketSalt = "$SALT"

include <itl>
include <plugins>

object FileLogger "main-log" {
	severity = "information"
	path = "$WORK/$n/var/log/icinga2.log"
}
object ApiListener "api" {
	bind_host = "127.0.0.1"
	bind_port = ${PORT[$n]}
$extra
}
object ApiUser "e2e-root" {
	password = "$ROOT_PW"
	permissions = [ "*" ]
}
include "zones.conf"
EOF
}
node_conf master master '	ticket_salt = TicketSalt'
node_conf satellite satellite '	accept_config = true
	accept_commands = true'
node_conf agent win-agent.e2e '	accept_config = true
	accept_commands = true'
# Master and satellite schedule checks; the agent only runs what it is sent (command_endpoint).
for n in master satellite; do echo 'object CheckerComponent "checker" { }' >> "$WORK/$n/etc/icinga2.conf"; done

# zones.conf of each node, as templates/icinga2/zones.conf.example describes them. The master connects to the
# satellite, the agent connects to the satellite (the `host` attributes).
cat > "$WORK/master/etc/zones.conf" <<EOF
object Endpoint "master.e2e" { }
object Zone "master" { endpoints = [ "master.e2e" ] }
object Endpoint "satellite.e2e" { host = "127.0.0.1"; port = $S_PORT }
object Zone "satellite" { endpoints = [ "satellite.e2e" ]; parent = "master" }
object Zone "global-templates" { global = true }
EOF
cat > "$WORK/satellite/etc/zones.conf" <<EOF
object Endpoint "master.e2e" { }
object Zone "master" { endpoints = [ "master.e2e" ] }
object Endpoint "satellite.e2e" { }
object Zone "satellite" { endpoints = [ "satellite.e2e" ]; parent = "master" }
object Zone "global-templates" { global = true }
EOF
cat > "$WORK/agent/etc/zones.conf" <<EOF
object Endpoint "win-agent.e2e" { }
object Zone "win-agent.e2e" { endpoints = [ "win-agent.e2e" ]; parent = "satellite" }
object Endpoint "satellite.e2e" { host = "127.0.0.1"; port = $S_PORT }
object Zone "satellite" { endpoints = [ "satellite.e2e" ] }
object Zone "global-templates" { global = true }
EOF

# The configuration, on the master only: the templates unchanged in the global zone, the agent host in the
# satellite's zone (the satellite schedules it; the agent runs it).
mkdir -p "$WORK/master/etc/zones.d/global-templates" "$WORK/master/etc/zones.d/satellite"
cp "$ROOT/templates/icinga2/dynport-command.conf" "$ROOT/templates/icinga2/dynport-services.conf" \
	"$WORK/master/etc/zones.d/global-templates/"
cat > "$WORK/master/etc/zones.d/satellite/win-agent.conf" <<EOF
object Endpoint "win-agent.e2e" { }
object Zone "win-agent.e2e" { endpoints = [ "win-agent.e2e" ]; parent = "satellite" }
object Host "win-agent.e2e" {
	check_command = "dummy"
	check_interval = 1h
	vars.dummy_state = 0
	address = "127.0.0.1"
	vars.os = "Windows"
	vars.agent_endpoint = name
	vars.exchange_roles = [ "Mailbox", "ClientAccess" ]   // profile "exchange" (apply rule): 9710/64327/64337 exposed
}
EOF

chown -R nagios:nagios "$WORK"
chown root:root "$WORK/curl-root.cfg"

# ---------------------------------------------------------------- 3. PKI: the master's CA signs everything
M="$WORK/master"
defines master
log "master: icinga2 pki new-ca, then its own certificate"
icinga2 pki new-ca "${DEFS[@]}" >/dev/null
runuser -u nagios -- icinga2 pki new-cert --cn master.e2e --key "$M/var/lib/certs/master.e2e.key" \
	--csr "$M/var/lib/certs/master.e2e.csr" >/dev/null
icinga2 pki sign-csr "${DEFS[@]}" --csr "$M/var/lib/certs/master.e2e.csr" --cert "$M/var/lib/certs/master.e2e.crt" >/dev/null
cp "$M/var/lib/ca/ca.crt" "$M/var/lib/certs/ca.crt"
chown -R nagios:nagios "$M/var"

api() { # NODE METHOD PATH [JSON]: the node's API under its certificate's name, verified against the master's CA
	local n=$1 method=$2 path=$3
	local extra=()
	[[ -n ${4:-} ]] && extra=(-d "$4")
	curl -sS --max-time 20 --cacert "$M/var/lib/certs/ca.crt" -K "$WORK/curl-root.cfg" -H 'Accept: application/json' \
		--resolve "${CN[$n]}:${PORT[$n]}:127.0.0.1" -X "$method" "https://${CN[$n]}:${PORT[$n]}$path" "${extra[@]}"
}
exists() { # NODE PATH: the API answers 200 with one object
	api "$1" GET "$2" | jq -e '.results | length == 1' >/dev/null
}
start_node() { # NODE [ENV=VALUE...]
	local n=$1; shift
	defines "$n"
	log "$n: icinga2 daemon -C, then start (API on 127.0.0.1:${PORT[$n]})"
	icinga2 daemon -C -c "$WORK/$n/etc/icinga2.conf" "${DEFS[@]}" > "$WORK/$n/validate.log" 2>&1 \
		|| { cat "$WORK/$n/validate.log" >&2; fail "icinga2 daemon -C rejected the configuration of $n"; }
	env "$@" icinga2 daemon -c "$WORK/$n/etc/icinga2.conf" "${DEFS[@]}" -d -e "$WORK/$n/var/log/error.log" \
		|| fail "icinga2 ($n) did not start: $(tail -n 5 "$WORK/$n/var/log/error.log" 2>/dev/null)"
	wait_until 60 "the Icinga 2 API of $n on 127.0.0.1:${PORT[$n]}" exists "$n" /v1/status/IcingaApplication
}
# join NODE PARENT: a certificate for NODE through Icinga's CSR auto-signing at PARENT (the master, or a
# satellite that forwards to it), with a ticket the master made for exactly this CN.
join() {
	local n=$1 parent=$2 c="$WORK/$1/var/lib/certs"
	log "$n: pki new-cert, save-cert of $parent, pki request with a ticket from the master (CA: master.e2e)"
	local ticket
	defines master
	ticket=$(icinga2 pki ticket "${DEFS[@]}" --cn "${CN[$n]}" --salt "$SALT")
	runuser -u nagios -- icinga2 pki new-cert --cn "${CN[$n]}" --key "$c/${CN[$n]}.key" --cert "$c/${CN[$n]}.crt" >/dev/null
	runuser -u nagios -- icinga2 pki save-cert --host 127.0.0.1 --port "${PORT[$parent]}" \
		--trustedcert "$c/trusted-parent.crt" >/dev/null
	# A satellite answers "pending" at first: it forwards the request to the master and keeps the signed
	# certificate for the next request (what the agent daemon or node wizard would do: ask again).
	signed() {
		runuser -u nagios -- icinga2 pki request --host 127.0.0.1 --port "${PORT[$parent]}" --ticket "$ticket" \
			--key "$c/${CN[$n]}.key" --cert "$c/${CN[$n]}.crt" --trustedcert "$c/trusted-parent.crt" --ca "$c/ca.crt" \
			>> "$WORK/$n/pki-request.log" 2>&1 || return 1
		openssl verify -CAfile "$M/var/lib/ca/ca.crt" "$c/${CN[$n]}.crt" >/dev/null 2>&1
	}
	local end=$((SECONDS + 60))
	until signed; do
		((SECONDS < end)) || { cat "$WORK/$n/pki-request.log" >&2; fail "pki request of $n at $parent: no signed certificate in 60s"; }
		sleep 2
	done
	log "$n: certificate signed by the master's CA ($(grep -c 'pending' "$WORK/$n/pki-request.log") pending answers first)"
	cmp -s "$c/ca.crt" "$M/var/lib/ca/ca.crt" || fail "$n did not receive the master's CA certificate"
	openssl verify -CAfile "$M/var/lib/ca/ca.crt" "$c/${CN[$n]}.crt" >/dev/null \
		|| fail "the certificate of $n is not signed by the master's CA"
}

start_node master
join satellite master
start_node satellite
endpoint_connected() { # NODE ENDPOINT
	api "$1" GET "/v1/objects/endpoints/$2?attrs=connected" | jq -e '.results[0].attrs.connected == true' >/dev/null
}
wait_until 90 "the master connected to the satellite" endpoint_connected master satellite.e2e
# The satellite needs the agent's Endpoint (config sync from the master's zones.d/satellite) before it talks to it.
wait_until 90 "the satellite received the agent's Endpoint by config sync" \
	exists satellite /v1/objects/endpoints/win-agent.e2e
join agent satellite
# The test seam: only the agent daemon (and so the plugin it starts) sees the stand-in System32.
start_node agent "DYNPORT_SYSTEM32=$STAND_INS"
wait_until 90 "the agent connected to the satellite" endpoint_connected satellite win-agent.e2e
wait_until 90 "the agent received CheckCommand dynport-local (global-templates sync)" \
	exists agent /v1/objects/checkcommands/dynport-local
log "tree up in $((SECONDS - START))s: master <- satellite <- agent, certificates signed by the master's CA"

# ---------------------------------------------------------------- 4. the agent-executed check, seen on the master
set +e
EXPECTED_OUT=$(runuser -u nagios -- env "DYNPORT_SYSTEM32=$STAND_INS" "$A/plugins/check_dynport" --local --profile exchange)
EXPECTED_RC=$?
set -e
log "plugin by hand on the agent: exit $EXPECTED_RC, first line: $(head -n 1 <<<"$EXPECTED_OUT")"
# The stand-ins print a real Exchange 2010 range (6005-65534) without exclusions for the DAG ports: WARNING.
[[ $EXPECTED_RC -eq 1 && $(head -n 1 <<<"$EXPECTED_OUT") == "DYNPORT WARNING - "*64327* ]] \
	|| fail "by hand the stand-ins should give WARNING naming 64327, got exit $EXPECTED_RC: $(head -n 1 <<<"$EXPECTED_OUT")"

service_attrs() { # NODE
	api "$1" GET "/v1/objects/services/win-agent.e2e!dynport?attrs=state&attrs=last_check_result&attrs=check_command&attrs=command_endpoint&attrs=zone" \
		| jq -e '.results[0].attrs'
}
S=$(service_attrs master) || fail "the master has no service win-agent.e2e!dynport"
[[ $(jq -r .check_command <<<"$S") == dynport-local ]] || fail "check_command is not dynport-local: $S"
[[ $(jq -r .command_endpoint <<<"$S") == win-agent.e2e ]] || fail "command_endpoint is not the agent: $S"
[[ $(jq -r .zone <<<"$S") == satellite ]] || fail "the service is not in the satellite's zone: $S"

T0=$(date +%s)
sleep 1
api master POST /v1/actions/reschedule-check \
	'{"type":"Service","filter":"host.name==\"win-agent.e2e\" && service.name==\"dynport\"","force":true}' \
	| jq -e '.results | length == 1 and .[0].code == 200' >/dev/null || fail "reschedule-check was not accepted by the master"
new_result_on_master() {
	service_attrs master | jq -e --argjson t0 "$T0" '.last_check_result != null and .last_check_result.execution_end > $t0' >/dev/null
}
wait_until 120 "the agent's result of win-agent.e2e!dynport on the master" new_result_on_master
ARRIVED=$(($(date +%s) - T0))
R=$(service_attrs master)
OUT=$(jq -r '.last_check_result.output' <<<"$R")
log "master shows: state $(jq -r .state <<<"$R"), check_source $(jq -r .last_check_result.check_source <<<"$R"), scheduling_source $(jq -r .last_check_result.scheduling_source <<<"$R"), output: $(head -n 1 <<<"$OUT")"
jq -e '.last_check_result.check_source == "win-agent.e2e"' <<<"$R" >/dev/null \
	|| fail "the result was not produced on the agent endpoint: $(jq -c .last_check_result <<<"$R")"
jq -e '.last_check_result.scheduling_source == "satellite.e2e"' <<<"$R" >/dev/null \
	|| fail "the check was not scheduled by the satellite: $(jq -c .last_check_result.scheduling_source <<<"$R")"
[[ $(jq -r .last_check_result.exit_status <<<"$R") == "$EXPECTED_RC" ]] \
	|| fail "exit status on the master $(jq -r .last_check_result.exit_status <<<"$R"), by hand $EXPECTED_RC: $OUT"
[[ $(jq -r .state <<<"$R") == "$EXPECTED_RC" ]] || fail "state on the master is not $EXPECTED_RC: $OUT"
EXPECTED_TEXT=$(head -n 1 <<<"$EXPECTED_OUT" | sed -e 's/|.*$//' -e 's/[[:space:]]*$//')
[[ $(head -n 1 <<<"$OUT" | sed -e 's/[[:space:]]*$//') == "$EXPECTED_TEXT" ]] \
	|| fail "the status line on the master differs from the plugin's: [$OUT] vs [$EXPECTED_TEXT]"
PERF=$(jq -r '.last_check_result.performance_data | join(" ")' <<<"$R")
log "perfdata on the master: $PERF"
EXPECTED_PERF=$(sed -n 's/^[^|]*|[[:space:]]*//p' <<<"$EXPECTED_OUT" | tr '\n' ' ' | sed -e 's/[[:space:]]*$//')
[[ -n $EXPECTED_PERF ]] || fail "the plugin printed no perfdata by hand: $EXPECTED_OUT"
for want in $EXPECTED_PERF; do
	grep -qF -- "$want" <<<"$PERF" || fail "perfdata on the master lacks [$want] that the plugin printed: $PERF"
done
jq -e --arg plugin "$A/plugins/check_dynport" \
	'def after($k): (index($k)) as $i | if $i == null then null else .[$i + 1] end;
	 .last_check_result.command[0] == $plugin and (.last_check_result.command | index("--local")) != null
	 and (.last_check_result.command | index("-H")) == null and (.last_check_result.command | after("--profile")) == "exchange"' \
	<<<"$R" >/dev/null \
	|| fail "the agent did not run its own check_dynport --local: $(jq -c .last_check_result.command <<<"$R")"
RUN_MS=$(jq -r '((.last_check_result.execution_end - .last_check_result.execution_start) * 1000 | floor)' <<<"$R")
log "distributed check: plugin run on the agent ${RUN_MS} ms; forced on the master -> result on the master in ${ARRIVED}s"
log "passed in $((SECONDS - START))s: the agent ran check_dynport --local via command_endpoint; state, output and perfdata arrived on the master"
