package dev.dynport.probe.event;

/** What an event reports. The Windows/SCOM event ID of each is in {@link EventIds}. */
public enum EventType {
    /** A port monitor's confirmed health changed. */
    PORT_STATE_CHANGED,
    /** A port monitor is still unhealthy after the re-notification interval. */
    PORT_RENOTIFY,
    /** A family's dynamic port usage, judged against the target's usage thresholds, changed its confirmed health. */
    USAGE_STATE_CHANGED,
    /** A family's dynamic port usage is still over a threshold after the re-notification interval. */
    USAGE_RENOTIFY,
    /** The host could not be probed (unreachable, auth, host key, unreadable output): Unknown, not a port alert. */
    PROBE_FAILED,
    /** The host can be probed again after a PROBE_FAILED. */
    PROBE_RECOVERED,
    /** The agent is alive; sent every heartbeat interval. */
    HEARTBEAT,
    AGENT_STARTED,
    AGENT_STOPPING,
    /** The spool reached its cap and dropped events; the count is in the details. */
    EVENTS_DROPPED;

    /** Whether events of this type report a family's dynamic port usage (no port, a family). */
    public boolean isUsage() {
        return this == USAGE_STATE_CHANGED || this == USAGE_RENOTIFY;
    }
}
