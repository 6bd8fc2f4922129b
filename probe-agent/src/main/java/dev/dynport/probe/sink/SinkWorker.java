package dev.dynport.probe.sink;

import dev.dynport.probe.event.Event;
import dev.dynport.probe.event.WireState;
import dev.dynport.probe.event.EventJson;
import dev.dynport.probe.spool.Spool;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The delivery loop of one sink: peek the record at the sink's cursor, deliver it, advance the cursor.
 * A retryable {@link DeliveryException} is retried with {@link Backoff} until it succeeds or the worker stops
 * (the cursor stays, so the record is sent again after a restart). A non-retryable one is logged at SEVERE,
 * counted as permanently failed and the record is skipped: retrying a 400 forever would block every later event.
 * Never interrupted: an interrupt would close the spool's file channels under it; it polls a stop flag instead.
 * A cursor file that cannot be saved (disk full) does not stop it: the spool keeps the cursor in memory, so each
 * record is sent once (see {@link Spool#advance}). Spool errors are logged once per episode, without stack trace.
 */
final class SinkWorker implements Runnable {
    private static final Logger LOG = Logger.getLogger(SinkWorker.class.getName());
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final Sink sink;
    private final Spool spool;
    private final Backoff backoff;
    private final Sleeper sleeper;
    private final DoubleSupplier jitter;
    private volatile boolean stop;
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong failedAttempts = new AtomicLong();
    final AtomicLong permanentlyFailed = new AtomicLong();

    SinkWorker(Sink sink, Spool spool, Backoff backoff, Sleeper sleeper, DoubleSupplier jitter) {
        this.sink = sink;
        this.spool = spool;
        this.backoff = backoff;
        this.sleeper = sleeper;
        this.jitter = jitter;
    }

    String name() {
        return sink.name();
    }

    Sink sink() {
        return sink;
    }

    void stop() {
        stop = true;
    }

    boolean stopping() {
        return stop;
    }

    @Override
    public void run() {
        int loopFailures = 0;
        while (!stop) {
            try {
                Optional<Spool.Entry> next = spool.awaitNext(sink.name(), POLL_NANOS);
                if (loopFailures > 0) {
                    int n = loopFailures;
                    LOG.info(() -> "sink [" + sink.name() + "]: spool usable again after " + n + " failed attempt(s)");
                    loopFailures = 0;
                }
                if (next.isPresent()) {
                    deliver(next.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                if (stop) {
                    return;
                }
                // once per episode: a spool that cannot be read fails every attempt, and each would say the same
                if (++loopFailures == 1) {
                    if (e instanceof IOException) {
                        LOG.severe("sink [" + sink.name() + "]: spool error, retrying with backoff until it clears: "
                                + e);
                    } else {
                        LOG.log(Level.SEVERE, "sink [" + sink.name() + "]: unexpected error, retrying with backoff", e);
                    }
                } else {
                    LOG.fine(() -> "sink [" + sink.name() + "]: spool error again: " + e);
                }
                if (!pause(backoff.delay(loopFailures, jitter.getAsDouble()))) {
                    return;
                }
            }
        }
    }

    private void deliver(Spool.Entry entry) throws IOException {
        Event event;
        try {
            event = EventJson.fromBytes(entry.payload());
        } catch (IOException | RuntimeException e) {
            spool.quarantinePayload(sink.name(), entry, "payload is not a valid event: " + e.getMessage());
            return;
        }
        int failures = 0;
        while (true) {
            try {
                sink.deliver(event);
                delivered.incrementAndGet();
                spool.advance(sink.name(), entry.seq());
                if (failures > 0) {
                    int n = failures;
                    LOG.info(() -> "sink [" + sink.name() + "]: delivered event " + event.id() + " after " + n
                            + " failed attempt(s)");
                }
                LOG.fine(() -> "sink [" + sink.name() + "]: delivered event " + event.id());
                return;
            } catch (DeliveryException e) {
                if (!e.retryable()) {
                    permanentlyFailed.incrementAndGet();
                    String line = "sink [" + sink.name() + "]: event " + describe(event)
                            + " not delivered and skipped (not retryable): " + e.getMessage();
                    if (e.logged()) {
                        LOG.fine(line);
                    } else {
                        LOG.severe(line);
                    }
                    spool.advance(sink.name(), entry.seq());
                    return;
                }
                failures++;
                failedAttempts.incrementAndGet();
                Duration wait = backoff.delay(failures, jitter.getAsDouble());
                LOG.warning("sink [" + sink.name() + "]: delivery of event " + describe(event) + " failed (attempt "
                        + failures + "), retrying in " + wait.toMillis() + " ms: " + e.getMessage());
            } catch (RuntimeException e) {
                // a sink bug must not kill the worker; treat like a retryable failure and say so loudly
                failures++;
                failedAttempts.incrementAndGet();
                LOG.log(Level.SEVERE, "sink [" + sink.name() + "]: unexpected error delivering event " + event.id(), e);
            }
            if (!pause(backoff.delay(failures, jitter.getAsDouble()))) {
                return;
            }
        }
    }

    private boolean pause(Duration d) {
        if (stop) {
            return false;
        }
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !stop;
    }

    static String describe(Event e) {
        StringBuilder b = new StringBuilder(e.id()).append(" (").append(e.type()).append(' ').append(e.host());
        if (e.port() != null) {
            b.append(' ').append(e.port()).append('/').append(e.family());
        } else if (e.type().isUsage()) {
            b.append(" usage/").append(e.family());
        }
        return b.append(' ').append(WireState.name(e.state())).append(')').toString();
    }
}
