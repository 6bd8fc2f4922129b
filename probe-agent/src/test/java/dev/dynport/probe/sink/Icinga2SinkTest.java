package dev.dynport.probe.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynport.check.model.State;
import dev.dynport.probe.ops.Metric;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Icinga2SinkTest {
    private static final Map<String, String> ENV = Map.of("ICINGA_PASS", "icinga-pa55");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Sink sink(Receiver r, String extra) throws Exception {
        TestPki pki = TestPki.get();
        return TestSinks.build("{'type': 'icinga2', 'url': '" + r.uri() + "', 'ca_file': '" + pki.caPem + "'" + extra
                + "}", ENV);
    }

    private static final String BASIC = ", 'username': 'dynport', 'password': {'env': 'ICINGA_PASS'}";

    private static JsonNode body(Receiver r, int i) throws Exception {
        return JSON.readTree(r.requests.get(i).body());
    }

    @Test
    void perPortResultGoesToTheServiceOfThatPortWithBasicAuthOverVerifiedTls() throws Exception {
        try (Receiver r = Receiver.https(TestPki.get().serverContext(), false)) {
            Sink s = sink(r, BASIC);
            s.deliver(TestEvents.port("ex01", 9955, "ipv4", State.CRITICAL, State.OK,
                    "TCP 9955 in dynamic range"));
            Receiver.Request q = r.requests.get(0);
            assertEquals("/v1/actions/process-check-result", q.path());
            assertEquals("application/json", q.header("Accept"));
            assertEquals("Basic " + Base64.getEncoder().encodeToString("dynport:icinga-pa55".getBytes(
                    StandardCharsets.UTF_8)), q.header("Authorization"));
            JsonNode b = body(r, 0);
            assertEquals("Service", b.get("type").asText());
            assertEquals("host.name==\"ex01\" && service.name==\"dynport-9955-ipv4\"", b.get("filter").asText());
            assertEquals(2, b.get("exit_status").asInt());
            assertEquals("TCP 9955 in dynamic range\nTCP 9955 in dynamic range\nsecond line of details",
                    b.get("plugin_output").asText());
            assertEquals("'9955/ipv4 in_dynamic'=1;;1;0;1", b.at("/performance_data/0").asText());
            assertEquals("probe-a", b.get("check_source").asText());
        }
    }

    @Test
    void perHostModeReportsTheWorstStateOfTheHostsPorts() throws Exception {
        try (Receiver r = Receiver.https(TestPki.get().serverContext(), false)) {
            Sink s = sink(r, BASIC + ", 'mode': 'per-host', 'host_service': 'dynport-ports', 'check_source': 'noc-a'");
            s.deliver(TestEvents.port("ex01", 9955, "ipv4", State.CRITICAL, null, "9955 bad"));
            s.deliver(TestEvents.port("ex01", 1993, "ipv4", State.WARNING, null, "1993 meh"));
            s.deliver(TestEvents.port("ex01", 9955, "ipv4", State.OK, State.CRITICAL, "9955 ok"));
            s.deliver(TestEvents.port("ex02", 9955, "ipv4", State.OK, null, "other host ok"));
            assertEquals("host.name==\"ex01\" && service.name==\"dynport-ports\"", body(r, 0).get("filter").asText());
            assertEquals(2, body(r, 0).get("exit_status").asInt());
            assertEquals(2, body(r, 1).get("exit_status").asInt(), "the critical port still dominates");
            assertTrue(body(r, 1).get("plugin_output").asText().startsWith(
                    "CRITICAL: 2 of 2 watched port(s) not healthy; worst 9955/ipv4: 9955 bad"),
                    body(r, 1).get("plugin_output").asText());
            assertEquals(1, body(r, 2).get("exit_status").asInt(), "only the warning port is left");
            // The latest probe's perfdata once (each event carries its probe's whole list), not one copy per port.
            assertEquals(1, body(r, 2).get("performance_data").size());
            assertEquals(0, body(r, 3).get("exit_status").asInt());
            assertEquals("noc-a", body(r, 3).get("check_source").asText());
        }
    }

    @Test
    void probeFailureMakesTheHostsServicesUnknown() throws Exception {
        try (Receiver r = Receiver.https(TestPki.get().serverContext(), false)) {
            Sink perPort = sink(r, BASIC);
            perPort.deliver(TestEvents.probeFailed("ex\"01", "ssh: connection timed out"));
            JsonNode b = body(r, 0);
            assertEquals("host.name==\"ex\\\"01\" && match(\"dynport-*-*\", service.name)", b.get("filter").asText());
            assertEquals(3, b.get("exit_status").asInt());
            assertTrue(b.get("plugin_output").asText().startsWith("UNKNOWN: probe of ex\"01 failed: ssh: connection"));
            Sink perHost = sink(r, BASIC + ", 'name': 'h', 'mode': 'per-host'");
            perHost.deliver(TestEvents.probeFailed("ex01", "unreachable"));
            assertEquals("host.name==\"ex01\" && service.name==\"dynport\"", body(r, 1).get("filter").asText());
            assertEquals(3, body(r, 1).get("exit_status").asInt());
            perHost.deliver(TestEvents.probeRecovered("ex01"));
            assertEquals(2, r.requests.size(), "no OK without a known port state");
            perHost.deliver(TestEvents.heartbeat());
            assertEquals(3, r.requests.size(), "the heartbeat re-sends the UNKNOWN, never an OK");
            assertEquals(3, body(r, 2).get("exit_status").asInt());
            assertEquals("host.name==\"ex01\" && service.name==\"dynport\"", body(r, 2).get("filter").asText());
        }
    }

    @Test
    void aHeartbeatResubmitsTheLastResultOfEveryKnownServiceOnce() throws Exception {
        try (Receiver r = Receiver.https(TestPki.get().serverContext(), false)) {
            Sink s = sink(r, BASIC);
            s.deliver(TestEvents.port("ex01", 9955, "ipv4", State.CRITICAL, null, "9955 exposed"));
            s.deliver(TestEvents.port("ex01", 9933, "ipv4", State.OK, null, "9933 excluded"));
            s.deliver(TestEvents.port("ex01", 9955, "ipv4", State.OK, State.CRITICAL, "9955 excluded"));
            assertEquals(3, r.requests.size());
            s.deliver(TestEvents.heartbeat());
            assertEquals(5, r.requests.size(), "one request per known service");
            assertEquals("host.name==\"ex01\" && service.name==\"dynport-9933-ipv4\"", body(r, 3).get("filter").asText());
            assertEquals(0, body(r, 3).get("exit_status").asInt());
            assertEquals("9933 excluded\n9933 excluded\nsecond line of details", body(r, 3).get("plugin_output").asText());
            assertEquals("host.name==\"ex01\" && service.name==\"dynport-9955-ipv4\"", body(r, 4).get("filter").asText());
            assertEquals(0, body(r, 4).get("exit_status").asInt(), "the latest state, not the first");
            assertEquals("'9955/ipv4 in_dynamic'=1;;1;0;1", body(r, 4).at("/performance_data/0").asText());

            s.deliver(TestEvents.probeFailed("ex01", "ssh: connection timed out"));
            assertTrue(body(r, 5).get("filter").asText().contains("match("), "the failure itself goes out as one filter");
            s.deliver(TestEvents.heartbeat());
            assertEquals(8, r.requests.size());
            for (int i = 6; i < 8; i++) {
                assertEquals(3, body(r, i).get("exit_status").asInt(), "a failed probe stays UNKNOWN on heartbeats");
                assertTrue(body(r, i).get("filter").asText().contains("service.name==\"dynport-99"),
                        body(r, i).get("filter").asText());
            }
        }
    }

    @Test
    void aHeartbeatSkipsAMissingServiceButRetriesOnServerErrors() throws Exception {
        try (Receiver r = Receiver.https(TestPki.get().serverContext(), false)) {
            Sink s = sink(r, BASIC);
            s.deliver(TestEvents.port("ex01", 9933, "ipv4", State.OK, null, "a"));
            s.deliver(TestEvents.port("ex01", 9955, "ipv4", State.OK, null, "b"));
            r.respond(q -> q.body().contains("dynport-9933-ipv4") ? new Receiver.Reply(404, "{\"error\":404.0}")
                    : new Receiver.Reply(200, "{\"results\":[]}"));
            s.deliver(TestEvents.heartbeat()); // no exception: the missing one is logged, the other one sent
            assertEquals(4, r.requests.size());
            assertTrue(body(r, 3).get("filter").asText().contains("dynport-9955-ipv4"));
            r.respond(q -> new Receiver.Reply(503, "{\"error\":503}"));
            assertTrue(assertThrows(DeliveryException.class, () -> s.deliver(TestEvents.heartbeat())).retryable());
        }
    }

    @Test
    void missingServiceIsNotRetriedButServerErrorsAre() throws Exception {
        try (Receiver r = Receiver.https(TestPki.get().serverContext(), false)) {
            Sink s = sink(r, BASIC);
            var e = TestEvents.port("ex01", 9955, "ipv4", State.CRITICAL, null, "x");
            r.respond(q -> new Receiver.Reply(404, "{\"error\":404.0,\"status\":\"No objects found.\"}"));
            DeliveryException nf = assertThrows(DeliveryException.class, () -> s.deliver(e));
            assertFalse(nf.retryable());
            assertTrue(nf.getMessage().startsWith("icinga2: Icinga has no service matching [host.name==\"ex01\" && "
                    + "service.name==\"dynport-9955-ipv4\"] (HTTP 404 {\"error\":404.0,\"status\":\"No objects found.\"})"),
                    nf.getMessage());
            r.respond(q -> new Receiver.Reply(500, "{\"results\":[]}")); // Icinga 2.13 for the same thing
            DeliveryException old = assertThrows(DeliveryException.class, () -> s.deliver(e));
            assertFalse(old.retryable());
            assertTrue(old.getMessage().startsWith("icinga2: Icinga has no service matching"), old.getMessage());
            r.respond(q -> new Receiver.Reply(500, "{\"results\":[{\"code\":500.0,\"status\":\"Action execution"
                    + " failed\"}]}"));
            assertTrue(assertThrows(DeliveryException.class, () -> s.deliver(e)).retryable());
            r.respond(q -> new Receiver.Reply(503, "{\"error\":503}"));
            assertTrue(assertThrows(DeliveryException.class, () -> s.deliver(e)).retryable());
            r.respond(q -> new Receiver.Reply(401, "Unauthorized"));
            DeliveryException auth = assertThrows(DeliveryException.class, () -> s.deliver(e));
            assertFalse(auth.retryable());
            assertFalse(auth.getMessage().contains("icinga-pa55"));
            r.respond(q -> new Receiver.Reply(200, "{\"results\":[{\"code\":200.0,\"status\":\"Successfully processed\"}]}"));
            s.deliver(e);
        }
    }

    @Test
    void aMissingServiceIsDroppedCountedAndLoggedOncePerServiceWithTheFixAndHealsAtTheNextHeartbeat() throws Exception {
        TestPki pki = TestPki.get();
        try (Receiver r = Receiver.https(pki.serverContext(), false); Captured log = new Captured()) {
            boolean[] created = {false};
            r.respond(q -> q.body().contains("dynport-12995-ipv4") && !created[0]
                    ? new Receiver.Reply(404, "{\"error\":404.0,\"status\":\"No objects found.\"}")
                    : new Receiver.Reply(200, "{\"results\":[{\"code\":200.0}]}"));
            var sinks = DeliveryPipelineTest.json("[{'type': 'icinga2', 'url': '" + r.uri() + "', 'ca_file': '"
                    + pki.caPem + "', 'username': 'dynport', 'password': {'env': 'ICINGA_PASS'}}]");
            var spool = DeliveryPipelineTest.json("{'dir': '" + dir.resolve("spool") + "'}");
            try (DeliveryPipeline p = DeliveryPipeline.open(spool, sinks, ENV, TestSinks.CLOCK)) {
                assertEquals(0, rejected(p.metrics()), "the counter is there before the first rejection");
                p.start();
                // a discovered back-end port (ProxyTargetPort 12995) that the host's Icinga config does not list
                p.publish(TestEvents.port("ex01", 12995, "ipv4", State.CRITICAL, null, "12995 exposed"));
                p.publish(TestEvents.port("ex01", 9955, "ipv4", State.OK, null, "9955 fine"));
                p.publish(TestEvents.heartbeat());
                p.publish(TestEvents.port("ex01", 12995, "ipv4", State.WARNING, State.CRITICAL, "12995 better"));
                p.publish(TestEvents.heartbeat());
                assertTrue(p.awaitDrained(Duration.ofSeconds(20)));
                List<Metric> m = p.metrics();
                assertEquals(4, rejected(m), "two events and two heartbeats carried a result for the missing service");
                assertEquals(2, metric(m, "dynport_events_failed_total"), "the two port events were given up");
                assertEquals(3, metric(m, "dynport_events_delivered_total"));
                assertEquals(0, metric(m, "dynport_delivery_failed_attempts_total"), "a 404 is not retried");
                List<String> about = log.lines("12995");
                assertEquals(1, about.size(), "logged once per service, not per event or heartbeat: " + about);
                assertTrue(about.get(0).startsWith("SEVERE icinga2: Icinga has no service matching [host.name==\"ex01\""
                        + " && service.name==\"dynport-12995-ipv4\"] (HTTP 404 "), about.get(0));
                assertTrue(about.get(0).contains("create service dynport-12995-ipv4 on host ex01: add port 12995 to"
                        + " vars.dynport_ports of host ex01"), about.get(0));

                created[0] = true; // the operator adds 12995 to vars.dynport_ports
                int before = r.requests.size();
                p.publish(TestEvents.heartbeat());
                assertTrue(p.awaitDrained(Duration.ofSeconds(20)));
                JsonNode resent = r.requests.subList(before, r.requests.size()).stream()
                        .map(q -> readTree(q.body())).filter(b -> b.get("filter").asText().contains("12995"))
                        .findFirst().orElseThrow(() -> new AssertionError("the heartbeat did not re-send 12995"));
                assertEquals(1, resent.get("exit_status").asInt(), "the latest state (WARNING) arrives");
                assertEquals(List.of("INFO icinga2: Icinga now accepts results for [host.name==\"ex01\" && "
                        + "service.name==\"dynport-12995-ipv4\"]"), log.lines("12995").subList(1, 2));
                assertEquals(4, rejected(p.metrics()));
            }
        }
    }

    @Test
    void probeRecoveredSendsEveryKnownPortEvenWhenOneServiceIsMissing() throws Exception {
        try (Receiver r = Receiver.https(TestPki.get().serverContext(), false)) {
            Sink s = sink(r, BASIC);
            r.respond(q -> q.body().contains("dynport-12995-ipv4") ? new Receiver.Reply(404, "{\"error\":404.0}")
                    : new Receiver.Reply(200, "{\"results\":[{\"code\":200.0}]}"));
            s.deliver(TestEvents.port("ex01", 9933, "ipv4", State.OK, null, "9933 fine"));
            assertThrows(DeliveryException.class, () -> s.deliver(TestEvents.port("ex01", 12995, "ipv4",
                    State.CRITICAL, null, "12995 exposed")));
            s.deliver(TestEvents.probeFailed("ex01", "timeout"));
            int before = r.requests.size();
            DeliveryException e = assertThrows(DeliveryException.class, () -> s.deliver(TestEvents.probeRecovered("ex01")));
            assertFalse(e.retryable());
            assertTrue(e.logged(), "the sink logged it once already; the worker need not repeat it per event");
            List<String> filters = r.requests.subList(before, r.requests.size()).stream()
                    .map(q -> readTree(q.body()).get("filter").asText()).toList();
            assertEquals(2, filters.size(), "both known ports re-sent: " + filters);
            assertTrue(filters.get(1).contains("dynport-9933-ipv4"), "the port after the missing one still sent");
            assertEquals(0, readTree(r.requests.get(r.requests.size() - 1).body()).get("exit_status").asInt());
        }
    }

    @Test
    void theFixNamesTheHostVariableForEachKindOfMissingService() throws Exception {
        try (Receiver r = Receiver.https(TestPki.get().serverContext(), false)) {
            r.respond(q -> new Receiver.Reply(404, "{\"error\":404.0}"));
            Sink perPort = sink(r, BASIC);
            String glob = assertThrows(DeliveryException.class,
                    () -> perPort.deliver(TestEvents.probeFailed("ex01", "timeout"))).getMessage();
            assertTrue(glob.contains("host ex01 has no per-port dynport service: set vars.dynport_agent = \"per-port\""
                    + " on host ex01"), glob);
            Sink perHost = sink(r, BASIC + ", 'mode': 'per-host'");
            String host = assertThrows(DeliveryException.class, () -> perHost.deliver(TestEvents.port("ex01", 9955,
                    "ipv4", State.OK, null, "x"))).getMessage();
            assertTrue(host.contains("create service dynport on host ex01: set vars.dynport_agent = \"per-host\""),
                    host);
        }
    }

    private static JsonNode readTree(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError(body, e);
        }
    }

    private static double metric(List<Metric> ms, String name) {
        return ms.stream().filter(m -> m.name().equals(name)).mapToDouble(Metric::value).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name));
    }

    private static double rejected(List<Metric> ms) {
        return ms.stream().filter(m -> m.name().equals("dynport_results_rejected_total")
                && m.labels().equals(Map.of("sink", "icinga2", "reason", "service_missing")))
                .mapToDouble(Metric::value).findFirst().orElseThrow(() -> new AssertionError("no rejected counter in " + ms));
    }

    /** What the sink and its worker log at INFO and above, as "LEVEL message". */
    private static final class Captured extends Handler implements AutoCloseable {
        private final List<String> records = Collections.synchronizedList(new ArrayList<>());
        private final List<Logger> loggers = List.of(Logger.getLogger(Icinga2Sink.class.getName()),
                Logger.getLogger(SinkWorker.class.getName()));

        Captured() {
            loggers.forEach(l -> l.addHandler(this));
        }

        List<String> lines(String containing) {
            synchronized (records) {
                return records.stream().filter(l -> l.contains(containing)).toList();
            }
        }

        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.INFO.intValue()) {
                records.add(r.getLevel() + " " + r.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            loggers.forEach(l -> l.removeHandler(this));
        }
    }

    @Test
    void clientCertificateFromPemAuthenticatesWithoutPassword() throws Exception {
        TestPki pki = TestPki.get();
        try (Receiver r = Receiver.https(pki.serverContext(), true)) {
            Sink s = sink(r, ", 'client_cert': '" + pki.clientCertPem + "', 'client_key': '" + pki.clientKeyPem + "'");
            s.deliver(TestEvents.port("ex01", 9955, "ipv4", State.WARNING, null, "x"));
            assertEquals("CN=probe-a", r.requests.get(0).clientCn());
            assertEquals(null, r.requests.get(0).header("Authorization"));
        }
    }

    @Test
    void clientCertificateFromPkcs12WithPasswordFromEnvironmentWorks() throws Exception {
        TestPki pki = TestPki.get();
        try (Receiver r = Receiver.https(pki.serverContext(), true)) {
            Sink s = TestSinks.build("{'type': 'icinga2', 'url': '" + r.uri() + "', 'ca_file': '" + pki.caPem
                    + "', 'client_p12': '" + pki.clientP12 + "', 'client_p12_password': {'env': 'P12'}}",
                    Map.of("P12", TestPki.PASS));
            s.deliver(TestEvents.port("ex01", 9955, "ipv4", State.WARNING, null, "x"));
            assertEquals("CN=probe-a", r.requests.get(0).clientCn());
        }
    }

    @Test
    void wrongPkcs12PasswordIsAConfigErrorWithoutThePassword() throws Exception {
        TestPki pki = TestPki.get();
        String msg = TestSinks.configError("{'type': 'icinga2', 'url': 'https://icinga:5665', 'client_p12': '"
                + pki.clientP12 + "', 'client_p12_password': {'env': 'P12'}}", Map.of("P12", "wrong-pw"));
        assertTrue(msg.startsWith("/sinks/0/client_p12 cannot be loaded [" + pki.clientP12 + "]: "), msg);
        assertFalse(msg.contains("wrong-pw"));
    }

    @Test
    void configNeedsHttpsAndCredentials() {
        String msg = TestSinks.configError("{'type': 'icinga2', 'url': 'http://icinga:5665', 'mode': 'per-service',"
                + " 'service_template': 'dynport-{port}-{proto}'}", Map.of());
        assertEquals(String.join("\n",
                "/sinks/0/url must be an absolute https URL [http://icinga:5665]",
                "/sinks/0 needs ApiUser credentials: username + password, or client_cert + client_key, or client_p12"
                        + " [none given]",
                "/sinks/0/mode must be one of per-host, per-port [per-service]",
                "/sinks/0/service_template uses an unknown placeholder {proto}; allowed: family, host, label, port"
                        + " [dynport-{port}-{proto}]"), msg.replace("\r\n", "\n"));
    }
}
