package dev.dynport.probe.sink;

import dev.dynport.check.util.NamedThreads;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dynport.probe.config.ConfigException;
import dev.dynport.probe.event.Event;
import dev.dynport.probe.event.EventIds;
import dev.dynport.probe.event.EventPublisher;
import dev.dynport.probe.ops.Metric;
import dev.dynport.probe.ops.MetricSource;
import dev.dynport.probe.spool.Spool;
import dev.dynport.probe.spool.SpoolIo;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 *
 * <p>While the spool cannot write, events are held in memory under a counted drop policy ({@link SpoolIntake}) and
 * a thread named {@code dynport-spool-retry} retries every {@link #RETRY_INTERVAL}, also for cursor files that
 * could not be saved; {@link #healthProblem} says so for {@code /healthz}.
 */
public final class DeliveryPipeline implements EventPublisher, MetricSource, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DeliveryPipeline.class.getName());
    static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);

    private final Spool spool;
    private final SpoolIntake intake;
    private final List<SinkWorker> workers;
    private final List<Thread> threads = new ArrayList<>();
    private final Duration flushTimeout;
    private final Object stopSignal = new Object();
    private volatile boolean intakeOpen = true;
    private boolean started;
    private volatile boolean closed;

    private DeliveryPipeline(Spool spool, SpoolIntake intake, List<SinkWorker> workers, Duration flushTimeout) {
        this.spool = spool;
        this.intake = intake;
        this.workers = workers;
        this.flushTimeout = flushTimeout;
    }

    public static DeliveryPipeline open(PipelineSettings settings, Clock clock) throws IOException {
        return open(settings, clock, null, () -> ThreadLocalRandom.current().nextDouble(), null);
    }

    /** Reads the sections and opens: for tools and tests that hold JSON, not a loaded agent config. */
    public static DeliveryPipeline open(JsonNode spoolConfig, JsonNode sinksConfig, Map<String, String> env,
            Clock clock) throws ConfigException, IOException {
        return open(PipelineSettings.parse(spoolConfig, sinksConfig, env), clock);
    }

    /** @param sleeper null for the production sleeper (woken by {@link #close}) */
    static DeliveryPipeline open(JsonNode spoolConfig, JsonNode sinksConfig, Map<String, String> env, Clock clock,
            Sleeper sleeper, DoubleSupplier jitter) throws ConfigException, IOException {
        return open(PipelineSettings.parse(spoolConfig, sinksConfig, env), clock, sleeper, jitter, null);
    }

    /** @param io null for the real file system; tests pass a {@code FullDisk} */
    static DeliveryPipeline open(JsonNode spoolConfig, JsonNode sinksConfig, Map<String, String> env, Clock clock,
            Sleeper sleeper, DoubleSupplier jitter, SpoolIo io) throws ConfigException, IOException {
        return open(PipelineSettings.parse(spoolConfig, sinksConfig, env), clock, sleeper, jitter, io);
    }

    private static DeliveryPipeline open(PipelineSettings settings, Clock clock, Sleeper sleeper, DoubleSupplier jitter,
            SpoolIo io) throws IOException {
        List<Sink> sinks = new ArrayList<>();
        List<Backoff> backoffs = new ArrayList<>();
        try {
            for (SinkFactory.Spec s : settings.sinks) {
                sinks.add(s.builder().build(clock));
                backoffs.add(s.backoff());
            }
            List<String> names = sinks.stream().map(Sink::name).toList();
            Spool spool = Spool.open(settings.spool.options(), names, io == null ? SpoolIo.REAL : io, clock);
            return create(spool, settings.spool, sinks, backoffs, clock, sleeper, jitter);
        } catch (IOException | RuntimeException e) {
            sinks.forEach(DeliveryPipeline::closeQuietly);
            throw e;
        }
    }

    private static DeliveryPipeline create(Spool spool, PipelineSettings.SpoolSettings settings, List<Sink> sinks,
            List<Backoff> backoffs, Clock clock, Sleeper sleeper, DoubleSupplier jitter) {
        SpoolIntake intake = new SpoolIntake(spool, sinks.stream().map(Sink::name).toList(), settings.holdEvents(),
                settings.holdBytes(), clock);
        DeliveryPipeline p = new DeliveryPipeline(spool, intake, new ArrayList<>(), settings.flushTimeout());
        Sleeper effective = sleeper != null ? sleeper : p::sleepUnlessStopped;
        for (int i = 0; i < sinks.size(); i++) {
            p.workers.add(new SinkWorker(sinks.get(i), spool, backoffs.get(i), effective, jitter));
        }
        return p;
    }

    /** Starts one worker thread per sink, named {@code dynport-sink-NAME}, and {@code dynport-spool-retry}. */
    public synchronized void start() {
        if (started || closed) {
            return;
        }
        started = true;
        for (SinkWorker w : workers) {
            Thread t = NamedThreads.daemon("dynport-sink-" + w.name(), w);
            threads.add(t);
            t.start();
        }
        Thread retry = NamedThreads.daemon("dynport-spool-retry", this::retryLoop);
        threads.add(retry);
        retry.start();
    }

    /** Without it, events held on a full disk would wait for the next publish, which may be hours away. */
    private void retryLoop() {
        boolean failing = false;
        while (!closed) {
            try {
                sleepUnlessStopped(RETRY_INTERVAL);
                if (!closed) {
                    retryWrites();
                }
                failing = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                if (!failing && !closed) {
                    LOG.log(Level.SEVERE, "spool retry failed; trying again every " + RETRY_INTERVAL.toSeconds()
                            + " s", e);
                }
                failing = true;
            }
        }
    }

    /** Writes held events and unsaved cursor files if the spool can write again. */
    void retryWrites() throws IOException {
        intake.retry();
        spool.saveCursors();
    }

    /**
     * Empty while the spool can write; else e.g. {@code spool cannot write: No space left on device (held=12
     * events, dropped=0, since 2026-11-30T03:00:00Z)}. For {@code /healthz}.
     */
    public Optional<String> healthProblem() {
        Optional<String> held = intake.problem();
        if (held.isPresent()) {
            return held;
        }
        return spool.cursorProblem().map(c -> "spool cannot save cursor files: " + c.reason() + " (sinks "
                + c.sinks() + ", since " + c.since().truncatedTo(ChronoUnit.SECONDS) + ")");
    }

    /**
     * Returns once the event is written and forced to the spool, or, while the spool cannot write, held in memory
     * (see {@link SpoolIntake}: bounded, dropped oldest first, counted). When the spool cap dropped events, an
     * EVENTS_DROPPED event (id {@value EventIds#EVENTS_DROPPED}) with the counts per sink is spooled as well, at
     * most once per {@link SpoolIntake#DROP_REPORT_INTERVAL}, so the receivers that still work learn about the loss.
     *
     * @throws IOException when the pipeline is closing or the event is too large for the spool
     */
    @Override
    public void publish(Event event) throws IOException {
        if (!intakeOpen) {
            throw new IOException("delivery pipeline is closing; event [" + event.id() + "] not spooled");
        }
        intake.offer(event);
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
            m.addAll(w.sink().metrics());
        }
        m.add(new Metric("dynport_spool_quarantined_total",
                "Corrupt segments, record spans and cursor files moved to quarantine/", "counter", Map.of(),
                spool.quarantined()));
        m.add(new Metric("dynport_events_spooled_total", "Events written to the spool since start", "counter",
                Map.of(), spool.appended()));
        m.add(new Metric("dynport_spool_segments", "Segment files in the spool", "gauge", Map.of(),
                spool.segmentCount()));
        m.add(new Metric("dynport_spool_writable",
                "1 while the spool can write events and cursor files, 0 while it cannot (disk full, I/O error)",
                "gauge", Map.of(), healthProblem().isEmpty() ? 1 : 0));
        m.add(new Metric("dynport_spool_held_events",
                "Events held in memory because the spool cannot write; written when it can again", "gauge",
                Map.of(), intake.heldEvents()));
        m.add(new Metric("dynport_spool_held_bytes", "Bytes of the events held in memory", "gauge", Map.of(),
                intake.heldBytes()));
        m.add(new Metric("dynport_spool_dropped_total",
                "Events dropped before reaching the spool: the in-memory holding area was full while the spool"
                        + " could not write, or the agent stopped with events still held",
                "counter", Map.of("reason", "disk_full"), intake.droppedDiskFull()));
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
        intake.close();
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
