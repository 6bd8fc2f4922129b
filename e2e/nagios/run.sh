#!/usr/bin/env bash
# End to end: templates/nagios/dynport.cfg loaded into Debian's real Nagios 4 (nagios4-core).
#
#  1. installs nagios4-core (apt), builds/installs check_dynport + jar side by side in a private $USER1$
#  2. writes a private nagios.cfg under $WORK that loads templates/nagios/dynport.cfg unchanged plus e2e hosts;
#     `nagios4 -v` must accept it; starts Nagios
#  3. forces the active check of exch01.e2e (snapshot exch-exposed-constructed.txt) through the external
#     command file and asserts status.dat holds WARNING and the plugin's output; the SSH variant (check_dynport
#     from the template, with a generated key, against a closed port) must end UNKNOWN "connection refused"
#     from the plugin itself, not a usage error
#  4. dynport-probe --once with the nagios-cmd sink on a snapshot target: the passive per-port services of
#     exch02.e2e appear in status.dat with the agent's states (first OK for every port of a protected host, so
#     none stays pending; then WARNING; then CRITICAL for a foreign holder on 9955)
#  5. a running agent with a 5s heartbeat keeps two passive services with freshness_threshold 20 fresh (OK)
#     for 50s although it probes only once an hour: heartbeats re-submit the last results
#  6. a passive service without results turns UNKNOWN "stale" through freshness checking
#
# Runs as root (CI=true, fresh Debian 12); idempotent; stops the Nagios it started; < 10 min.
# Without check-plugin/bin/check_dynport in the tree the test is SKIPPED with a loud banner (exit 0); without
# probe-agent/bin/dynport-probe steps 4-5 are skipped the same way after 1-3 passed.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=e2e/lib.sh
. "$ROOT/e2e/lib.sh"

PRIVATE_WORK=0
work_dir WORK "${DYNPORT_E2E_NAGIOS_DIR:-}" nagios && PRIVATE_WORK=1
START=$SECONDS

[[ $(id -u) -eq 0 ]] || fail "run as root (it installs packages and runs nagios4 as user nagios)"

cleanup() {
	local rc=$?
	stop_pidfile "$WORK/agent.pid" 20 || true
	stop_pidfile "$WORK/run/nagios.pid" 30 || true
	if ((rc != 0)) && [[ -d "$WORK" ]]; then
		echo "---- nagios log (tail) ----" >&2
		tail -n 40 "$WORK/var/nagios.log" 2>/dev/null >&2 || true
		echo "---- agent log (tail) ----" >&2
		tail -n 40 "$WORK/agent.log" 2>/dev/null >&2 || true
	elif ((PRIVATE_WORK)); then
		rm -rf "$WORK"
	fi
	exit $rc
}
trap cleanup EXIT

apt_install nagios4-core monitoring-plugins-basic openssh-client jq
ensure_product "$ROOT" check-plugin check_dynport check_dynport.jar || exit 0
HAVE_AGENT=1
ensure_product "$ROOT" probe-agent dynport-probe dynport-probe.jar || HAVE_AGENT=0

stop_pidfile "$WORK/agent.pid" 20
stop_pidfile "$WORK/run/nagios.pid" 30
rm -rf "$WORK"
mkdir -p "$WORK"/{etc,plugins,snap,var/checkresults,rw,run,tmp,agent,ssh}
# A key and an empty known_hosts for the SSH variant (it only has to get as far as the TCP connect).
ssh-keygen -q -t ed25519 -N '' -C dynport-e2e -f "$WORK/ssh/id_ed25519"
: > "$WORK/ssh/known_hosts"
install_product "$ROOT" check-plugin check_dynport check_dynport.jar "$WORK/plugins"
ln -s /usr/lib/nagios/plugins/check_dummy "$WORK/plugins/check_dummy"
# Stand-in for check_nrpe + NSClient++ (constructed; no Windows here): prints what the ini's check_dynport line
# prints (--format nrpe) for a snapshot, cut as an NRPE v2 payload is (1023 bytes), with its exit status.
cat > "$WORK/plugins/check_nrpe" <<NRPE
#!/bin/sh
out=\$("$WORK/plugins/check_dynport" --snapshot "$WORK/snap/exch-foreign-holder-constructed.txt" --profile exchange --format nrpe)
rc=\$?
printf '%s\n' "\$out" | head -c 1023
exit \$rc
NRPE
chmod 755 "$WORK/plugins/check_nrpe"
cp "$ROOT"/e2e/icinga2/snapshots/*.txt "$WORK/snap/"
cp "$WORK/snap/exch-protected-constructed.txt" "$WORK/snap/exch02-current.txt"

cat > "$WORK/etc/nagios.cfg" <<EOF
# dynport e2e: a private Nagios 4. The template is loaded unchanged; e2e.cfg holds the e2e scaffolding.
log_file=$WORK/var/nagios.log
cfg_file=$WORK/etc/e2e.cfg
cfg_file=$ROOT/templates/nagios/dynport.cfg
object_cache_file=$WORK/var/objects.cache
precached_object_file=$WORK/var/objects.precache
resource_file=$WORK/etc/resource.cfg
status_file=$WORK/var/status.dat
status_update_interval=1
nagios_user=nagios
nagios_group=nagios
check_external_commands=1
command_file=$WORK/rw/nagios.cmd
lock_file=$WORK/run/nagios.pid
temp_file=$WORK/var/nagios.tmp
temp_path=$WORK/tmp
check_result_path=$WORK/var/checkresults
retain_state_information=0
state_retention_file=$WORK/var/retention.dat
use_syslog=0
log_passive_checks=1
log_external_commands=1
enable_notifications=0
check_service_freshness=1
service_freshness_check_interval=2
additional_freshness_latency=1
interval_length=60
service_check_timeout=60
max_service_check_spread=1
check_for_updates=0
illegal_macro_output_chars=\`~\$&|'"<>
EOF
# shellcheck disable=SC2016 # $USER1$ is a Nagios macro, not a shell variable
printf '$USER1$=%s\n' "$WORK/plugins" > "$WORK/etc/resource.cfg"

cat > "$WORK/etc/e2e.cfg" <<EOF
define timeperiod {
    timeperiod_name 24x7
    alias           always
    sunday          00:00-24:00
    monday          00:00-24:00
    tuesday         00:00-24:00
    wednesday       00:00-24:00
    thursday        00:00-24:00
    friday          00:00-24:00
    saturday        00:00-24:00
}
define contact {
    contact_name                    e2e
    host_notifications_enabled      0
    service_notifications_enabled   0
    host_notification_period        24x7
    service_notification_period     24x7
    host_notification_options       n
    service_notification_options    n
    host_notification_commands     e2e-noop
    service_notification_commands  e2e-noop
}
define command {
    command_name    e2e-noop
    command_line    /bin/true
}
define host {
    name                    e2e-host
    check_command           e2e-noop
    max_check_attempts      1
    check_period            24x7
    contacts                e2e
    address                 127.0.0.1
    register                0
}
# Active check on a snapshot (not in hostgroup dynport-exchange, which would add the SSH variant).
define host {
    use                     e2e-host
    host_name               exch01.e2e
    _DYNPORT_PROFILE        exchange-popimap
    _DYNPORT_CHARSET        IBM850
    _DYNPORT_TIMEOUT        50
}
define service {
    use                     dynport-service
    host_name               exch01.e2e
    service_description     dynport
    contacts                e2e
    check_command           check_dynport_snapshot!$WORK/snap/exch-exposed-constructed.txt
}
# The template's SSH command against a closed port: the plugin must answer for itself (UNKNOWN).
define host {
    use                     e2e-host,dynport-exchange-host
    host_name               exch-ssh.e2e
    _DYNPORT_SSH_PORT       1
    _DYNPORT_LOGNAME        svc-dynport
    _DYNPORT_IDENTITY       $WORK/ssh/id_ed25519
    _DYNPORT_KNOWN_HOSTS    $WORK/ssh/known_hosts
    _DYNPORT_TIMEOUT        10
}
# The template's check_nrpe command (check_nrpe is a stand-in, see above).
define host {
    use                     e2e-host,dynport-nrpe-host
    host_name               exch-nrpe.e2e
}
# Fed by dynport-probe through the external command file.
define host {
    use                     e2e-host,dynport-agent-host
    host_name               exch02.e2e
}
EOF
# The agent-result services get a short freshness threshold here (the template's is an hour).
cat >> "$WORK/etc/e2e.cfg" <<'EOF'
define service {
    use                     dynport-agent-result
    host_name               exch02.e2e
    service_description     dynport-1995-ipv6-fresh
    freshness_threshold     15
    contacts                e2e
}
# Fed by a long-running agent whose heartbeats must keep these fresh (threshold 20s, heartbeat 5s).
define host {
    use                     e2e-host
    host_name               exch05.e2e
}
define service {
    use                     dynport-agent-result
    host_name               exch05.e2e
    service_description     dynport-1993-ipv4
    freshness_threshold     20
    contacts                e2e
}
define service {
    use                     dynport-agent-result
    host_name               exch05.e2e
    service_description     dynport-9955-ipv4
    freshness_threshold     20
    contacts                e2e
}
EOF
chown -R nagios:nagios "$WORK"
chown -R root:root "$WORK/agent"

log "validating: nagios4 -v"
nagios4 -v "$WORK/etc/nagios.cfg" > "$WORK/verify.log" 2>&1 || { cat "$WORK/verify.log" >&2; fail "nagios4 -v rejected the template"; }
grep -E 'Total (Warnings|Errors)' "$WORK/verify.log" | sed 's/^/    /'

log "starting nagios4"
nagios4 -d "$WORK/etc/nagios.cfg" || fail "nagios4 did not start"
wait_until 30 "the external command file" test -p "$WORK/rw/nagios.cmd"
wait_until 30 "status.dat" test -s "$WORK/var/status.dat"

# Prints KEY=VALUE lines of the servicestatus block of HOST/SERVICE from status.dat.
svc_status() {
	awk -v h="$1" -v s="$2" '
		/^servicestatus \{/ { inblock = 1; n = 0; delete kv; next }
		inblock && /^\t}/ { if (kv["host_name"] == h && kv["service_description"] == s) { for (k in kv) print k "=" kv[k]; exit } inblock = 0; next }
		inblock { line = $0; sub(/^\t/, "", line); i = index(line, "="); kv[substr(line, 1, i - 1)] = substr(line, i + 1) }
	' "$WORK/var/status.dat"
}
svc_field() { svc_status "$1" "$2" | sed -n "s/^$3=//p"; }
ext_cmd() { printf '[%s] %s\n' "$(date +%s)" "$1" > "$WORK/rw/nagios.cmd"; }

# ---------------------------------------------------------------- active check
log "active check of exch01.e2e through the template's check_dynport_snapshot"
set +e
EXPECTED_OUT=$(runuser -u nagios -- "$WORK/plugins/check_dynport" --snapshot "$WORK/snap/exch-exposed-constructed.txt" --profile exchange-popimap)
EXPECTED_RC=$?
set -e
[[ $EXPECTED_RC -eq 1 ]] || fail "check_dynport on exch-exposed-constructed.txt should exit 1, got $EXPECTED_RC"
# Nagios stores plugin output with every ';' turned into ':' (';' separates fields in its command syntax).
EXPECTED_TEXT=$(head -n 1 <<<"$EXPECTED_OUT" | sed -e 's/|.*$//' -e 's/[[:space:]]*$//' -e 's/;/:/g')
ext_cmd "SCHEDULE_FORCED_SVC_CHECK;exch01.e2e;dynport;$(date +%s)"
active_done() { [[ $(svc_field exch01.e2e dynport has_been_checked) == 1 ]]; }
wait_until 90 "status.dat to show a result for exch01.e2e;dynport" active_done
state=$(svc_field exch01.e2e dynport current_state)
out=$(svc_field exch01.e2e dynport plugin_output)
perf=$(svc_field exch01.e2e dynport performance_data)
log "status.dat: state $state, output: $out"
[[ $state == 1 ]] || fail "exch01.e2e;dynport current_state is $state, expected 1 (WARNING)"
[[ $(sed -e 's/[[:space:]]*$//' <<<"$out") == "$EXPECTED_TEXT" ]] || fail "plugin_output differs from the plugin's: [$out] vs [$EXPECTED_TEXT]"
grep -q 'ipv4_dynamic_start=6005' <<<"$perf" || fail "performance_data lacks ipv4_dynamic_start=6005: $perf"
# NRPE path: the template's check_dynport_nrpe command; the state and the complete perfdata must arrive.
if runuser -u nagios -- "$WORK/plugins/check_dynport" --help 2>&1 | grep -q -- 'nrpe'; then
	set +e
	FULL_OUT=$(runuser -u nagios -- "$WORK/plugins/check_dynport" --snapshot "$WORK/snap/exch-foreign-holder-constructed.txt" --profile exchange)
	FULL_RC=$?
	set -e
	FULL_PERF=$(head -n 1 <<<"$FULL_OUT" | sed -n 's/^[^|]*| //p')
	ext_cmd "SCHEDULE_FORCED_SVC_CHECK;exch-nrpe.e2e;dynport;$(date +%s)"
	nrpe_done() { [[ $(svc_field exch-nrpe.e2e dynport has_been_checked) == 1 ]]; }
	wait_until 90 "status.dat to show a result for exch-nrpe.e2e;dynport" nrpe_done
	log "NRPE variant: state $(svc_field exch-nrpe.e2e dynport current_state) (plugin exit $FULL_RC, full output ${#FULL_OUT} bytes), output: $(svc_field exch-nrpe.e2e dynport plugin_output)"
	[[ $(svc_field exch-nrpe.e2e dynport current_state) == "$FULL_RC" ]] || fail "NRPE variant: state differs from the plugin's exit $FULL_RC"
	[[ $(svc_field exch-nrpe.e2e dynport performance_data | sed -e 's/[[:space:]]*$//' -e 's/;/:/g') == "$(sed -e 's/;/:/g' <<<"$FULL_PERF")" ]] \
		|| fail "NRPE variant: perfdata differs from the plugin's: [$(svc_field exch-nrpe.e2e dynport performance_data)] vs [$FULL_PERF]"
fi
# The SSH variant needs a build with the SSH options (-p, -l, -i, --known-hosts).
if runuser -u nagios -- "$WORK/plugins/check_dynport" --help 2>&1 | grep -q -- '--known-hosts'; then
	ext_cmd "SCHEDULE_FORCED_SVC_CHECK;exch-ssh.e2e;dynport;$(date +%s)"
	ssh_done() { [[ $(svc_field exch-ssh.e2e dynport has_been_checked) == 1 ]]; }
	wait_until 90 "status.dat to show a result for exch-ssh.e2e;dynport" ssh_done
	ssh_out=$(svc_field exch-ssh.e2e dynport plugin_output)
	log "SSH variant: state $(svc_field exch-ssh.e2e dynport current_state), output: $ssh_out"
	[[ $(svc_field exch-ssh.e2e dynport current_state) == 3 ]] || fail "SSH to a closed port should be UNKNOWN"
	[[ $ssh_out == "DYNPORT UNKNOWN"* ]] || fail "SSH variant did not answer as the plugin: $ssh_out"
	grep -qiE 'usage|unrecognized|unknown option|missing argument' <<<"$ssh_out" \
		&& fail "the template's SSH command line is not accepted by check_dynport: $ssh_out"
	grep -qiE 'refused|connect' <<<"$ssh_out" || fail "the SSH variant did not get as far as connecting: $ssh_out"
else
	skip_loudly "this check_dynport has no SSH options (-l/-i/--known-hosts): the template's SSH command line was not run"
fi
log "active part passed"

if ((HAVE_AGENT == 0)); then
	log "active part passed in $((SECONDS - START))s; the agent part was SKIPPED (see banner above)"
	stop_pidfile "$WORK/run/nagios.pid" 30
	exit 0
fi

# ---------------------------------------------------------------- the agent's nagios-cmd sink
install_product "$ROOT" probe-agent dynport-probe dynport-probe.jar "$WORK/agent/bin"
cat > "$WORK/agent/probe.json" <<EOF
{
  "agent_name": "e2e-agent",
  "consecutive_samples": 1,
  "heartbeat_interval": "0s",
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
  "ops": { "enabled": false },
  "spool": { "dir": "$WORK/agent/spool" },
  "sinks": [
    { "name": "nagios", "type": "nagios-cmd", "path": "$WORK/rw/nagios.cmd", "mode": "per-port" }
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
"$AGENT" --config "$WORK/agent/probe.json" --validate-config > "$WORK/agent-validate.log" 2>&1 \
	|| { cat "$WORK/agent-validate.log" >&2; fail "dynport-probe rejected the e2e config"; }
passive_is() { # HOST SERVICE STATE
	[[ $(svc_field "$1" "$2" has_been_checked) == 1 && $(svc_field "$1" "$2" current_state) == "$3" ]] \
		&& ! svc_field "$1" "$2" plugin_output | grep -q stale
}
# The agent reports the first confirmed state of every port, Healthy included: on a protected host every
# per-port passive service must leave PENDING with an OK from the agent.
for fam in ipv4 ipv6; do
	for port in 9933 9955 1993 1995; do
		[[ $(svc_field exch02.e2e "dynport-$port-$fam" has_been_checked) == 0 ]] \
			|| fail "exch02.e2e;dynport-$port-$fam has a result before the agent ran"
	done
done
log "dynport-probe --once (every port protected: all Healthy)"
timeout 120 "$AGENT" --config "$WORK/agent/probe.json" --once >> "$WORK/agent.log" 2>&1 || fail "dynport-probe --once failed"
no_pipeline
for fam in ipv4 ipv6; do
	for port in 9933 9955 1993 1995; do
		wait_until 30 "exch02.e2e;dynport-$port-$fam OK in status.dat" passive_is exch02.e2e "dynport-$port-$fam" 0
	done
done
log "status.dat (healthy port): $(svc_field exch02.e2e dynport-9955-ipv4 plugin_output)"
cp "$WORK/snap/exch-exposed-constructed.txt" "$WORK/snap/exch02-current.txt"
log "dynport-probe --once (9933 and 9955 exposed)"
timeout 120 "$AGENT" --config "$WORK/agent/probe.json" --once >> "$WORK/agent.log" 2>&1 || fail "dynport-probe --once failed"
wait_until 30 "exch02.e2e;dynport-9955-ipv4 WARNING in status.dat" passive_is exch02.e2e dynport-9955-ipv4 1
wait_until 30 "exch02.e2e;dynport-9933-ipv6 WARNING in status.dat" passive_is exch02.e2e dynport-9933-ipv6 1
passive_is exch02.e2e dynport-1993-ipv4 0 || fail "exch02.e2e;dynport-1993-ipv4 should still be OK"
cp "$WORK/snap/exch-foreign-holder-constructed.txt" "$WORK/snap/exch02-current.txt"
log "dynport-probe --once (9955 held by svchost.exe)"
timeout 120 "$AGENT" --config "$WORK/agent/probe.json" --once >> "$WORK/agent.log" 2>&1 || fail "dynport-probe --once failed"
wait_until 30 "exch02.e2e;dynport-9955-ipv4 CRITICAL in status.dat" passive_is exch02.e2e dynport-9955-ipv4 2
log "status.dat: $(svc_field exch02.e2e dynport-9955-ipv4 plugin_output)"
svc_field exch02.e2e dynport-9955-ipv4 plugin_output | grep -qi svchost || fail "CRITICAL result does not name svchost.exe"
log "agent part passed: PROCESS_SERVICE_CHECK_RESULT lines from the nagios-cmd sink reached status.dat"

# ---------------------------------------------------------------- heartbeats keep passive results fresh
jq --arg f "$WORK/snap/exch-protected-constructed.txt" '.targets[0].name = "exch05.e2e" | .targets[0].file = $f
	| .heartbeat_interval = "5s" | .spool.dir += "-heartbeat"' "$WORK/agent/probe.json" > "$WORK/agent/probe-heartbeat.json"
log "(heartbeat) dynport-probe running on exch05.e2e (protected, probed once an hour, heartbeat 5s)"
"$AGENT" --config "$WORK/agent/probe-heartbeat.json" >> "$WORK/agent.log" 2>&1 &
echo $! > "$WORK/agent.pid"
wait_until 60 "exch05.e2e;dynport-1993-ipv4 OK in status.dat" passive_is exch05.e2e dynport-1993-ipv4 0
HB_T0=$(date +%s)
log "(heartbeat) waiting 50s (> freshness_threshold 20s)"
sleep 50
for svc in dynport-1993-ipv4 dynport-9955-ipv4; do
	passive_is exch05.e2e "$svc" 0 || fail "exch05.e2e;$svc did not stay OK and fresh: $(svc_status exch05.e2e "$svc" | tr '\n' ' ')"
	lc=$(svc_field exch05.e2e "$svc" last_check)
	((lc > HB_T0 + 30)) || fail "exch05.e2e;$svc: no recent re-submission (last_check $lc, waiting began at $HB_T0)"
done
kill -0 "$(cat "$WORK/agent.pid")" 2>/dev/null || fail "dynport-probe exited during the heartbeat test"
stop_pidfile "$WORK/agent.pid" 20
log "(heartbeat) passed: both services fresh after 50s, last result $(( $(date +%s) - $(svc_field exch05.e2e dynport-1993-ipv4 last_check) ))s old"

# ---------------------------------------------------------------- freshness
stale() { [[ $(svc_field exch02.e2e dynport-1995-ipv6-fresh current_state) == 3 ]] && svc_field exch02.e2e dynport-1995-ipv6-fresh plugin_output | grep -q stale; }
wait_until 90 "the never-fed passive service to turn UNKNOWN stale" stale
log "freshness passed: $(svc_field exch02.e2e dynport-1995-ipv6-fresh plugin_output)"

stop_pidfile "$WORK/run/nagios.pid" 30
log "nagios e2e passed in $((SECONDS - START))s"
