#!/usr/bin/env bash
# End to end: what dynport-probe loses when it is killed or its spool disk fills (issue 8), counted from data.
#
#  1. kill loop: the agent jar with 24 snapshot targets whose files a background loop swaps between a CRITICAL and
#     a healthy constructed snapshot (interval 1s, consecutive_samples 1: a steady stream of state changes, and 193
#     events at every start), delivering through the syslog sink over TCP to rsyslog (a free port of 127.0.0.1, which writes
#     each message's msgid and structured data to a file). SIGKILL 0-400 ms after the first state change was
#     logged, restart on the same spool, $KILLS times; then a last run is stopped with SIGTERM once rsyslog is quiet.
#     produced   = events the spool accepted: intact records in hard links of the segment files taken after each
#                  kill while the agent was dead (SpoolScan.java, an independent reading of the format; a torn
#                  tail was never acknowledged and does not count)
#     delivered  = distinct event ids rsyslog wrote; duplicated = lines - distinct ids; lost = produced - delivered
#     lost must be 0 and every received id must be a produced one; every event the pipeline acknowledged (its FINE
#     line "spooled event ID", logged after the append returned) must be in the scan; no SEVERE log line.
#  2. full disk (full-disk.sh): the spool on a 4 MiB tmpfs, the ops endpoint on a free port, syslog to its own
#     rsyslog on a third. rsyslog is down while a backlog builds, the tmpfs is filled (and kept full) and rsyslog
#     comes back, so the backlog is delivered while no cursor file can be written; then a stop and a restart on the
#     full disk (segments pinned by hard links, so what the agent deletes frees nothing), then the space returns.
#     Checks the contract below: the agent keeps running, /healthz is unhealthy, stop and restart work, /healthz
#     and delivery recover, each event reaches rsyslog at most DUP_PER_EVENT_MAX times, and every event the agent
#     logged (it logs each one before publishing it) is delivered or counted as dropped, at the stop and when the
#     holding area overflows. Every failed check is listed, then the part fails.
#
# Prints `reliability: kills=… produced=… delivered=… duplicated=… lost=…` and `full-disk: produced=… delivered=…
# dropped_counted=… lost_uncounted=…`. Runs as root (CI=true on a fresh Debian 12, mount needs root); installs
# rsyslog, curl, maven when missing; idempotent (also after being killed: it stops what the previous run started
# by the ids it wrote down); stops what it started, unmounts, removes $WORK on success. About 2.5-3 minutes on an
# idle 2-core machine (kill loop 115-140 s), more under load. DYNPORT_RELIABILITY_PARTS="kill-loop full-disk" picks
# parts, DYNPORT_RELIABILITY_KILLS the kill count, DYNPORT_RELIABILITY_SEED the random delays (printed),
# DYNPORT_PROBE_JAR another build of the agent.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=e2e/lib.sh
. "$ROOT/e2e/lib.sh" # apt_install, free_port, work_dir; log and fail are this script's own (below)
work_dir WORK "${DYNPORT_E2E_RELIABILITY_DIR:-}" reliability || true
JAR=${DYNPORT_PROBE_JAR:-$ROOT/probe-agent/target/dynport-probe.jar}
PARTS=${DYNPORT_RELIABILITY_PARTS:-kill-loop full-disk}
KILLS=${DYNPORT_RELIABILITY_KILLS:-200}
SEED=${DYNPORT_RELIABILITY_SEED:-$(( $(date +%s) % 32768 ))}
FIXTURES="$ROOT/check-plugin/src/test/resources/snapshots"
BAD="$FIXTURES/exchange-foreign-holder-constructed.snapshot"
GOOD="$FIXTURES/exchange-protected-constructed.snapshot"
JAVA_OPTS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx128m)
AGENT_OPTS=() # per part: extra JVM options of the agent

# ---- The full-disk contract of issue 8, in one place: adjust here when the names change. -------------------------
HEALTHZ_FULL=503                                 # /healthz status while the spool cannot write
HEALTHZ_OK=200
WRITABLE_METRIC='dynport_spool_writable'         # gauge, 0 while the spool cannot write ('' = not checked)
HELD_METRIC='dynport_spool_held_events'          # gauge, events held in memory (printed, not asserted)
DROP_METRIC='dynport_spool_dropped_total'        # counter of events dropped by the disk-full policy, summed over
DROP_LABELS='reason="disk_full"'                 #   the series carrying these labels
DROP_AT_STOP_RE='[0-9]+ held event\(s\) lost'    # log text (after "stop requested") counting drops at shutdown
HOLD_FIELDS='"hold_max_events": 20'              # spool fields: a holding area small enough to overflow here
DUP_PER_EVENT_MAX=2                              # one re-send per event after the restart on the full disk
FULL_SECONDS=8                                   # how long the disk stays full before the restart
# -------------------------------------------------------------------------------------------------------------

log() { printf '[reliability %(%H:%M:%S)T] %s\n' -1 "$*"; }
fail() { printf '[reliability] FAIL: %s\n' "$*" >&2; exit 1; }

AGENT_PID=
FLIPPER_PID=
FILLER_PID=
stop_pid() { # PID: SIGTERM, then SIGKILL after 10 s; only processes this script started
	local pid=$1
	[[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
	kill "$pid" 2>/dev/null || true
	for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done
	kill -KILL "$pid" 2>/dev/null || true
}
stop_rsyslog() { # DIR: the receiver start_rsyslog started there
	[[ -f "$1/rsyslog.pid" ]] && stop_pid "$(cat "$1/rsyslog.pid" 2>/dev/null || true)"
	rm -f "$1/rsyslog.pid"
}
cleanup() {
	local rc=$?
	stop_pid "$FILLER_PID"
	stop_pid "$FLIPPER_PID"
	[[ -n $AGENT_PID ]] && kill -KILL "$AGENT_PID" 2>/dev/null || true
	stop_rsyslog "$WORK/kill"
	stop_rsyslog "$WORK/full"
	mountpoint -q "$WORK/disk" 2>/dev/null && umount "$WORK/disk"
	if ((rc == 0)); then
		rm -rf "$WORK"
	else
		echo "[reliability] work files kept in $WORK" >&2
	fi
	exit $rc
}
trap cleanup EXIT

[[ $(id -u) -eq 0 ]] || fail "run as root (the full-disk part mounts a tmpfs)"
need=()
command -v rsyslogd >/dev/null || need+=(rsyslog)
command -v curl >/dev/null || need+=(curl)
command -v mvn >/dev/null || need+=(maven)
# apt_install keeps the rsyslog package's own service from starting (policy-rc.d; on systemd also disabled).
((${#need[@]} == 0)) || apt_install "${need[@]}"
if [[ ! -f $JAR ]]; then
	log "building probe-agent"
	(cd "$ROOT" && mvn -B -ntp -q -pl probe-agent -am -DskipTests package) || fail "build failed"
fi

# a previous run that was killed before its cleanup: its agent and loops (by the ids it wrote down, if they are
# still ours), receivers and mount go first (idempotent)
if [[ -f "$WORK/pids" ]]; then
	while read -r pid; do
		[[ $pid != "$$" ]] && grep -qa reliability "/proc/$pid/cmdline" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
	done < "$WORK/pids"
fi
stop_rsyslog "$WORK/kill"
stop_rsyslog "$WORK/full"
mountpoint -q "$WORK/disk" 2>/dev/null && umount "$WORK/disk"
rm -rf "$WORK"
# Ports of this run only (before RANDOM=$SEED: picking them must not shift the seeded delays).
free_port KILL_PORT
free_port DISK_PORT
free_port OPS_PORT
mkdir -p "$WORK"/{snap,kill/archive,full}
RANDOM=$SEED
log "seed $SEED (DYNPORT_RELIABILITY_SEED=$SEED repeats the random delays), jar $JAR"

# ---- helpers ------------------------------------------------------------------------------------------------------
start_rsyslog() { # DIR PORT: rsyslog on 127.0.0.1:PORT (TCP) appending msgid and structured data to DIR/received.log
	mkdir -p "$1/rsyslog-state"
	cat > "$1/rsyslog.conf" <<CONF
global(workDirectory="$1/rsyslog-state" maxMessageSize="64k")
module(load="imtcp")
template(name="ids" type="list") { property(name="msgid") constant(value="\t") property(name="structured-data")
	constant(value="\n") }
input(type="imtcp" address="127.0.0.1" port="$2")
*.* action(type="omfile" file="$1/received.log" template="ids")
CONF
	rsyslogd -f "$1/rsyslog.conf" -i "$1/rsyslog.pid" || fail "rsyslogd did not start"
	for i in $(seq 1 40); do
		(exec 3<>/dev/tcp/127.0.0.1/$2) 2>/dev/null && return 0
		sleep 0.25
	done
	fail "rsyslog does not listen on 127.0.0.1:$2"
}
start_flipper() { # FILE...: swap each file between the CRITICAL and the healthy snapshot every 1.3 s
	local files=("$@")
	for f in "${files[@]}"; do cp "$BAD" "$f"; done
	(
		n=0
		while true; do
			n=$((n + 1))
			for f in "${files[@]}"; do
				if ((n % 2)); then cp "$GOOD" "$f.tmp"; else cp "$BAD" "$f.tmp"; fi
				mv -f "$f.tmp" "$f"
			done
			sleep 1.3 # not a multiple of the 1 s interval: a probe that always saw the same phase emits nothing
		done
	) &
	FLIPPER_PID=$!
	echo "$FLIPPER_PID" >> "$WORK/pids"
}
start_agent() { # CONFIG LOG: the agent as the service runs it, stderr appended to LOG
	TZ=UTC java "${JAVA_OPTS[@]}" "${AGENT_OPTS[@]}" -jar "$JAR" --config "$1" >/dev/null 2>>"$2" &
	AGENT_PID=$!
	echo "$AGENT_PID" >> "$WORK/pids"
}
wait_for_line() { # FILE TEXT SECONDS: true once FILE has a line containing TEXT; false if the agent died first
	local i
	for ((i = 0; i < $3 * 20; i++)); do
		grep -qF -- "$2" "$1" 2>/dev/null && return 0
		kill -0 "$AGENT_PID" 2>/dev/null || { grep -qF -- "$2" "$1" 2>/dev/null; return; }
		sleep 0.05
	done
	return 1
}
wait_quiet() { # FILE SECONDS-QUIET SECONDS-MAX: until FILE has not grown for SECONDS-QUIET
	local last=-1 same=0 size i
	for ((i = 0; i < $3 * 4; i++)); do
		size=$(stat -c %s "$1" 2>/dev/null || echo 0)
		if [[ $size == "$last" ]]; then same=$((same + 1)); else same=0; last=$size; fi
		((same >= $2 * 4)) && return 0
		sleep 0.25
	done
	return 1
}
received_ids() { # RECEIVED-FILE: one event id per well-formed message (duplicates kept)
	grep -oP '^[A-Z_]+\t\[dynport@32473 id="\K[0-9a-f-]{36}(?="[^\n]*\]$)' "$1" || true
}
malformed_lines() {
	grep -cvP '^[A-Z_]+\t\[dynport@32473 id="[0-9a-f-]{36}"[^\n]*\]$' "$1" || true
}

if [[ " $PARTS " == *" kill-loop "* ]]; then
	K="$WORK/kill"
	log "1. kill loop: $KILLS SIGKILLs during delivery to rsyslog over TCP"
	start_rsyslog "$K" "$KILL_PORT"
	targets=""
	# 24 targets: each start spools 193 events (AGENT_STARTED and 8 first states per target), whose delivery lasts
	# long enough to be hit by most kills even on an idle machine
	kill_snaps=()
	for i in $(seq -w 1 24); do
		kill_snaps+=("$WORK/snap/kill$i.snapshot")
		targets+="${targets:+, }{\"type\": \"snapshot\", \"file\": \"$WORK/snap/kill$i.snapshot\"}"
	done
	kill_config() { # SPOOL-DIR SINK-JSON
		cat <<JSON
{"agent_name": "reliability", "consecutive_samples": 1, "heartbeat_interval": "0s", "max_concurrent_probes": 4,
 "defaults": {"interval": "1s", "jitter": "0s", "timeout": "1s"},
 "ops": {"enabled": false},
 "targets": [$targets],
 "spool": {"dir": "$1", "segment_bytes": 1073741824},
 "sinks": [$2]}
JSON
	}
	kill_config "$K/spool" '{"type": "syslog", "name": "rsyslog", "host": "127.0.0.1", "port": '$KILL_PORT',
	  "protocol": "tcp", "facility": "local3", "retry_initial_ms": 100, "retry_max_ms": 1000}' > "$K/probe.json"
	# the agent's documented logging override, to see the FINE line "spooled event ID" written once the append
	# returned (DeliveryPipeline today; SpoolIntake once events can be held in memory)
	cat > "$K/logging.properties" <<'PROPS'
handlers=java.util.logging.ConsoleHandler
.level=INFO
dev.dynport.probe.sink.DeliveryPipeline.level=FINE
dev.dynport.probe.sink.SpoolIntake.level=FINE
java.util.logging.ConsoleHandler.level=FINE
java.util.logging.ConsoleHandler.formatter=java.util.logging.SimpleFormatter
java.util.logging.SimpleFormatter.format=%1$tFT%1$tT.%1$tLZ %4$s %5$s%6$s%n
PROPS
	AGENT_OPTS=("-Djava.util.logging.config.file=$K/logging.properties")
	# a class data sharing archive of the agent's classes, made by one --once run of its own: about 0.2 s less for
	# each of the restarts; without it (archive not written) the loop just runs slower
	kill_config "$K/cds-spool" '{"type": "jsonl", "path": "'"$K/cds.jsonl"'"}' > "$K/cds.json"
	for f in "${kill_snaps[@]}"; do cp "$BAD" "$f"; done
	TZ=UTC java "${JAVA_OPTS[@]}" -XX:ArchiveClassesAtExit="$K/agent.jsa" -jar "$JAR" --config "$K/cds.json" --once \
		>/dev/null 2>"$K/cds.log" || { cat "$K/cds.log" >&2; fail "--once with the kill loop's targets failed"; }
	if [[ -s "$K/agent.jsa" ]]; then
		AGENT_OPTS+=("-XX:SharedArchiveFile=$K/agent.jsa")
		log "  class data sharing archive of the agent: $(du -h "$K/agent.jsa" | cut -f1)"
	fi
	# one segment per agent run (segment_bytes 1 GiB), never deleted while it is the active one: after a kill the
	# files in segments/ hold everything the dead run accepted that is not consumed by an earlier run
	start_flipper "${kill_snaps[@]}"
	loop_start=$(date +%s)
	for ((k = 1; k <= KILLS; k++)); do
		: > "$K/run.log"
		echo "=== e2e run $k" >> "$K/agent.log"
		start_agent "$K/probe.json" "$K/run.log"
		# the first probe round's burst of first states is being spooled and delivered from here on
		wait_for_line "$K/run.log" " PORT_STATE_CHANGED " 30 \
			|| { tail -n 20 "$K/run.log" >&2; fail "run $k: the agent emitted no state change"; }
		sleep "0.$(printf '%03d' $((RANDOM % 400)))"
		kill -KILL "$AGENT_PID" 2>/dev/null || { tail -n 20 "$K/run.log" >&2; fail "run $k: the agent died by itself"; }
		wait "$AGENT_PID" 2>/dev/null || true
		AGENT_PID=
		a="$K/archive/$(printf '%04d' "$k")"
		mkdir "$a"
		for f in "$K"/spool/segments/*.seg; do [[ -e $f ]] && ln "$f" "$a/"; done
		cp "$K/spool/cursors/rsyslog.cursor" "$a/" 2>/dev/null || true
		cat "$K/run.log" >> "$K/agent.log"
		((k % 50)) || log "  $k kills, $(( $(date +%s) - loop_start )) s"
	done
	log "  last run: drain, then SIGTERM"
	: > "$K/run.log"
	echo "=== e2e run last" >> "$K/agent.log"
	start_agent "$K/probe.json" "$K/run.log"
	wait_for_line "$K/run.log" "spool opened" 30 || fail "last run: the agent did not open its spool"
	stop_pid "$FLIPPER_PID"
	FLIPPER_PID=
	sleep 2 # the probes after the last swap
	wait_quiet "$K/received.log" 3 60 || fail "the receiver did not go quiet within 60 s"
	kill -TERM "$AGENT_PID"
	rc=0
	wait "$AGENT_PID" || rc=$?
	AGENT_PID=
	cat "$K/run.log" >> "$K/agent.log"
	((rc == 143)) || fail "last run: exit $rc after SIGTERM, expected 143"
	wait_quiet "$K/received.log" 1 20 || true
	a="$K/archive/final"
	mkdir "$a"
	for f in "$K"/spool/segments/*.seg; do [[ -e $f ]] && ln "$f" "$a/"; done
	cp "$K/spool/cursors/rsyslog.cursor" "$a/" 2>/dev/null || true

	java "$HERE/SpoolScan.java" "$K/archive" rsyslog > "$K/scan.out" 2> "$K/scan.err" \
		|| { cat "$K/scan.err" >&2; fail "spool scan: $(tail -n 1 "$K/scan.out")"; }
	awk '$1 == "event" {print $3}' "$K/scan.out" | sort -u > "$K/produced.ids"
	received_ids "$K/received.log" | sort > "$K/received.all"
	sort -u "$K/received.all" > "$K/received.ids"
	produced=$(wc -l < "$K/produced.ids")
	delivered=$(comm -12 "$K/produced.ids" "$K/received.ids" | wc -l)
	duplicated=$(( $(wc -l < "$K/received.all") - $(wc -l < "$K/received.ids") ))
	lost=$(comm -23 "$K/produced.ids" "$K/received.ids" | wc -l)
	unexpected=$(comm -13 "$K/produced.ids" "$K/received.ids" | wc -l)
	owed=$(awk '$1 == "kill" && $2 != "final" && $3 != "owed=0"' "$K/scan.out" | wc -l)
	owed_end=$(awk '$1 == "kill" && $2 == "final" {sub("owed=", "", $3); print $3}' "$K/scan.out")
	logged=$({ grep -oP ' INFO event \d+ .* id=\K[0-9a-f-]{36}' "$K/agent.log" || true; } | sort -u | wc -l)
	{ grep -oP ' FINE spooled event \K[0-9a-f-]{36}' "$K/agent.log" || true; } | sort -u > "$K/acked.ids"
	acked=$(wc -l < "$K/acked.ids")
	unscanned=$(comm -23 "$K/acked.ids" "$K/produced.ids" | wc -l)
	bad_lines=$(malformed_lines "$K/received.log")
	log "  $(tail -n 1 "$K/scan.out"); kills with events owed to rsyslog: $owed of $KILLS; owed after the last stop:" \
		"$owed_end; events logged by the agent: $logged, acknowledged by publish: $acked;" \
		"quarantined files: $(find "$K/spool/quarantine" -name '*.reason' 2>/dev/null | wc -l)"
	echo "reliability: kills=$KILLS produced=$produced delivered=$delivered duplicated=$duplicated lost=$lost"
	log "  kill loop took $(( $(date +%s) - loop_start )) s"
	((produced > 0)) || fail "no event was produced"
	((lost == 0)) || fail "$lost accepted event(s) never reached rsyslog, e.g. $(comm -23 "$K/produced.ids" \
		"$K/received.ids" | head -n 3 | tr '\n' ' ')"
	severe=$(grep -cE '^\S+ SEVERE ' "$K/agent.log" || true)
	((severe == 0)) || fail "the agent logged $severe SEVERE line(s), e.g. $(grep -m 1 -E '^\S+ SEVERE ' "$K/agent.log")"
	((acked > 0)) || fail "no FINE 'spooled event' line in the agent's log: the acknowledged events cannot be checked"
	((unscanned == 0)) || fail "$unscanned of $acked acknowledged event(s) are in no spool segment, e.g." \
		"$(comm -23 "$K/acked.ids" "$K/produced.ids" | head -n 2 | tr '\n' ' ')"
	((unexpected == 0)) || fail "rsyslog got $unexpected id(s) that are in no spool segment (the scan missed a segment)"
	((bad_lines == 0)) || fail "rsyslog wrote $bad_lines malformed line(s) (a torn frame?): $(grep -vP \
		'^[A-Z_]+\t\[dynport@32473 id="' "$K/received.log" | head -n 2)"
	((owed * 2 >= KILLS)) || fail "only $owed of $KILLS kills hit the agent with events owed: not a test of delivery"
	AGENT_OPTS=()
	stop_rsyslog "$K"
	log "ok: kill loop"
fi

if [[ " $PARTS " == *" full-disk "* ]]; then
	# shellcheck source=full-disk.sh
	. "$HERE/full-disk.sh"
fi
log "PASS"
