package dev.dynport.probe.sink;

import dev.dynport.probe.event.Event;
import dev.dynport.probe.event.EventType;
import dev.dynport.check.model.State;
import java.time.Instant;
import java.util.List;

/** Constructed events for sink tests. */
final class TestEvents {
    static final Instant T0 = Instant.parse("2026-11-28T03:00:00.123456789Z");

    private TestEvents() {
    }

    static Event port(String host, int port, String family, State state, State previous, String summary) {
        return Event.port(T0, "probe-a", host, port, "IMAP backend", family, EventType.PORT_STATE_CHANGED, state,
                previous, List.of("IN_DYNAMIC_RANGE"), summary, summary + "\nsecond line of details",
                List.of("netsh int ipv4 add excludedportrange protocol=tcp startport=" + port + " numberofports=1"),
                List.of("'" + port + "/" + family + " in_dynamic'=1;;1;0;1"),
                List.of("svchost.exe PID 1234 0.0.0.0:" + port));
    }

    static Event probeFailed(String host, String reason) {
        return Event.probe(T0, "probe-a", host, EventType.PROBE_FAILED, State.UNKNOWN, null, reason, reason);
    }

    static Event probeRecovered(String host) {
        return Event.probe(T0, "probe-a", host, EventType.PROBE_RECOVERED, State.OK, State.UNKNOWN,
                "probe recovered", "");
    }

    static Event heartbeat() {
        return Event.heartbeat(T0, "probe-a", "alive", "");
    }

    /** The n-th of a numbered series, so order can be checked from the summary. */
    static Event numbered(int n) {
        return port("ex01", 9955, "ipv4", n % 2 == 0 ? State.CRITICAL : State.OK, null, "event #" + n);
    }
}
