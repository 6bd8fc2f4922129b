package dev.dynport.probe.event;

import dev.dynport.check.model.State;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One event, schema version {@value #SCHEMA_VERSION}; serialized by {@link EventJson}. Host-level events
 * (probe failures, heartbeats, agent lifecycle) have no port, label or family. Built by the named factories below,
 * one per kind of event, which set the id, the Windows event id and leave out what the kind does not carry.
 *
 * <p>Schema versions: 2 has {@code perfdata} as an array of items; 1 had it as one string, which is still read
 * (spools written before the upgrade, see {@link LegacyPerfdata}).
 *
 * @param id unique (UUID); receivers de-duplicate on it, since delivery is at-least-once
 * @param agent the name of the agent that emitted it
 * @param host the configured target name
 * @param state the health now; {@code previousState} the confirmed health before (null when none)
 * @param summary the check's finding text for this port and family
 * @param details long text: every finding line for the port, or the failure reason
 * @param remediation exact netsh commands, as the check prints them
 * @param perfdata the check's Nagios perfdata items (for passive results), e.g. {@code watched=4}; empty for
 *     host-level events
 * @param evidence holders seen on the port, e.g. {@code svchost.exe PID 1234 (Dnscache) 0.0.0.0:9955 ESTABLISHED}
 */
public record Event(
        int schemaVersion,
        String id,
        Instant time,
        String agent,
        String host,
        Integer port,
        String portLabel,
        String family,
        EventType type,
        int eventId,
        State state,
        State previousState,
        List<String> findingCodes,
        String summary,
        String details,
        List<String> remediation,
        @JsonDeserialize(using = LegacyPerfdata.class) List<String> perfdata,
        List<String> evidence) {

    public static final int SCHEMA_VERSION = 2;

    public Event {
        findingCodes = findingCodes == null ? List.of() : List.copyOf(findingCodes);
        remediation = remediation == null ? List.of() : List.copyOf(remediation);
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
        perfdata = perfdata == null ? List.of() : List.copyOf(perfdata);
    }

    /** PORT_STATE_CHANGED or PORT_RENOTIFY: a confirmed state of one watched port and address family. */
    public static Event port(Instant time, String agent, String host, int port, String portLabel, String family,
            EventType type, State state, State previousState, List<String> findingCodes, String summary,
            String details, List<String> remediation, List<String> perfdata, List<String> evidence) {
        return new Event(SCHEMA_VERSION, newId(), time, agent, host, port, portLabel, family, type,
                EventIds.of(type, state), state, previousState, findingCodes, summary, details, remediation, perfdata,
                evidence);
    }

    /**
     * USAGE_STATE_CHANGED or USAGE_RENOTIFY: the confirmed health of one family's dynamic port usage. No port; the
     * label is {@value #USAGE_LABEL}.
     */
    public static Event usage(Instant time, String agent, String host, String family, EventType type, State state,
            State previousState, String summary, String details, List<String> perfdata, List<String> evidence) {
        return new Event(SCHEMA_VERSION, newId(), time, agent, host, null, USAGE_LABEL, family, type,
                EventIds.of(type, state), state, previousState, List.of(USAGE_CODE), summary, details, List.of(),
                perfdata, evidence);
    }

    /** The {@code port_label} of usage events. */
    public static final String USAGE_LABEL = "dynamic port usage";
    /** The finding code of usage events (the check has no finding for usage: its state comes from -w/-c). */
    public static final String USAGE_CODE = "DYNAMIC_USAGE";

    /** PROBE_FAILED (state UNKNOWN) or PROBE_RECOVERED (state OK, HEALTHY on the wire) of one target. */
    public static Event probe(Instant time, String agent, String host, EventType type, State state,
            State previousState, String summary, String details) {
        return hostLevel(time, agent, host, type, EventIds.of(type, state), state, previousState, summary, details);
    }

    /** The agent is alive; {@code details} lists what it sees unhealthy. */
    public static Event heartbeat(Instant time, String agent, String summary, String details) {
        return hostLevel(time, agent, agent, EventType.HEARTBEAT, EventIds.HEARTBEAT, State.OK, null,
                summary, details);
    }

    /** AGENT_STARTED or AGENT_STOPPING. */
    public static Event lifecycle(Instant time, String agent, EventType type, String summary) {
        return hostLevel(time, agent, agent, type, EventIds.of(type, State.OK), State.OK, null,
                summary, "");
    }

    /** Events the spool could not keep (full disk, cap), counted per sink in {@code details}. */
    public static Event eventsDropped(Instant time, String agent, String summary, String details) {
        return hostLevel(time, agent, agent, EventType.EVENTS_DROPPED, EventIds.EVENTS_DROPPED, State.WARNING,
                null, summary, details);
    }

    private static Event hostLevel(Instant time, String agent, String host, EventType type, int eventId,
            State state, State previousState, String summary, String details) {
        return new Event(SCHEMA_VERSION, newId(), time, agent, host, null, null, null, type, eventId, state,
                previousState, List.of(), summary, details, List.of(), List.of(), List.of());
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
