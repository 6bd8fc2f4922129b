package dev.dynport.probe.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dynport.check.model.State;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The spool and wire form of events, including records an agent of schema version 1 left in its spool. */
class EventJsonTest {
    /** A PORT_STATE_CHANGED line byte for byte as schema version 1 wrote it (constructed values): perfdata a string. */
    private static final String V1_PORT_EVENT = "{\"schema_version\":1,\"id\":\"6b5b674e-2926-4fda-b71d-2337c11bfef8\","
            + "\"time\":\"2026-11-28T03:00:00.123456789Z\",\"agent\":\"probe-a\",\"host\":\"ex01\",\"port\":9955,"
            + "\"port_label\":\"IMAP backend\",\"family\":\"ipv4\",\"type\":\"PORT_STATE_CHANGED\",\"event_id\":102,"
            + "\"state\":\"CRITICAL\",\"previous_state\":null,\"finding_codes\":[\"IN_DYNAMIC_RANGE\"],"
            + "\"summary\":\"9955 in range\",\"details\":\"9955 in range\\nsecond line\",\"remediation\":[\"netsh int ipv4"
            + " add excludedportrange protocol=tcp startport=9955 numberofports=1\"],"
            + "\"perfdata\":\"watched=4 '9955/ipv4 in_dynamic'=1;;1;0;1 'it''s x'=3\","
            + "\"evidence\":[\"svchost.exe PID 1234 0.0.0.0:9955\"]}";
    private static final String V1_HEARTBEAT = "{\"schema_version\":1,\"id\":\"x\",\"time\":\"2026-11-28T03:00:00Z\","
            + "\"agent\":\"probe-a\",\"host\":\"probe-a\",\"port\":null,\"port_label\":null,\"family\":null,"
            + "\"type\":\"HEARTBEAT\",\"event_id\":300,\"state\":\"HEALTHY\",\"previous_state\":null,"
            + "\"finding_codes\":[],\"summary\":\"alive\",\"details\":\"\",\"remediation\":[],\"perfdata\":\"\","
            + "\"evidence\":[]}";

    @Test
    void aSchemaVersionOneLineLoadsWithItsPerfdataSplitIntoItems() throws IOException {
        Event e = EventJson.fromBytes(V1_PORT_EVENT.getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("watched=4", "'9955/ipv4 in_dynamic'=1;;1;0;1", "'it''s x'=3"), e.perfdata());
        assertEquals(9955, e.port());
        assertEquals(State.CRITICAL, e.state());
        assertEquals(Instant.parse("2026-11-28T03:00:00.123456789Z"), e.time());
        assertEquals(List.of(), EventJson.fromBytes(V1_HEARTBEAT.getBytes(StandardCharsets.UTF_8)).perfdata());
    }

    @Test
    void perfdataIsWrittenAsItemsAndReadBackUnchanged() throws IOException {
        Event e = Event.port(Instant.parse("2026-11-28T03:00:00Z"), "probe-a", "ex01", 9955, "IMAP backend", "ipv4",
                EventType.PORT_STATE_CHANGED, State.CRITICAL, null, List.of("IN_DYNAMIC_RANGE"), "s", "d",
                List.of(), List.of("watched=4", "'a b'=1;;1;0;1"), List.of());
        String json = EventJson.toJson(e);
        assertEquals(true, json.contains("\"perfdata\":[\"watched=4\",\"'a b'=1;;1;0;1\"]"), json);
        assertEquals(e, EventJson.fromBytes(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(EventIds.PORT_CRITICAL, e.eventId());
    }

    @Test
    void okTravelsAsHealthyAndSpooledHealthyLoadsAsOk() throws IOException {
        Event e = Event.port(Instant.parse("2026-11-28T03:00:00Z"), "probe-a", "ex01", 9955, "IMAP backend", "ipv4",
                EventType.PORT_STATE_CHANGED, State.OK, State.CRITICAL, List.of(), "s", "d", List.of(), List.of(),
                List.of());
        String json = EventJson.toJson(e);
        assertEquals(true, json.contains("\"state\":\"HEALTHY\",\"previous_state\":\"CRITICAL\""), json);
        assertEquals(e, EventJson.fromBytes(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(State.OK, EventJson.fromBytes(V1_HEARTBEAT.getBytes(StandardCharsets.UTF_8)).state());
    }

    @Test
    void aStateNameThatIsNotAWireNameIsRefused() {
        for (String name : List.of("OK", "healthy", "FINE")) {
            String bad = V1_HEARTBEAT.replace("\"state\":\"HEALTHY\"", "\"state\":\"" + name + "\"");
            IOException x = assertThrows(IOException.class, () -> EventJson.fromBytes(bad.getBytes(StandardCharsets.UTF_8)));
            assertEquals(true, x.getMessage().contains("[" + name + "]"), x.getMessage());
        }
    }

    @Test
    void perfdataThatIsNeitherTextNorItemsIsRefused() {
        String bad = V1_HEARTBEAT.replace("\"perfdata\":\"\"", "\"perfdata\":4");
        assertThrows(IOException.class, () -> EventJson.fromBytes(bad.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void legacySplitKeepsQuotedLabelsWhole() {
        assertEquals(List.of("'9955/ipv4 in range'=1;;1;0;1", "holders=2", "'it''s'=3"),
                LegacyPerfdata.split(" '9955/ipv4 in range'=1;;1;0;1  holders=2 'it''s'=3 "));
        assertEquals(List.of(), LegacyPerfdata.split(""));
        assertEquals(List.of(), LegacyPerfdata.split(null));
    }
}
