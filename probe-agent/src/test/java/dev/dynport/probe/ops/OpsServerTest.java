package dev.dynport.probe.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class OpsServerTest {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> send(int port, String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Sends {@code request} on a new connection and reads until the server closes it (at most 10 s). */
    static String raw(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return readAll(s.getInputStream());
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Socket halfRequestLine(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.getOutputStream().write("GET /hea".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    private static void closeAll(List<Socket> sockets) throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
    }

    @Test
    void healthzFollowsTheSchedulerAndMetricsListsEverySource() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        try (OpsServer ops = OpsServer.start("127.0.0.1", 0, running::get)) {
            ops.register(() -> List.of(new Metric("a_total", "A.", "counter", Map.of(), 1)));
            ops.register(() -> {
                throw new IllegalStateException("broken source");
            });
            ops.register(() -> List.of(new Metric("b", "B.", "gauge", Map.of("sink", "noc"), 2)));
            HttpResponse<String> ok = send(ops.port(), "GET", "/healthz");
            assertEquals(200, ok.statusCode());
            assertEquals("ok\n", ok.body());
            running.set(false);
            HttpResponse<String> down = send(ops.port(), "GET", "/healthz");
            assertEquals(503, down.statusCode());
            assertEquals("stopped\n", down.body());

            HttpResponse<String> metrics = send(ops.port(), "GET", "/metrics");
            assertEquals(200, metrics.statusCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8",
                    metrics.headers().firstValue("Content-Type").orElseThrow());
            assertTrue(metrics.body().startsWith("""
                    # HELP a_total A.
                    # TYPE a_total counter
                    a_total 1
                    # HELP b B.
                    # TYPE b gauge
                    b{sink="noc"} 2
                    """), "a broken source is left out, the rest is served:\n" + metrics.body());
            assertTrue(metrics.body().contains("dynport_ops_refused_total{reason=\"timeout\"} 0\n"), metrics.body());
        }
    }

    @Test
    void healthzSaysWhyItIsUnhealthy() throws Exception {
        AtomicBoolean full = new AtomicBoolean(true);
        HealthCheck spool = HealthCheck.of(() -> !full.get(), "spool cannot write:\nNo space left on device");
        try (OpsServer ops = OpsServer.start("127.0.0.1", 0, HealthCheck.all(HealthCheck.of(() -> true, "stopped"),
                spool), null, OpsServer.Limits.DEFAULT)) {
            HttpResponse<String> down = send(ops.port(), "GET", "/healthz");
            assertEquals(503, down.statusCode());
            assertEquals("spool cannot write: No space left on device\n", down.body());
            full.set(false);
            assertEquals("ok\n", send(ops.port(), "GET", "/healthz").body());
        }
        try (OpsServer ops = OpsServer.start("127.0.0.1", 0, () -> {
            throw new IllegalStateException("bug");
        }, null, OpsServer.Limits.DEFAULT)) {
            HttpResponse<String> broken = send(ops.port(), "GET", "/healthz");
            assertEquals(503, broken.statusCode());
            assertEquals("health check failed: IllegalStateException\n", broken.body());
        }
    }

    @Test
    void otherPathsAre404WritesAre405AndGarbageIs400() throws Exception {
        try (OpsServer ops = OpsServer.start("127.0.0.1", 0, () -> true)) {
            assertEquals(404, send(ops.port(), "GET", "/").statusCode());
            assertEquals(404, send(ops.port(), "GET", "/healthzz").statusCode());
            assertEquals(200, send(ops.port(), "GET", "/healthz?verbose=1").statusCode());
            HttpResponse<String> post = send(ops.port(), "POST", "/metrics");
            assertEquals(405, post.statusCode());
            assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
            HttpResponse<String> head = send(ops.port(), "HEAD", "/healthz");
            assertEquals(200, head.statusCode());
            assertTrue(head.body().isEmpty());
            assertTrue(raw(ops.port(), "GET /healthz\r\n\r\n").startsWith("HTTP/1.1 400 "));
            assertTrue(raw(ops.port(), "\r\n\r\n").startsWith("HTTP/1.1 400 "));
            assertTrue(raw(ops.port(), "GET /healthz HTTP/1.0\n\n").startsWith("HTTP/1.1 200 "),
                    "bare LF line ends are accepted");
        }
    }

    @Test
    void aClientThatSendsHalfARequestLineDoesNotBlockHealthz() throws Exception {
        try (OpsServer ops = OpsServer.start("127.0.0.1", 0, () -> true);
                Socket slow = halfRequestLine(ops.port())) {
            HttpResponse<String> r = send(ops.port(), "GET", "/healthz");
            assertEquals(200, r.statusCode());
            assertEquals(200, send(ops.port(), "GET", "/metrics").statusCode());
            assertTrue(slow.isConnected());
        }
    }

    /** More slow clients than any thread pool has: the Prometheus client's server (10 threads) stalls here. */
    @Test
    void manySlowClientsDoNotBlockHealthz() throws Exception {
        try (OpsServer ops = OpsServer.start("127.0.0.1", 0, () -> true)) {
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    slow.add(halfRequestLine(ops.port()));
                }
                assertEquals("ok\n", send(ops.port(), "GET", "/healthz").body());
            } finally {
                closeAll(slow);
            }
        }
    }

    /**
     * 40 idle connections against the default cap of 32: every new connection past the cap closes the oldest one
     * still sending its head, so the first 9 (8 over the cap, and one more for the health check) are closed.
     */
    @Test
    void idleConnectionsAreCappedOldestFirstAndHealthzStillAnswers() throws Exception {
        try (OpsServer ops = OpsServer.start("127.0.0.1", 0, () -> true)) {
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 40; i++) {
                    Socket s = new Socket("127.0.0.1", ops.port());
                    s.setSoTimeout(5_000);
                    idle.add(s);
                }
                assertEquals("ok\n", send(ops.port(), "GET", "/healthz").body());
                for (int i = 0; i < 9; i++) {
                    assertEquals(-1, idle.get(i).getInputStream().read(), "connection " + i + " closed");
                }
                String metrics = send(ops.port(), "GET", "/metrics").body();
                assertTrue(metrics.contains("dynport_ops_refused_total{reason=\"evicted\"} 9"), metrics);
            } finally {
                closeAll(idle);
            }
        }
    }

    @Test
    void aSlowClientGets408WhenTheRequestTimeoutPasses() throws Exception {
        OpsServer.Limits limits = new OpsServer.Limits(32, Duration.ofMillis(200), 8192, 2);
        try (OpsServer ops = OpsServer.start("127.0.0.1", 0, () -> java.util.Optional.empty(), null, limits);
                Socket slow = halfRequestLine(ops.port())) {
            slow.setSoTimeout(10_000);
            assertTrue(readAll(slow.getInputStream()).startsWith("HTTP/1.1 408 Request Timeout\r\n"));
            assertEquals(200, send(ops.port(), "GET", "/healthz").statusCode());
        }
    }

    @Test
    void aRequestHeadOverTheLimitGets431() throws Exception {
        try (OpsServer ops = OpsServer.start("127.0.0.1", 0, () -> true)) {
            String response = raw(ops.port(), "GET /healthz HTTP/1.1\r\nX-Pad: " + "a".repeat(10_000) + "\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 431 "), response);
        }
    }

    @Test
    void withABearerTokenEveryRequestWithoutItGets401() throws Exception {
        String token = "3f9c1a7e0b2d4c6e8a1f3b5d7c9e0a2b";
        try (OpsServer ops = OpsServer.start("127.0.0.1", 0, HealthCheck.of(() -> true, "stopped"),
                token.toCharArray(), OpsServer.Limits.DEFAULT)) {
            ops.register(() -> List.of(new Metric("dynport_port_state", "h", "gauge", Map.of("port", "9955"), 2)));
            for (String path : List.of("/metrics", "/healthz", "/nothing")) {
                String none = raw(ops.port(), "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
                assertTrue(none.startsWith("HTTP/1.1 401 Unauthorized\r\n"), none);
                assertTrue(none.contains("\r\nWWW-Authenticate: Bearer realm=\"dynport-probe\"\r\n"), none);
                assertFalse(none.contains("9955"), none);
            }
            for (String header : List.of("Bearer " + token.substring(1), "Bearer " + token + "x", "Basic " + token,
                    "Bearer", token)) {
                String wrong = raw(ops.port(), "GET /metrics HTTP/1.1\r\nAuthorization: " + header + "\r\n\r\n");
                assertTrue(wrong.startsWith("HTTP/1.1 401 "), header + " -> " + wrong);
            }
            String twice = raw(ops.port(), "GET /metrics HTTP/1.1\r\nAuthorization: Bearer " + token
                    + "\r\nAuthorization: Bearer wrong\r\n\r\n");
            assertTrue(twice.startsWith("HTTP/1.1 401 "), "two Authorization headers are refused: " + twice);

            String ok = raw(ops.port(), "GET /metrics HTTP/1.1\r\nauthorization:  bearer " + token + " \r\n\r\n");
            assertTrue(ok.startsWith("HTTP/1.1 200 OK\r\n"), ok);
            assertTrue(ok.contains("dynport_port_state{port=\"9955\"} 2\n"), ok);
            assertTrue(ok.contains("dynport_ops_refused_total{reason=\"unauthorized\"} 9\n"), ok);
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + ops.port() + "/healthz")).header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
        }
    }
}
