package dev.dynport.probe.event;

import dev.dynport.check.model.State;
/**
 * Event IDs written to the Windows event log and carried in every event, in the {@code eventcreate} range
 * 1-1000. This table is the single source: the table in docs/agent.md and the SCOM management pack are checked against
 * it by tests. Re-notifications carry the same ID as the state they repeat.
 */
public final class EventIds {
    public static final int PORT_HEALTHY = 100;
    public static final int PORT_WARNING = 101;
    public static final int PORT_CRITICAL = 102;
    public static final int PORT_UNKNOWN = 103;
    public static final int PROBE_FAILED = 200;
    public static final int PROBE_RECOVERED = 201;
    public static final int HEARTBEAT = 300;
    public static final int AGENT_STARTED = 400;
    public static final int AGENT_STOPPING = 401;
    public static final int EVENTS_DROPPED = 500;
    public static final int USAGE_HEALTHY = 600;
    public static final int USAGE_WARNING = 601;
    public static final int USAGE_CRITICAL = 602;
    /** Not emitted today: a usage that cannot be counted makes the check UNKNOWN, which is a PROBE_FAILED. */
    public static final int USAGE_UNKNOWN = 603;

    private EventIds() {
    }

    public static int forPortState(State state) {
        return switch (state) {
            case OK -> PORT_HEALTHY;
            case WARNING -> PORT_WARNING;
            case CRITICAL -> PORT_CRITICAL;
            case UNKNOWN -> PORT_UNKNOWN;
        };
    }

    public static int forUsageState(State state) {
        return switch (state) {
            case OK -> USAGE_HEALTHY;
            case WARNING -> USAGE_WARNING;
            case CRITICAL -> USAGE_CRITICAL;
            case UNKNOWN -> USAGE_UNKNOWN;
        };
    }

    public static int of(EventType type, State state) {
        return switch (type) {
            case PORT_STATE_CHANGED, PORT_RENOTIFY -> forPortState(state);
            case USAGE_STATE_CHANGED, USAGE_RENOTIFY -> forUsageState(state);
            case PROBE_FAILED -> PROBE_FAILED;
            case PROBE_RECOVERED -> PROBE_RECOVERED;
            case HEARTBEAT -> HEARTBEAT;
            case AGENT_STARTED -> AGENT_STARTED;
            case AGENT_STOPPING -> AGENT_STOPPING;
            case EVENTS_DROPPED -> EVENTS_DROPPED;
        };
    }
}
