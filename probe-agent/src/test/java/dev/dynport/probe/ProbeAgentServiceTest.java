package dev.dynport.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dynport.check.acquire.SnapshotSource;
import dev.dynport.probe.TestSupport.RecordingPublisher;
import dev.dynport.probe.config.AgentConfig;
import dev.dynport.probe.config.ConfigParser;
import dev.dynport.probe.config.DeliverySettings;
import dev.dynport.probe.config.FieldReader;
import dev.dynport.probe.config.RawDelivery;
import dev.dynport.probe.event.EventType;
import dev.dynport.probe.ops.Metric;
import dev.dynport.probe.schedule.DefaultSourceFactory;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent as a service: start, serve /healthz and /metrics on 127.0.0.1, shut down in order. */
class ProbeAgentServiceTest {
    @TempDir
    Path dir;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A delivery factory that validates nothing and opens {@code delivery}. */
    private static DeliveryFactory opening(Delivery delivery) {
        return new DeliveryFactory() {
            @Override
            public DeliverySettings read(FieldReader fields, JsonNode spool, JsonNode sinks) {
                return RawDelivery.READER.read(fields, spool, sinks);
            }

            @Override
            public Delivery open(DeliverySettings settings, Clock clock) {
                return delivery;
            }
        };
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesHealthAndMetricsWhileRunningAndShutsDownInOrder() throws Exception {
        Path file = dir.resolve("exch01.snapshot");
        TestSupport.install("hyperv-reserved", file);
        AgentConfig config = ConfigParser.parse(ConfigParser.readTree("""
                {"agent_name": "svc-probe", "consecutive_samples": 1, "heartbeat_interval": "0s",
                 "ops": {"listen_address": "127.0.0.1", "port": 0},
                 "targets": [{"type": "snapshot", "file": "%s", "interval": "1h", "jitter": "0s"}]}
                """.formatted(file), "t"), Map.of(), dir, RawDelivery.READER);
        RecordingPublisher published = new RecordingPublisher();
        AtomicBoolean deliveryClosed = new AtomicBoolean();
        DeliveryFactory delivery = opening(Delivery.of(published,
                () -> List.of(new Metric("dynport_spool_depth_events", "Spooled.", "gauge", Map.of("sink", "x"), 0)),
                () -> { }, () -> deliveryClosed.set(true)));
        ProbeAgentService service = ProbeAgentService.open(config, new ProbeAgentService.Wiring(delivery,
                new DefaultSourceFactory("Linux"), Clock.systemUTC(), new Random(1)),
                Map.of(), false);
        int port;
        try {
            service.start();
            port = service.opsPort();
            assertTrue(port > 0);
            assertEquals(200, get(port, "/healthz").statusCode());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (published.ofType(EventType.PORT_STATE_CHANGED).size() < 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            String metrics = get(port, "/metrics").body();
            assertTrue(metrics.contains(
                    "dynport_port_state{family=\"ipv4\",host=\"exch01\",label=\"IMAP4 back-end\",port=\"9933\"} 2\n"), metrics);
            assertTrue(metrics.contains(
                    "dynport_port_state{family=\"ipv6\",host=\"exch01\",label=\"IMAP4 back-end\",port=\"9933\"} 0\n"), metrics);
            assertTrue(metrics.contains("dynport_scheduler_running 1\n"), metrics);
            assertTrue(metrics.contains("dynport_spool_depth_events{sink=\"x\"} 0\n"), "delivery metrics are served");
        } finally {
            service.close();
        }
        List<EventType> types = published.events().stream().map(e -> e.type()).toList();
        assertEquals(EventType.AGENT_STARTED, types.get(0));
        assertEquals(EventType.AGENT_STOPPING, types.get(types.size() - 1));
        assertTrue(deliveryClosed.get(), "delivery is flushed and closed on shutdown");
        try {
            get(port, "/healthz");
            throw new AssertionError("ops endpoint still up after close");
        } catch (ConnectException expected) {
            // closed
        }
        service.close();
    }

    @Test
    void healthzIsUnhealthyWithTheSpoolsReasonWhileTheSpoolCannotWrite() throws Exception {
        Path file = dir.resolve("exch01.snapshot");
        TestSupport.install("hyperv-reserved", file);
        AgentConfig config = ConfigParser.parse(ConfigParser.readTree("""
                {"agent_name": "svc-probe", "heartbeat_interval": "0s", "ops": {"port": 0},
                 "targets": [{"type": "snapshot", "file": "%s", "interval": "1h", "jitter": "0s"}]}
                """.formatted(file), "t"), Map.of(), dir, RawDelivery.READER);
        AtomicReference<Optional<String>> spoolProblem = new AtomicReference<>(
                Optional.of("spool cannot write: No space left on device (held=3 events)"));
        DeliveryFactory delivery = opening(
                Delivery.of(new RecordingPublisher(), List::of, () -> { }, () -> { }, spoolProblem::get));
        try (ProbeAgentService service = ProbeAgentService.open(config, new ProbeAgentService.Wiring(delivery,
                new DefaultSourceFactory("Linux"), Clock.systemUTC(), new Random(1)),
                Map.of(), false)) {
            service.start();
            HttpResponse<String> full = get(service.opsPort(), "/healthz");
            assertEquals(503, full.statusCode());
            assertTrue(full.body().contains("spool cannot write: No space left on device (held=3 events)"),
                    full.body());
            spoolProblem.set(Optional.empty());
            assertEquals(200, get(service.opsPort(), "/healthz").statusCode());
        }
    }

    @Test
    void theConfiguredBearerTokenGuardsTheEndpoint() throws Exception {
        Path file = dir.resolve("exch01.snapshot");
        TestSupport.install("hyperv-reserved", file);
        String token = "Zk3uQ9pL2vX7mN4cR8tY1wB6";
        AgentConfig config = ConfigParser.parse(ConfigParser.readTree("""
                {"agent_name": "svc-probe", "heartbeat_interval": "0s",
                 "ops": {"port": 0, "bearer_token": {"env": "DYNPORT_OPS_TOKEN"}},
                 "targets": [{"type": "snapshot", "file": "%s", "interval": "1h", "jitter": "0s"}]}
                """.formatted(file), "t"), Map.of("DYNPORT_OPS_TOKEN", token), dir, RawDelivery.READER);
        DeliveryFactory delivery = opening(Delivery.of(new RecordingPublisher(), List::of, () -> { }, () -> { }));
        try (ProbeAgentService service = ProbeAgentService.open(config, new ProbeAgentService.Wiring(delivery,
                new DefaultSourceFactory("Linux"), Clock.systemUTC(), new Random(1)),
                Map.of(), false)) {
            service.start();
            HttpResponse<String> none = get(service.opsPort(), "/metrics");
            assertEquals(401, none.statusCode());
            assertEquals("Bearer realm=\"dynport-probe\"", none.headers().firstValue("WWW-Authenticate").orElseThrow());
            HttpResponse<String> with = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + service.opsPort() + "/metrics"))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, with.statusCode());
            assertTrue(with.body().contains("dynport_scheduler_running 1\n"), with.body());
        }
    }

    /**
     * SIGTERM's path (the shutdown hook calls close()) with a probe stuck in CPU work that ignores interrupts and was
     * abandoned at its timeout: close() does not wait for it, even with a drain bound of an hour, and still says
     * AGENT_STOPPING and closes delivery.
     */
    @Test
    void closeDoesNotWaitForAnAbandonedStuckProbe() throws Exception {
        AgentConfig config = ConfigParser.parse(ConfigParser.readTree("""
                {"agent_name": "svc-probe", "consecutive_samples": 1, "heartbeat_interval": "0s",
                 "ops": {"enabled": false},
                 "targets": [{"type": "snapshot", "name": "stuck", "file": "%s", "interval": "1s", "jitter": "0s",
                              "timeout": "100ms"}]}
                """.formatted(dir.resolve("unused.snapshot")), "t"), Map.of(), dir, RawDelivery.READER);
        RecordingPublisher published = new RecordingPublisher();
        AtomicBoolean deliveryClosed = new AtomicBoolean();
        DeliveryFactory delivery = opening(Delivery.of(published, List::of, () -> { }, () -> deliveryClosed.set(true)));
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean release = new AtomicBoolean();
        SnapshotSource spinning = timeout -> {
            started.countDown();
            while (!release.get()) {
                Thread.onSpinWait();
            }
            throw new IllegalStateException("released");
        };
        ProbeAgentService service = ProbeAgentService.open(config, new ProbeAgentService.Wiring(delivery,
                t -> spinning, Clock.systemUTC(), new Random(1)), Map.of(), false,
                Duration.ofHours(1));
        try {
            service.start();
            assertTrue(started.await(60, TimeUnit.SECONDS), "probe started");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (published.ofType(EventType.PROBE_FAILED).isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals("cannot probe stuck: probe did not finish within its timeout 100ms (+5s grace); abandoned",
                    published.ofType(EventType.PROBE_FAILED).get(0).summary());
            assertTimeoutPreemptively(Duration.ofSeconds(60), service::close, "close() waited for a stuck probe");
            List<EventType> types = published.events().stream().map(e -> e.type()).toList();
            assertEquals(EventType.AGENT_STOPPING, types.get(types.size() - 1));
            assertTrue(deliveryClosed.get(), "delivery is flushed and closed on shutdown");
        } finally {
            release.set(true);
            service.close();
        }
    }
}
