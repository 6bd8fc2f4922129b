package dev.dynport.probe.event;

import java.time.Instant;
import java.util.List;

/**
 * One event, schema version {@value #SCHEMA_VERSION}; serialized by {@link EventJson}. Host-level events
 * (probe failures, heartbeats, agent lifecycle) have no port, label or family.
 *
 * @param id unique (UUID); receivers de-duplicate on it, since delivery is at-least-once
 * @param agent the name of the agent that emitted it
 * @param host the configured target name
 * @param state the health now; {@code previousState} the confirmed health before (null when none)
 * @param summary the check's finding text for this port and family
 * @param details long text: every finding line for the port, or the failure reason
 * @param remediation exact netsh commands, as the check prints them
 * @param perfdata Nagios perfdata string of the check (for passive results), may be empty
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
        HealthState state,
        HealthState previousState,
        List<String> findingCodes,
        String summary,
        String details,
        List<String> remediation,
        String perfdata,
        List<String> evidence) {

    public static final int SCHEMA_VERSION = 1;

    public Event {
        findingCodes = findingCodes == null ? List.of() : List.copyOf(findingCodes);
        remediation = remediation == null ? List.of() : List.copyOf(remediation);
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
        perfdata = perfdata == null ? "" : perfdata;
    }
}
