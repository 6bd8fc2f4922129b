package dev.dynport.probe.event;

/** What an event reports. The Windows/SCOM event ID of each is in {@link EventIds}. */
public enum EventType {
    /** A port monitor's confirmed health changed. */
    PORT_STATE_CHANGED,
    /** A port monitor is still unhealthy after the re-notification interval. */
    PORT_RENOTIFY,
    /** The host could not be probed (unreachable, auth, host key, unreadable output): Unknown, not a port alert. */
    PROBE_FAILED,
    /** The host can be probed again after a PROBE_FAILED. */
    PROBE_RECOVERED,
    /** The agent is alive; sent every heartbeat interval. */
    HEARTBEAT,
    AGENT_STARTED,
    AGENT_STOPPING,
    /** The spool reached its cap and dropped events; the count is in the details. */
    EVENTS_DROPPED
}
