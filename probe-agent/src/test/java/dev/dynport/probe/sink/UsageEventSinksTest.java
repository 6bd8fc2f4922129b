package dev.dynport.probe.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynport.check.model.State;
import dev.dynport.probe.event.Event;
import dev.dynport.probe.event.EventType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A usage event (no port, one family) reaches every sink under its own name, never as a port or the probe. */
class UsageEventSinksTest {
    private static Event usage(State state, State previous) {
        return Event.usage(TestEvents.T0, "probe-a", "edge01", "ipv4", EventType.USAGE_STATE_CHANGED, state, previous,
                "ipv4 dynamic ports 16 of 59527 in use (0.0%), critical range 15",
                "ipv4 range 6005-65534 (59530 ports), 3 excluded, 59527 available, 16 in use",
                List.of("ipv4_dynamic_used=16;10;15;0;59527"), List.of("EdgeTransport.exe PID 6100 10 ports"));
    }

    @Test
    void perPortResultsGoToTheUsageServiceOfTheFamily() {
        ServiceMapping m = new ServiceMapping(ServiceMapping.Mode.PER_PORT, "dynport-{port}-{family}", "dynport",
                "{host}");
        List<ServiceMapping.Result> r = m.results(usage(State.CRITICAL, null), true);
        assertEquals(1, r.size());
        assertEquals("dynport-usage-ipv4", r.get(0).service());
        assertEquals(2, r.get(0).exitStatus());
        assertTrue(r.get(0).usage());
        assertEquals(List.of("ipv4_dynamic_used=16;10;15;0;59527"), r.get(0).perfdata());
        // a probe failure sets it UNKNOWN with the host's port services, and recovery re-sends its last state
        m.results(TestEvents.port("edge01", 9955, "ipv4", State.OK, null, "fine"), true);
        assertEquals(List.of("dynport-9955-ipv4", "dynport-usage-ipv4"),
                m.results(TestEvents.probeFailed("edge01", "timeout"), true).stream()
                        .map(ServiceMapping.Result::service).sorted().toList());
        List<ServiceMapping.Result> back = m.results(TestEvents.probeRecovered("edge01"), true);
        assertEquals(2, back.stream().filter(x -> x.service().equals("dynport-usage-ipv4")).findFirst()
                .orElseThrow().exitStatus());
    }

    @Test
    void perHostResultsCountUsageTowardsTheWorstState() {
        ServiceMapping m = new ServiceMapping(ServiceMapping.Mode.PER_HOST, "dynport-{port}-{family}", "dynport",
                "{host}");
        m.results(TestEvents.port("edge01", 9955, "ipv4", State.OK, null, "fine"), true);
        ServiceMapping.Result r = m.results(usage(State.CRITICAL, State.OK), true).get(0);
        assertEquals("dynport", r.service());
        assertEquals(2, r.exitStatus());
        assertTrue(r.output().startsWith("CRITICAL: 1 of 1 watched port(s) and 1 dynamic port usage figure(s) not"
                + " healthy; worst usage/ipv4: ipv4 dynamic ports 16 of 59527"), r.output());
    }

    @Test
    void pagerDutySyslogEventLogAndLogsNameTheUsageOfTheFamily() {
        PagerDutySink pd = new PagerDutySink("pd", URI.create("https://events.example"), "k", null);
        ObjectNode body = pd.body(usage(State.CRITICAL, State.OK));
        assertEquals("dynport:edge01:usage/ipv4", body.get("dedup_key").asText());
        assertEquals("edge01 usage/ipv4: ipv4 dynamic ports 16 of 59527 in use (0.0%), critical range 15",
                body.get("payload").get("summary").asText());
        assertEquals("critical", body.get("payload").get("severity").asText());
        assertEquals("resolve", pd.body(usage(State.OK, State.CRITICAL)).get("event_action").asText());
        assertEquals(null, pd.body(usage(State.OK, null)), "an initial Healthy resolves nothing");

        String syslog = new String(SyslogSink.format(usage(State.CRITICAL, State.OK), 1, "h", "dynport-probe", 7),
                StandardCharsets.UTF_8);
        assertTrue(syslog.contains("eventId=\"602\" type=\"USAGE_STATE_CHANGED\" host=\"edge01\" family=\"ipv4\""
                + " state=\"CRITICAL\""), syslog);

        assertTrue(WindowsEventLogSink.text(usage(State.CRITICAL, State.OK))
                .startsWith("dynport edge01 usage/ipv4 CRITICAL: ipv4 dynamic ports 16 of 59527"));
        assertEquals("ERROR", WindowsEventLogSink.type(usage(State.CRITICAL, State.OK)));
        assertTrue(SinkWorker.describe(usage(State.WARNING, null)).endsWith(" (USAGE_STATE_CHANGED edge01 usage/ipv4"
                + " WARNING)"));
    }
}
