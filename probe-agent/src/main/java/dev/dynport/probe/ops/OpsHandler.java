package dev.dynport.probe.ops;

import dev.dynport.check.util.Text;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns one complete request head into one complete response (status line, headers, body, {@code Connection:
 * close}); no I/O, so {@link OpsServer} decides alone how long anything may take.
 * <ul>
 * <li>{@code GET /healthz}: 200 {@code ok}, or 503 with the {@link HealthCheck}'s problem as one line.</li>
 * <li>{@code GET /metrics}: every registered {@link MetricSource} through the Prometheus client's registry and text
 * writer (see {@link PrometheusText}); a source that throws is left out and logged, the rest is served.</li>
 * <li>Other paths 404; methods other than GET and HEAD 405; a head that is not {@code METHOD SP TARGET SP
 * HTTP/1.x} 400.</li>
 * <li>With a bearer token configured, every request without {@code Authorization: Bearer <token>} gets 401 and
 * {@code WWW-Authenticate: Bearer}. Only SHA-256 digests are kept and compared, in constant time, so neither the
 * token nor its length shows in timing, and nothing of the header is ever logged.</li>
 * </ul>
 */
final class OpsHandler {
    private static final Logger LOG = Logger.getLogger(OpsHandler.class.getName());
    private static final String TEXT = "text/plain; charset=utf-8";
    static final List<String> REFUSALS = List.of("bad_request", "busy", "evicted", "head_too_large",
            "over_capacity", "timeout", "unauthorized");

    private final HealthCheck health;
    private final byte[] tokenDigest;
    private final List<MetricSource> sources = new CopyOnWriteArrayList<>();
    private final Map<String, LongAdder> refused = new ConcurrentSkipListMap<>();
    private final PrometheusRegistry registry = new PrometheusRegistry();

    OpsHandler(HealthCheck health, char[] bearerToken) {
        this.health = health;
        this.tokenDigest = bearerToken == null ? null
                : sha256(new String(bearerToken).getBytes(StandardCharsets.UTF_8));
        REFUSALS.forEach(r -> refused.put(r, new LongAdder()));
        sources.add(this::ownMetrics);
        registry.register((MultiCollector) this::collect);
    }

    void register(MetricSource source) {
        sources.add(source);
    }

    void refused(String reason) {
        refused.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    byte[] respond(byte[] head) {
        try {
            return route(head);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "ops request failed: " + e, e);
            return response(500, "Internal Server Error", TEXT, "internal error; see the agent log\n", false, "");
        }
    }

    private byte[] route(byte[] head) {
        String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r?\n", -1);
        String[] requestLine = lines[0].split(" ", -1);
        if (requestLine.length != 3 || requestLine[0].isEmpty() || !requestLine[2].matches("HTTP/1\\.[01]")) {
            refused("bad_request");
            return response(400, "Bad Request", TEXT, "bad request line\n", false, "");
        }
        String method = requestLine[0];
        boolean headOnly = method.equals("HEAD");
        if (tokenDigest != null && !authorized(lines)) {
            refused("unauthorized");
            return response(401, "Unauthorized", TEXT, "unauthorized: send Authorization: Bearer <token>\n",
                    headOnly, "WWW-Authenticate: Bearer realm=\"dynport-probe\"\r\n");
        }
        if (!method.equals("GET") && !headOnly) {
            return response(405, "Method Not Allowed", TEXT, "method not allowed\n", false, "Allow: GET, HEAD\r\n");
        }
        String target = requestLine[1];
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        return switch (path) {
            case "/healthz" -> healthz(headOnly);
            case "/metrics" -> response(200, "OK", PrometheusText.CONTENT_TYPE, metrics(), headOnly, "");
            default -> response(404, "Not Found", TEXT, "not found; try /healthz or /metrics\n", headOnly, "");
        };
    }

    private boolean authorized(String[] lines) {
        byte[] given = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().equalsIgnoreCase("Authorization")) {
                if (given != null) {
                    return false; // two Authorization headers: refuse rather than pick one
                }
                String value = lines[i].substring(colon + 1).trim();
                int sp = value.indexOf(' ');
                given = sp > 0 && value.substring(0, sp).equalsIgnoreCase("Bearer")
                        ? value.substring(sp + 1).trim().getBytes(StandardCharsets.ISO_8859_1) : new byte[0];
            }
        }
        return given != null && given.length > 0 && MessageDigest.isEqual(sha256(given), tokenDigest);
    }

    private byte[] healthz(boolean headOnly) {
        Optional<String> problem;
        try {
            problem = health.problem();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "health check failed: " + e, e);
            problem = Optional.of("health check failed: " + e.getClass().getSimpleName());
        }
        return problem.isEmpty() ? response(200, "OK", TEXT, "ok\n", headOnly, "")
                : response(503, "Service Unavailable", TEXT, oneLine(problem.get()) + "\n", headOnly, "");
    }

    private String metrics() {
        return PrometheusText.write(registry.scrape());
    }

    private MetricSnapshots collect() {
        List<Metric> all = new ArrayList<>();
        for (MetricSource s : sources) {
            try {
                all.addAll(s.metrics());
            } catch (RuntimeException e) {
                // One broken source must not take the whole page down.
                LOG.warning("metric source " + s.getClass().getSimpleName() + " failed: " + e);
            }
        }
        return PrometheusText.snapshots(all);
    }

    private List<Metric> ownMetrics() {
        List<Metric> out = new ArrayList<>();
        refused.forEach((reason, n) -> out.add(new Metric("dynport_ops_refused_total",
                "Ops endpoint connections closed or requests refused without being served, by reason.", "counter",
                Map.of("reason", reason), n.sum())));
        return out;
    }

    static byte[] busy() {
        return response(503, "Service Unavailable", TEXT, "busy\n", false, "");
    }

    static byte[] headTooLarge() {
        return response(431, "Request Header Fields Too Large", TEXT, "request head too large\n", false, "");
    }

    static byte[] timeout() {
        return response(408, "Request Timeout", TEXT, "request timeout\n", false, "");
    }

    private static byte[] response(int status, String reason, String type, String body, boolean headOnly,
            String extraHeaders) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String h = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: " + type + "\r\nContent-Length: "
                + b.length + "\r\nConnection: close\r\n" + extraHeaders + "\r\n";
        byte[] hb = h.getBytes(StandardCharsets.ISO_8859_1);
        if (headOnly) {
            return hb;
        }
        byte[] all = new byte[hb.length + b.length];
        System.arraycopy(hb, 0, all, 0, hb.length);
        System.arraycopy(b, 0, all, hb.length, b.length);
        return all;
    }

    /** The problem as one line: it is the whole body, and monitoring tools show its first line. */
    private static String oneLine(String s) {
        String line = Text.oneLine(s).strip();
        return line.isEmpty() ? "unhealthy" : line;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
