#!/bin/sh
# End-to-end test of dynport-probe as a process: --validate-config, --once, bad config, and the service with
# /healthz, /metrics, a state change picked up from a swapped snapshot file, and a clean SIGTERM shutdown.
# Needs Java 17 and (when the jar is not built yet) Maven; installs curl when missing. Idempotent; cleans up.
set -eu
ROOT=$(CDPATH= cd -- "$(dirname -- "$0")/../.." && pwd)
LAUNCHER="$ROOT/probe-agent/bin/dynport-probe"
FIXTURES="$ROOT/check-plugin/src/test/resources/snapshots"
if [ ! -f "$ROOT/probe-agent/target/dynport-probe.jar" ]; then
  (cd "$ROOT" && mvn -B -q -pl probe-agent -am package -DskipTests)
fi
if ! command -v curl >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null
fi
WORK=$(mktemp -d)
PID=
cleanup() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then kill -KILL "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
fail() { echo "FAIL: $*" >&2; for f in "$WORK"/*.err; do [ -f "$f" ] && sed 's/^/  | /' "$f" >&2; done; exit 1; }

cp "$FIXTURES/exchange-foreign-holder-constructed.snapshot" "$WORK/exch01.snapshot"

# 1. --validate-config: OK and a masked summary
cat > "$WORK/probe.json" <<JSON
{"agent_name": "e2e", "consecutive_samples": 1, "heartbeat_interval": "1s",
 "ops": {"listen_address": "127.0.0.1", "port": 0},
 "targets": [{"type": "snapshot", "file": "$WORK/exch01.snapshot", "interval": "1s", "jitter": "0s", "timeout": "1s"}]}
JSON
"$LAUNCHER" --config "$WORK/probe.json" --validate-config > "$WORK/validate.out" 2> "$WORK/validate.err" || fail "--validate-config exit $?"
[ "$(head -1 "$WORK/validate.out")" = "config OK" ] || fail "--validate-config did not print config OK"

# 2. bad config: one line per error, exit 3
echo '{"agent_name": "e2e", "targets": [{"type": "snapshot", "file": "/x", "interval": "abc"}]}' > "$WORK/bad.json"
set +e; "$LAUNCHER" --config "$WORK/bad.json" > /dev/null 2> "$WORK/bad.err"; rc=$?; set -e
[ "$rc" = 3 ] || fail "bad config exit $rc, expected 3"
[ "$(cat "$WORK/bad.err")" = "dynport-probe: /targets/0/interval must be a duration like 60s or 5m [abc]" ] || fail "bad config message"

# 3. --once: events for the foreign holder, exit 0
"$LAUNCHER" --config "$WORK/probe.json" --once > /dev/null 2> "$WORK/once.err" || fail "--once exit $?"
grep -q "INFO event 102 PORT_STATE_CHANGED exch01 9955/ipv4 CRITICAL (was none)" "$WORK/once.err" || fail "--once: no CRITICAL event"

# 4. the service
"$LAUNCHER" --config "$WORK/probe.json" > /dev/null 2> "$WORK/service.err" &
PID=$!
PORT=
i=0
while [ $i -lt 100 ] && [ -z "$PORT" ]; do
  PORT=$(sed -n 's|.*ops endpoint on http://127.0.0.1:\([0-9]*\)/metrics.*|\1|p' "$WORK/service.err" | head -1)
  i=$((i + 1)); sleep 0.1
done
[ -n "$PORT" ] || fail "service did not log its ops port"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz")" = 200 ] || fail "/healthz not 200"
i=0
until curl -s "http://127.0.0.1:$PORT/metrics" | grep -q 'dynport_port_state{family="ipv4",host="exch01",label="POP3 back-end",port="9955"} 2'; do
  i=$((i + 1)); [ $i -lt 100 ] || fail "/metrics never showed 9955/ipv4 critical"; sleep 0.1
done
cp "$FIXTURES/exchange-protected-constructed.snapshot" "$WORK/exch01.snapshot.tmp"
mv "$WORK/exch01.snapshot.tmp" "$WORK/exch01.snapshot"
i=0
until grep -q "INFO event 100 PORT_STATE_CHANGED exch01 9955/ipv4 HEALTHY (was CRITICAL)" "$WORK/service.err"; do
  i=$((i + 1)); [ $i -lt 100 ] || fail "no recovery event after the snapshot was fixed"; sleep 0.1
done
grep -q "INFO event 300 HEARTBEAT e2e" "$WORK/service.err" || sleep 1.5
grep -q "INFO event 300 HEARTBEAT e2e" "$WORK/service.err" || fail "no heartbeat"
kill -TERM "$PID"
set +e; wait "$PID"; rc=$?; set -e
PID=
[ "$rc" = 143 ] || fail "service exit $rc after SIGTERM, expected 143"
grep -q "INFO event 401 AGENT_STOPPING e2e" "$WORK/service.err" || fail "no AGENT_STOPPING logged"
grep -q "INFO stopped$" "$WORK/service.err" || fail "shutdown did not finish"
echo "e2e probe-agent: OK (validate, bad config, once, service on port $PORT, state change, heartbeat, SIGTERM)"
