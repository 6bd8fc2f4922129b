package dev.dynport.probe.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The operations endpoint, on the JDK's HTTP server (no dependency), bound to 127.0.0.1 by default:
 * <ul>
 * <li>{@code GET /healthz}: 200 {@code ok} while the scheduler runs, 503 {@code stopped} otherwise.</li>
 * <li>{@code GET /metrics}: every registered {@link MetricSource}, in {@link PrometheusText} format.</li>
 * </ul>
 * Anything else is 404; methods other than GET and HEAD are 405. One named thread serves requests.
 */
public final class OpsServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OpsServer.class.getName());

    private final HttpServer server;
    private final ExecutorService executor;
    private final BooleanSupplier healthy;
    private final List<MetricSource> sources = new CopyOnWriteArrayList<>();

    private OpsServer(HttpServer server, ExecutorService executor, BooleanSupplier healthy) {
        this.server = server;
        this.executor = executor;
        this.healthy = healthy;
    }

    /** Binds and starts serving; {@code port} 0 picks a free port (see {@link #port()}). */
    public static OpsServer start(String address, int port, BooleanSupplier healthy) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dynport-ops-http");
            t.setDaemon(true);
            return t;
        });
        OpsServer ops = new OpsServer(server, executor, healthy);
        server.createContext("/", ops::handle);
        server.setExecutor(executor);
        server.start();
        return ops;
    }

    public void register(MetricSource source) {
        sources.add(source);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, "text/plain; charset=utf-8", "method not allowed\n");
            } else if (path.equals("/healthz")) {
                boolean ok = healthy.getAsBoolean();
                send(ex, ok ? 200 : 503, "text/plain; charset=utf-8", ok ? "ok\n" : "stopped\n");
            } else if (path.equals("/metrics")) {
                send(ex, 200, PrometheusText.CONTENT_TYPE, PrometheusText.render(collect()));
            } else {
                send(ex, 404, "text/plain; charset=utf-8", "not found; try /healthz or /metrics\n");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "ops request failed: " + e, e);
        }
    }

    private List<Metric> collect() {
        List<Metric> all = new ArrayList<>();
        for (MetricSource s : sources) {
            try {
                all.addAll(s.metrics());
            } catch (RuntimeException e) {
                // One broken source must not take the whole page down.
                LOG.warning("metric source " + s.getClass().getSimpleName() + " failed: " + e);
            }
        }
        return all;
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Stops within about a second: open exchanges get that long to finish. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdown();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
