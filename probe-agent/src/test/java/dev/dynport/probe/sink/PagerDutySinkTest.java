package dev.dynport.probe.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynport.check.model.State;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PagerDutySinkTest {
    private static final Map<String, String> ENV = Map.of("PD_ROUTING_KEY", "R0UT1NGKEY0123456789012345678901");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Sink sink(Receiver r) throws Exception {
        return TestSinks.build("{'type': 'pagerduty', 'url': '" + r.uri() + "', 'routing_key': {'env': 'PD_ROUTING_KEY'}}",
                ENV);
    }

    private static JsonNode body(Receiver r, int i) throws Exception {
        return JSON.readTree(r.requests.get(i).body());
    }

    @Test
    void criticalPortTriggersWithStableDedupKeyAndHealthyResolvesIt() throws Exception {
        try (Receiver r = Receiver.http()) {
            r.respond(q -> new Receiver.Reply(202, "{\"status\":\"success\",\"dedup_key\":\"x\"}"));
            Sink s = sink(r);
            s.deliver(TestEvents.port("ex01", 9955, "ipv4", State.CRITICAL, State.OK, "9955 exposed"));
            s.deliver(TestEvents.port("ex01", 9955, "ipv4", State.OK, State.CRITICAL, "9955 fine"));
            assertEquals("/v2/enqueue", r.requests.get(0).path());
            JsonNode t = body(r, 0);
            assertEquals("R0UT1NGKEY0123456789012345678901", t.get("routing_key").asText());
            assertEquals("trigger", t.get("event_action").asText());
            assertEquals("dynport:ex01:9955/ipv4", t.get("dedup_key").asText());
            assertEquals("critical", t.at("/payload/severity").asText());
            assertEquals("ex01", t.at("/payload/source").asText());
            assertEquals("ex01 9955/ipv4: 9955 exposed", t.at("/payload/summary").asText());
            assertEquals("2026-11-28T03:00:00.123Z", t.at("/payload/timestamp").asText(), "milliseconds, as PagerDuty shows");
            assertEquals("IN_DYNAMIC_RANGE", t.at("/payload/custom_details/finding_codes/0").asText());
            JsonNode res = body(r, 1);
            assertEquals("resolve", res.get("event_action").asText());
            assertEquals("dynport:ex01:9955/ipv4", res.get("dedup_key").asText());
            assertFalse(res.has("payload"));
        }
    }

    @Test
    void severityFollowsStateAndProbeFailureUsesTheHostKey() throws Exception {
        try (Receiver r = Receiver.http()) {
            Sink s = sink(r);
            s.deliver(TestEvents.port("ex01", 1993, "ipv6", State.WARNING, null, "w"));
            s.deliver(TestEvents.port("ex01", 1993, "ipv6", State.UNKNOWN, null, "u"));
            s.deliver(TestEvents.probeFailed("ex02", "ssh: connection refused"));
            s.deliver(TestEvents.probeRecovered("ex02"));
            s.deliver(TestEvents.heartbeat());
            assertEquals(4, r.requests.size(), "heartbeats are not sent to PagerDuty");
            assertEquals("warning", body(r, 0).at("/payload/severity").asText());
            assertEquals("error", body(r, 1).at("/payload/severity").asText());
            assertEquals("dynport:ex02:probe", body(r, 2).get("dedup_key").asText());
            assertEquals("error", body(r, 2).at("/payload/severity").asText());
            assertEquals("trigger", body(r, 2).get("event_action").asText());
            assertEquals("resolve", body(r, 3).get("event_action").asText());
            assertEquals("dynport:ex02:probe", body(r, 3).get("dedup_key").asText());
        }
    }

    @Test
    void anInitialHealthyStateSendsNoResolveButALaterRecoveryDoes() throws Exception {
        try (Receiver r = Receiver.http()) {
            Sink s = sink(r);
            s.deliver(TestEvents.port("ex01", 9933, "ipv4", State.OK, null, "9933 excluded"));
            assertEquals(0, r.requests.size(), "nothing to resolve at agent start");
            s.deliver(TestEvents.port("ex01", 9933, "ipv4", State.WARNING, State.OK, "9933 exposed"));
            s.deliver(TestEvents.port("ex01", 9933, "ipv4", State.OK, State.WARNING, "9933 excluded"));
            assertEquals(2, r.requests.size());
            assertEquals("trigger", body(r, 0).get("event_action").asText());
            assertEquals("resolve", body(r, 1).get("event_action").asText());
        }
    }

    @Test
    void retriesAfter503And429ButNotAfter400() throws Exception {
        try (Receiver r = Receiver.http()) {
            Sink s = sink(r);
            var e = TestEvents.port("ex01", 9955, "ipv4", State.CRITICAL, null, "x");
            r.respond(q -> new Receiver.Reply(503, ""));
            assertTrue(assertThrows(DeliveryException.class, () -> s.deliver(e)).retryable());
            r.respond(q -> new Receiver.Reply(429, "{\"status\":\"throttle event\"}"));
            assertTrue(assertThrows(DeliveryException.class, () -> s.deliver(e)).retryable());
            r.respond(q -> new Receiver.Reply(202, "{\"status\":\"success\"}"));
            s.deliver(e);
            r.respond(q -> new Receiver.Reply(400, "{\"status\":\"invalid event\",\"errors\":[\"bad key\"]}"));
            DeliveryException bad = assertThrows(DeliveryException.class, () -> s.deliver(e));
            assertFalse(bad.retryable());
            assertTrue(bad.getMessage().contains("HTTP 400"), bad.getMessage());
            assertFalse(bad.getMessage().contains("R0UT1NGKEY"), "routing key never in messages");
        }
    }

    @Test
    void routingKeyIsRequired() {
        assertEquals("/sinks/0/routing_key is required ({\"file\": PATH} or {\"env\": NAME})",
                TestSinks.configError("{'type': 'pagerduty'}", Map.of()));
    }

    @Test
    void defaultUrlIsTheEventsApiAndATrailingSlashIsHarmless() throws Exception {
        PagerDutySink s = (PagerDutySink) TestSinks.build("{'type': 'pagerduty', 'routing_key': {'env': 'K'}}",
                Map.of("K", "key"));
        assertEquals("https://events.pagerduty.com/v2/enqueue", s.enqueueUri().toString());
        PagerDutySink eu = (PagerDutySink) TestSinks.build("{'type': 'pagerduty', 'url': 'https://events.eu.pagerduty.com/',"
                + " 'routing_key': {'env': 'K'}}", Map.of("K", "key"));
        assertEquals("https://events.eu.pagerduty.com/v2/enqueue", eu.enqueueUri().toString());
    }
}
