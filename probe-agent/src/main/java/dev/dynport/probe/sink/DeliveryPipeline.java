package dev.dynport.probe.sink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dynport.probe.config.ConfigException;
import dev.dynport.probe.event.Event;
import dev.dynport.probe.event.EventIds;
import dev.dynport.probe.event.EventJson;
import dev.dynport.probe.event.EventType;
import dev.dynport.probe.event.HealthState;
import dev.dynport.probe.event.EventPublisher;
import dev.dynport.probe.ops.Metric;
import dev.dynport.probe.ops.MetricSource;
import dev.dynport.probe.spool.Spool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Spool plus sinks: {@link #publish} makes an event durable, one named worker thread per sink delivers it.
 * Delivery is at-least-once and in spool order per sink; receivers de-duplicate on the event id.
 *
 * <p>Lifecycle: {@link #open} → {@link #start} → {@link #publish}… → {@link #close} (stop intake, let the
 * workers drain for at most {@code spool.flush_timeout_ms}, stop them, close sinks and spool). What is not
 * delivered by then stays in the spool and is delivered after the next start.
 */
public final class DeliveryPipeline implements EventPublisher, MetricSource, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DeliveryPipeline.class.getName());
    static final Set<String> SPOOL_FIELDS = Set.of("dir", "max_bytes", "max_records", "segment_bytes",
            "flush_timeout_ms");

    private record SpoolSettings(Spool.Options options, Duration flushTimeout) {
    }

    private final Spool spool;
    private final List<SinkWorker> workers;
    private final List<Thread> threads = new ArrayList<>();
    private final Duration flushTimeout;
    private final Clock clock;
    private final Object stopSignal = new Object();
    /** Drops not yet reported by an EVENTS_DROPPED event, per sink; guarded by {@code this}. */
    private final Map<String, Long> unreportedDrops = new LinkedHashMap<>();
    private Instant lastDropReport;
    private volatile boolean intakeOpen = true;
    private boolean started;
    private volatile boolean closed;

    private DeliveryPipeline(Spool spool, List<SinkWorker> workers, Duration flushTimeout, Clock clock) {
        this.spool = spool;
        this.workers = workers;
        this.flushTimeout = flushTimeout;
        this.clock = clock;
    }

    /** Checks spool and sink config completely; one exception lists every error, one per line. */
    public static void validate(JsonNode spoolConfig, JsonNode sinksConfig, Map<String, String> env)
            throws ConfigException {
        validate(spoolConfig, sinksConfig, env, System.getProperty("os.name", ""));
    }

    static void validate(JsonNode spoolConfig, JsonNode sinksConfig, Map<String, String> env, String osName)
            throws ConfigException {
        ConfigReader r = new ConfigReader(env);
        readSpool(r, spoolConfig);
        SinkFactory.read(r, sinksConfig, osName);
        r.throwIfAny();
    }

    public static DeliveryPipeline open(JsonNode spoolConfig, JsonNode sinksConfig, Map<String, String> env,
            Clock clock) throws ConfigException, IOException {
        return open(spoolConfig, sinksConfig, env, clock, null, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param sleeper null for the production sleeper (woken by {@link #close}) */
    static DeliveryPipeline open(JsonNode spoolConfig, JsonNode sinksConfig, Map<String, String> env, Clock clock,
            Sleeper sleeper, DoubleSupplier jitter) throws ConfigException, IOException {
        ConfigReader r = new ConfigReader(env);
        SpoolSettings settings = readSpool(r, spoolConfig);
        List<SinkFactory.Spec> specs = SinkFactory.read(r, sinksConfig, System.getProperty("os.name", ""));
        r.throwIfAny();
        List<Sink> sinks = new ArrayList<>();
        List<Backoff> backoffs = new ArrayList<>();
        try {
            for (SinkFactory.Spec s : specs) {
                sinks.add(s.builder().build(clock));
                backoffs.add(s.backoff());
            }
            return create(settings.options(), settings.flushTimeout(), sinks, backoffs, clock, sleeper, jitter);
        } catch (IOException | RuntimeException e) {
            sinks.forEach(DeliveryPipeline::closeQuietly);
            throw e;
        }
    }

    /** Wires ready-made sinks (tests, or a caller with its own sinks) to a spool. */
    static DeliveryPipeline create(Spool.Options options, Duration flushTimeout, List<Sink> sinks,
            List<Backoff> backoffs, Clock clock, Sleeper sleeper, DoubleSupplier jitter) throws IOException {
        Spool spool = Spool.open(options, sinks.stream().map(Sink::name).toList());
        DeliveryPipeline p = new DeliveryPipeline(spool, new ArrayList<>(), flushTimeout, clock);
        Sleeper effective = sleeper != null ? sleeper : p::sleepUnlessStopped;
        for (int i = 0; i < sinks.size(); i++) {
            p.workers.add(new SinkWorker(sinks.get(i), spool, backoffs.get(i), effective, jitter));
        }
        return p;
    }

    private static SpoolSettings readSpool(ConfigReader r, JsonNode n) {
        if (n == null || !n.isObject()) {
            r.error("/spool must be an object with at least \"dir\" ["
                    + (n == null || n.isMissingNode() ? "missing" : n) + "]");
            return null;
        }
        r.rejectUnknown(n, "/spool", SPOOL_FIELDS);
        Path dir = r.anyPath(n, "/spool", "dir", null);
        if (dir != null && Files.exists(dir) && (!Files.isDirectory(dir) || !Files.isWritable(dir))) {
            r.error("/spool/dir is not a writable directory [" + dir + "]");
        }
        long maxBytes = r.number(n, "/spool", "max_bytes", 64L << 20, 4096, 1L << 40);
        long maxRecords = r.number(n, "/spool", "max_records", 100_000, 1, 100_000_000);
        long segmentBytes = r.number(n, "/spool", "segment_bytes", 1L << 20, 4096, 1L << 30);
        long flushMs = r.number(n, "/spool", "flush_timeout_ms", 5000, 0, 600_000);
        if (dir == null || r.hasErrors()) {
            return null;
        }
        return new SpoolSettings(new Spool.Options(dir, maxBytes, maxRecords, segmentBytes),
                Duration.ofMillis(flushMs));
    }

    /** Starts one worker thread per sink, named {@code dynport-sink-NAME}. */
    public synchronized void start() {
        if (started || closed) {
            return;
        }
        started = true;
        for (SinkWorker w : workers) {
            Thread t = new Thread(w, "dynport-sink-" + w.name());
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /**
     * Returns once the event is written and forced to the spool. When the spool cap dropped events, an
     * EVENTS_DROPPED event (id {@value EventIds#EVENTS_DROPPED}) with the counts per sink is spooled as well, at
     * most once per {@link #DROP_REPORT_INTERVAL}, so the receivers that still work learn about the loss.
     */
    @Override
    public void publish(Event event) throws IOException {
        if (!intakeOpen) {
            throw new IOException("delivery pipeline is closing; event [" + event.id() + "] not spooled");
        }
        synchronized (this) {
            Map<String, Long> before = droppedPerSink();
            long seq = spool.append(EventJson.toBytes(event));
            LOG.fine(() -> "spooled event " + event.id() + " as record " + seq);
            countDropsSince(before);
            Instant now = clock.instant();
            if (!unreportedDrops.isEmpty()
                    && (lastDropReport == null || !now.isBefore(lastDropReport.plus(DROP_REPORT_INTERVAL)))) {
                Event report = dropReport(event.agent(), now);
                unreportedDrops.clear();
                lastDropReport = now;
                Map<String, Long> beforeReport = droppedPerSink();
                spool.append(EventJson.toBytes(report));
                countDropsSince(beforeReport); // the report itself may push one more out: told next time
                LOG.warning(() -> "spooled " + report.summary());
            }
        }
    }

    private void countDropsSince(Map<String, Long> before) {
        droppedPerSink().forEach((sink, n) -> {
            long d = n - before.getOrDefault(sink, 0L);
            if (d > 0) {
                unreportedDrops.merge(sink, d, Long::sum);
            }
        });
    }

    /** How often at most an EVENTS_DROPPED event is spooled while drops go on. */
    static final Duration DROP_REPORT_INTERVAL = Duration.ofMinutes(1);

    private Map<String, Long> droppedPerSink() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (SinkWorker w : workers) {
            m.put(w.name(), spool.dropped(w.name()));
        }
        return m;
    }

    private Event dropReport(String agent, Instant now) {
        long total = unreportedDrops.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder per = new StringBuilder();
        unreportedDrops.forEach((sink, n) -> per.append(per.length() == 0 ? "" : ", ").append(sink).append('=')
                .append(n));
        String summary = "spool full: " + total + " undelivered event(s) dropped (" + per + ")";
        String details = summary + (lastDropReport == null ? "" : " since " + lastDropReport)
                + "; the oldest undelivered events of the slowest sinks are dropped first. Raise spool.max_records /"
                + " spool.max_bytes or fix the receiver.";
        return new Event(Event.SCHEMA_VERSION, UUID.randomUUID().toString(), now, agent, agent, null, null, null,
                EventType.EVENTS_DROPPED, EventIds.EVENTS_DROPPED, HealthState.WARNING, null, List.of(), summary,
                details, List.of(), "", List.of());
    }

    /** Waits (bounded) until every sink has consumed every spooled record. */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        return spool.awaitDrained(timeout.toNanos());
    }

    /** For tests and ops: records still owed to {@code sink}. */
    public long depth(String sink) {
        return spool.depth(sink);
    }

    Spool spool() {
        return spool;
    }

    private void sleepUnlessStopped(Duration d) throws InterruptedException {
        long deadline = System.nanoTime() + d.toNanos();
        synchronized (stopSignal) {
            while (!closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                stopSignal.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    @Override
    public List<Metric> metrics() {
        List<Metric> m = new ArrayList<>();
        for (SinkWorker w : workers) {
            Map<String, String> l = Map.of("sink", w.name());
            m.add(new Metric("dynport_spool_depth_events", "Spooled events not yet delivered to the sink", "gauge", l,
                    spool.depth(w.name())));
            m.add(new Metric("dynport_spool_depth_bytes",
                    "On-disk bytes of spooled events not yet delivered to the sink", "gauge", l,
                    spool.depthBytes(w.name())));
            m.add(new Metric("dynport_events_delivered_total", "Events delivered to the sink", "counter", l,
                    w.delivered.get()));
            m.add(new Metric("dynport_delivery_failed_attempts_total",
                    "Delivery attempts that failed with a retryable error", "counter", l, w.failedAttempts.get()));
            m.add(new Metric("dynport_events_failed_total",
                    "Events given up after a non-retryable error (logged and skipped)", "counter", l,
                    w.permanentlyFailed.get()));
            m.add(new Metric("dynport_events_dropped_total", "Undelivered events dropped because the spool was full",
                    "counter", l, spool.dropped(w.name())));
        }
        m.add(new Metric("dynport_spool_quarantined_total",
                "Corrupt segments, record spans and cursor files moved to quarantine/", "counter", Map.of(),
                spool.quarantined()));
        m.add(new Metric("dynport_events_spooled_total", "Events written to the spool since start", "counter",
                Map.of(), spool.appended()));
        m.add(new Metric("dynport_spool_segments", "Segment files in the spool", "gauge", Map.of(),
                spool.segmentCount()));
        return m;
    }

    /** Stop intake → drain for at most the flush timeout → stop workers → close sinks and spool (in finally). */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            intakeOpen = false;
        }
        try {
            if (started && !flushTimeout.isZero()) {
                boolean drained = spool.awaitDrained(flushTimeout.toNanos());
                if (!drained) {
                    LOG.warning(() -> "delivery not complete after " + flushTimeout.toMillis()
                            + " ms; the rest stays in the spool for the next start: " + depthSummary());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (this) {
                closed = true;
            }
            workers.forEach(SinkWorker::stop);
            synchronized (stopSignal) {
                stopSignal.notifyAll();
            }
            for (Thread t : threads) {
                try {
                    t.join(2000);
                    if (t.isAlive()) {
                        LOG.warning(() -> "worker " + t.getName() + " still busy in a delivery at shutdown");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            for (SinkWorker w : workers) {
                closeQuietly(w.sink());
            }
            try {
                spool.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "closing the spool failed", e);
            }
        }
    }

    private String depthSummary() {
        StringBuilder b = new StringBuilder();
        for (SinkWorker w : workers) {
            b.append(b.length() == 0 ? "" : ", ").append(w.name()).append('=').append(spool.depth(w.name()));
        }
        return b.toString();
    }

    private static void closeQuietly(Sink s) {
        try {
            s.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "closing sink [" + s.name() + "] failed", e);
        }
    }
}
