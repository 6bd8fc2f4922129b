package dev.dynport.probe.event;

import dev.dynport.check.model.State;

/**
 * The names a {@link State} carries outside the agent: in event JSON (wire and spool), syslog structured data,
 * PagerDuty details and Windows event log texts. OK is written {@code HEALTHY}, SCOM's word, as schema version 1
 * wrote it: receivers that resolve on {@code "state":"HEALTHY"} keep working, and spooled records of every version
 * load. The other three names are the plugin's own. The Nagios/Icinga faces use {@link State} names (OK) instead,
 * which is what those systems call the state.
 */
public final class WireState {
    private static final String OK_NAME = "HEALTHY";

    private WireState() {
    }

    /** The wire name; null for no state (a monitor's first event has no previous state). */
    public static String name(State state) {
        return state == null ? null : state == State.OK ? OK_NAME : state.name();
    }

    /** The state a wire name stands for; the plugin's own {@code OK} is not a wire name and is refused. */
    public static State parse(String name) {
        if (OK_NAME.equals(name)) {
            return State.OK;
        }
        for (State s : State.values()) {
            if (s != State.OK && s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("state must be HEALTHY, WARNING, CRITICAL or UNKNOWN [" + name + "]");
    }
}
