# Part 2 of e2e/reliability/run.sh (sourced; uses its variables, helpers and cleanup trap): the spool on a tmpfs
# that fills up while the agent runs. Every check that fails is collected, so one run names all of them; the part
# fails at the end if any did. The expected names and codes are the contract block at the top of run.sh.
F="$WORK/full"
DISK="$WORK/disk"
log "2. full disk: spool on a tmpfs, filled while events are produced"
mkdir -p "$DISK"
mount -t tmpfs -o size=4m,mode=0700 dynport-e2e-spool "$DISK" || fail "cannot mount a tmpfs at $DISK"
mkdir "$DISK/pinned"
disk_config() { # SPOOL-FIELDS
	cat <<JSON
{"agent_name": "reliability-disk", "consecutive_samples": 1, "heartbeat_interval": "0s",
 "defaults": {"interval": "1s", "jitter": "0s", "timeout": "1s"},
 "ops": {"enabled": true, "listen_address": "127.0.0.1", "port": $OPS_PORT},
 "targets": [{"type": "snapshot", "file": "$WORK/snap/disk01.snapshot"},
             {"type": "snapshot", "file": "$WORK/snap/disk02.snapshot"}],
 "spool": {"dir": "$DISK/spool", "segment_bytes": 262144$1},
 "sinks": [{"type": "syslog", "name": "rsyslog", "host": "127.0.0.1", "port": $DISK_PORT, "protocol": "tcp",
            "facility": "local3", "retry_initial_ms": 100, "retry_max_ms": 1000}]}
JSON
}

problems=()
problem() { problems+=("$*"); log "  NOT OK: $*"; }
# Counted drops are read from /metrics before each stop, and from the log for the events still held at the stop.
# The stop on the full disk runs with the default holding area, which does not overflow here, so the AGENT_STOPPING
# event that comes after the last scrape cannot push out an event uncounted; the restarted run has a small holding
# area (HOLD_FIELDS) that overflows while the disk is full and is scraped after the space returned, so the drop
# policy itself is counted exactly too. An agent without that field still runs the rest.
disk_config "" > "$F/probe.json"
disk_config "${HOLD_FIELDS:+, $HOLD_FIELDS}" > "$F/probe-hold.json"
if ! java -jar "$JAR" --config "$F/probe-hold.json" --validate-config > /dev/null 2> "$F/validate.err"; then
	problem "the spool config does not take [$HOLD_FIELDS]: $(head -n 1 "$F/validate.err")"
	cp "$F/probe.json" "$F/probe-hold.json"
fi
healthz() {
	local code
	code=$(curl -s -o /dev/null -m 3 -w '%{http_code}' "http://127.0.0.1:$OPS_PORT/healthz") || true
	echo "${code:-000}"
}
metric() { # NAME [LABELS]: the sum of NAME's series that carry LABELS, or "absent"
	curl -s -m 3 "http://127.0.0.1:$OPS_PORT/metrics" | awk -v n="$1" -v l="${2:-}" '
		/^#/ { next }
		{ name = $1; sub(/\{.*/, "", name)
		  if (name == n && (l == "" || index($1, l) > 0)) { sum += $NF; found = 1 } }
		END { if (found) printf "%d\n", sum; else print "absent" }'
}
wait_health() { # CODE SECONDS: true once /healthz answers CODE
	local i
	for ((i = 0; i < $2 * 4; i++)); do
		[[ $(healthz) == "$1" ]] && return 0
		sleep 0.25
	done
	return 1
}
run=0
start_run() { # [CONFIG]: starts the agent; true if it is up (ops endpoint logged) and still running 3 s later
	run=$((run + 1))
	echo "=== e2e run $run" >> "$F/agent.log"
	start_agent "${1:-$F/probe.json}" "$F/agent.log"
	wait_for_line_after "=== e2e run $run" "ops endpoint on" 30 && sleep 3 && kill -0 "$AGENT_PID" 2>/dev/null
}
wait_for_line_after() { # MARKER TEXT SECONDS: TEXT in the agent log after MARKER
	local i
	for ((i = 0; i < $3 * 20; i++)); do
		sed -n "/^$1\$/,\$p" "$F/agent.log" | grep -qF -- "$2" && return 0
		kill -0 "$AGENT_PID" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}
drops_counted=0
stop_run() { # scrape the drop counter, SIGTERM, check the exit; adds the run's counted drops to drops_counted
	local d at_stop rc=0 i
	if ! kill -0 "$AGENT_PID" 2>/dev/null; then
		wait "$AGENT_PID" || rc=$?
		AGENT_PID=
		problem "run $run had ended by itself before its stop (exit $rc): $(tail -n 2 "$F/agent.log" | tr '\n' ' ')"
		return 0
	fi
	d=$(metric "$DROP_METRIC" "$DROP_LABELS")
	publish_failures=$(( ${publish_failures:-0} + $(metric dynport_event_publish_failures_total | sed 's/absent/0/') ))
	kill -TERM "$AGENT_PID"
	for ((i = 0; i < 120; i++)); do kill -0 "$AGENT_PID" 2>/dev/null || break; sleep 0.25; done
	if kill -0 "$AGENT_PID" 2>/dev/null; then
		problem "run $run: still running 30 s after SIGTERM (killed)"
		kill -KILL "$AGENT_PID"
	fi
	wait "$AGENT_PID" || rc=$?
	AGENT_PID=
	((rc == 143)) || problem "run $run: exit $rc after SIGTERM, expected 143"
	at_stop=$(sed -n "/^=== e2e run $run\$/,\$p" "$F/agent.log" | sed -n '/stop requested/,$p' \
		| { grep -oP "$DROP_AT_STOP_RE" || true; } | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) s += $i }
			END { print s + 0 }')
	[[ $d == absent ]] && d=0
	log "  run $run stopped: $d dropped before the stop ($DROP_METRIC{$DROP_LABELS}), ${at_stop:-0} at the stop (log)"
	drops_counted=$((drops_counted + d + ${at_stop:-0}))
	run_drops=$d
}
fill_disk() { # fills the tmpfs and keeps it full (the agent frees space when it deletes consumed segments)
	dd if=/dev/zero of="$DISK/filler" bs=4096 status=none 2>/dev/null || true
	(
		while true; do
			dd if=/dev/zero of="$DISK/filler" bs=4096 oflag=append conv=notrunc status=none 2>/dev/null || true
			sleep 0.1
		done
	) &
	FILLER_PID=$!
	echo "$FILLER_PID" >> "$WORK/pids"
}

start_rsyslog "$F" "$DISK_PORT"
start_flipper "$WORK"/snap/disk0{1,2}.snapshot
start_run || fail "the agent did not start with space on the disk: $(tail -n 5 "$F/agent.log")"
wait_health "$HEALTHZ_OK" 10 || fail "/healthz is $(healthz) with space on the disk, expected $HEALTHZ_OK"
for ((i = 0; i < 80; i++)); do [[ $(wc -l < "$F/received.log" 2>/dev/null || echo 0) -ge 16 ]] && break; sleep 0.25; done
log "  ok: running, /healthz $HEALTHZ_OK, $(wc -l < "$F/received.log") messages at rsyslog"
# Events wait in the spool while rsyslog is down, then the disk fills and rsyslog comes back: the backlog is
# delivered while no cursor file can be written (the re-send loop of issue 8). rsyslog goes down while no agent is
# connected: a message written into a connection the receiver just closed is lost in TCP (a documented limit of
# the syslog sink, not of the spool).
stop_pid "$FLIPPER_PID"
FLIPPER_PID=
sleep 2 # the probes after the last swap
stop_run
stop_rsyslog "$F"
start_flipper "$WORK"/snap/disk0{1,2}.snapshot
start_run || fail "the agent did not start with space on the disk: $(tail -n 5 "$F/agent.log")"
sleep 2
backlog=$(metric dynport_spool_depth_events 'sink="rsyslog"')
fill_start=$(wc -l < "$F/agent.log")
fill_disk
start_rsyslog "$F" "$DISK_PORT"
log "  disk full: $(stat -f -c %a "$DISK") free blocks, rsyslog back, $backlog event(s) were waiting;" \
	"$FULL_SECONDS s of events"
saw_full=no
for ((i = 0; i < FULL_SECONDS * 4; i++)); do
	[[ $(healthz) == "$HEALTHZ_FULL" ]] && saw_full=yes
	sleep 0.25
done
kill -0 "$AGENT_PID" 2>/dev/null || problem "the agent died on the full disk: $(tail -n 3 "$F/agent.log")"
h=$(healthz)
[[ $saw_full == yes && $h == "$HEALTHZ_FULL" ]] \
	|| problem "/healthz said $h on the full disk (unhealthy seen: $saw_full), expected $HEALTHZ_FULL"
if [[ -n $WRITABLE_METRIC ]]; then
	w=$(metric "$WRITABLE_METRIC")
	[[ $w == 0 ]] || problem "$WRITABLE_METRIC is [$w] on the full disk, expected 0"
fi
log "  on the full disk: /healthz $h, $HELD_METRIC $(metric "$HELD_METRIC"), $DROP_METRIC{$DROP_LABELS}" \
	"$(metric "$DROP_METRIC" "$DROP_LABELS"), publish failures $(metric dynport_event_publish_failures_total)," \
	"SEVERE log lines $(tail -n +"$fill_start" "$F/agent.log" | grep -c ' SEVERE ' || true)"

log "  stop and restart on the full disk"
stop_pid "$FLIPPER_PID"
FLIPPER_PID=
sleep 2 # the probes after the last swap: no event between the scrape and the stop but AGENT_STOPPING
stop_run
# The agent deletes consumed segments when it starts, and the space that frees would let it start: hard links keep
# their pages taken (as a backup job holding the deleted files open would), so the restart meets a full disk.
for f in "$DISK"/spool/segments/*.seg; do [[ -e $f ]] && ln "$f" "$DISK/pinned/"; done
dd if=/dev/zero of="$DISK/filler" bs=4096 oflag=append conv=notrunc status=none 2>/dev/null || true
log "  $(stat -f -c %a "$DISK") free blocks before the restart"
start_flipper "$WORK"/snap/disk0{1,2}.snapshot
if start_run "$F/probe-hold.json"; then
	h=$(healthz)
	[[ $h == "$HEALTHZ_FULL" ]] || problem "after the restart on the full disk /healthz said $h, expected $HEALTHZ_FULL"
	log "  restarted on the full disk: /healthz $h"
	sleep 4 # more events than the small holding area takes
	restarted=yes
else
	problem "restart on the full disk failed: $(sed -n "/^=== e2e run $run\$/,\$p" "$F/agent.log" \
		| tail -n 1)"
	wait "$AGENT_PID" 2>/dev/null || true
	AGENT_PID=
fi
full_events=$(tail -n +"$fill_start" "$F/agent.log" | grep -c ' INFO event ' || true)

log "  space returns"
stop_pid "$FILLER_PID"
FILLER_PID=
rm -f "$DISK/filler" "$DISK"/pinned/*
if [[ -z $AGENT_PID ]]; then
	start_run || fail "the agent does not start even with space on the disk: $(tail -n 5 "$F/agent.log")"
fi
wait_health "$HEALTHZ_OK" 20 || problem "/healthz is $(healthz) 20 s after the space returned, expected $HEALTHZ_OK"
stop_pid "$FLIPPER_PID"
FLIPPER_PID=
sleep 2
wait_quiet "$F/received.log" 3 60 || problem "rsyslog still receives 60 s after the space returned (endless re-sends?)"
stop_run
wait_quiet "$F/received.log" 1 20 || true
if [[ ${restarted:-no} == yes ]] && ! cmp -s "$F/probe.json" "$F/probe-hold.json" && ((run_drops == 0)); then
	problem "the restarted run's holding area [$HOLD_FIELDS] never overflowed: the drop policy was not exercised"
fi

{ grep -oP ' INFO event \d+ .* id=\K[0-9a-f-]{36}' "$F/agent.log" || true; } | sort -u > "$F/produced.ids"
received_ids "$F/received.log" | sort > "$F/received.all"
sort -u "$F/received.all" > "$F/received.ids"
produced=$(wc -l < "$F/produced.ids")
delivered=$(comm -12 "$F/produced.ids" "$F/received.ids" | wc -l)
duplicated=$(( $(wc -l < "$F/received.all") - $(wc -l < "$F/received.ids") ))
reports=$(comm -13 "$F/produced.ids" "$F/received.ids" | wc -l)
most=$(uniq -c "$F/received.all" | sort -rn | head -n 1 | awk '{print $1}')
lost_uncounted=$((produced - delivered - drops_counted))
log "  $full_events events logged while the disk was full; $duplicated duplicate(s), at most ${most:-0} copies of one" \
	"event; $reports received event(s) not logged by the agent (delivery's own reports); publish failures" \
	"counted by the agent: ${publish_failures:-0}"
echo "full-disk: produced=$produced delivered=$delivered dropped_counted=$drops_counted lost_uncounted=$lost_uncounted"
((full_events > 0)) || fail "no event was produced while the disk was full: the part tested nothing"
if ((lost_uncounted > 0)); then
	problem "$lost_uncounted event(s) neither delivered nor counted by the drop policy ($DROP_METRIC{$DROP_LABELS}" \
		"and '$DROP_AT_STOP_RE' in the log; ${publish_failures:-0} counted as publish failures); not received," \
		"dropped or not: $(comm -23 "$F/produced.ids" "$F/received.ids" | head -n 2 | tr '\n' ' ')"
elif ((lost_uncounted < 0)); then
	problem "the drop policy counted $((-lost_uncounted)) more event(s) than rsyslog is missing"
fi
((${most:-0} <= DUP_PER_EVENT_MAX)) || problem "one event reached rsyslog $most times (at most $DUP_PER_EVENT_MAX):" \
	"re-sent while its cursor could not be written"
bad_lines=$(malformed_lines "$F/received.log")
((bad_lines == 0)) || problem "rsyslog wrote $bad_lines malformed line(s)"
umount "$DISK"
if ((${#problems[@]})); then
	printf '[reliability] full disk: %s\n' "${problems[@]}" >&2
	fail "full disk: ${#problems[@]} check(s) failed"
fi
log "ok: full disk"
