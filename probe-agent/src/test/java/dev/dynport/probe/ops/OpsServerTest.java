package dev.dynport.probe.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
            assertEquals("""
                    # HELP a_total A.
                    # TYPE a_total counter
                    a_total 1
                    # HELP b B.
                    # TYPE b gauge
                    b{sink="noc"} 2
                    """, metrics.body(), "a broken source is left out, the rest is served");
        }
    }

    @Test
    void otherPathsAre404AndWritesAre405() throws Exception {
        try (OpsServer ops = OpsServer.start("127.0.0.1", 0, () -> true)) {
            assertEquals(404, send(ops.port(), "GET", "/").statusCode());
            assertEquals(404, send(ops.port(), "GET", "/healthzz").statusCode());
            HttpResponse<String> post = send(ops.port(), "POST", "/metrics");
            assertEquals(405, post.statusCode());
            assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
            assertTrue(send(ops.port(), "HEAD", "/healthz").body().isEmpty());
        }
    }
}
