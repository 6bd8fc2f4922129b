package dev.dynport.probe.sink;

import dev.dynport.probe.event.Event;
import dev.dynport.probe.event.EventIds;
import dev.dynport.probe.event.EventJson;
import dev.dynport.probe.event.EventType;
import dev.dynport.probe.spool.Spool;
import dev.dynport.probe.spool.SpoolWriteException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The write side of the pipeline: appends events to the spool and tells the sinks about losses with
 * EVENTS_DROPPED events (id {@value EventIds#EVENTS_DROPPED}).
 *
 * <p><b>While the spool cannot write</b> (disk full, I/O error) an event is not refused: it is held in memory, in
 * publish order, and every later event queues behind it. Each {@link #offer} and each {@link #retry} (the
 * pipeline calls it every second) first tries to write the held events; once they are all written the episode is
 * over. The holding area is bounded ({@code hold_max_events}, {@code hold_max_bytes}); when a new event does not
 * fit, the oldest held events are dropped and counted ({@code dynport_spool_dropped_total{reason="disk_full"}}).
 * One WARNING when an episode starts, one when it first drops, one when it ends; no stack traces. When an episode
 * with drops ends, an EVENTS_DROPPED event says how many. Held events are lost if the agent stops or crashes
 * before the spool can write them: at a clean stop they are counted as dropped and logged.
 */
final class SpoolIntake {
    private static final Logger LOG = Logger.getLogger(SpoolIntake.class.getName());
    /** How often at most an EVENTS_DROPPED event is spooled while the spool cap drops events. */
    static final Duration DROP_REPORT_INTERVAL = Duration.ofMinutes(1);

    private final Spool spool;
    private final List<String> sinks;
    private final long maxHeldEvents;
    private final long maxHeldBytes;
    private final Clock clock;

    private final ArrayDeque<byte[]> held = new ArrayDeque<>();
    private long heldBytes;
    private Instant heldSince;
    private String failure;
    private long droppedDiskFull;
    private long episodeDropped;
    private long episodeWritten;
    private String agent = "dynport-probe";
    /** Cap drops not yet reported by an EVENTS_DROPPED event, per sink. */
    private final Map<String, Long> unreportedDrops = new LinkedHashMap<>();
    private Instant lastDropReport;

    SpoolIntake(Spool spool, List<String> sinks, long maxHeldEvents, long maxHeldBytes, Clock clock) {
        this.spool = spool;
        this.sinks = List.copyOf(sinks);
        this.maxHeldEvents = maxHeldEvents;
        this.maxHeldBytes = maxHeldBytes;
        this.clock = clock;
    }

    /**
     * Writes the event to the spool, or holds it while the spool cannot write.
     *
     * @throws IOException only when the event is refused for good (too large) or the spool is closed
     */
    synchronized void offer(Event event) throws IOException {
        byte[] payload = EventJson.toBytes(event);
        spool.checkPayload(payload);
        agent = event.agent();
        if ((held.isEmpty() || flush()) && write(payload)) {
            LOG.fine(() -> "spooled event " + event.id());
            reportCapDrops();
            return;
        }
        hold(payload);
    }

    /** Tries to write the held events; true when none is held any more. */
    synchronized boolean retry() throws IOException {
        return held.isEmpty() || flush();
    }

    /** A last try at shutdown; what still cannot be written is lost, counted and logged. */
    synchronized void close() {
        try {
            if (retry()) {
                return;
            }
        } catch (IOException e) {
            failure = e.getMessage();
        }
        int lost = held.size();
        droppedDiskFull += lost;
        held.clear();
        heldBytes = 0;
        LOG.warning(() -> String.format(Locale.ROOT, "spool still cannot write at shutdown (%s): %d held event(s)"
                + " lost, counted in dynport_spool_dropped_total{reason=\"disk_full\"}", failure, lost));
    }

    synchronized int heldEvents() {
        return held.size();
    }

    synchronized long heldBytes() {
        return heldBytes;
    }

    synchronized long droppedDiskFull() {
        return droppedDiskFull;
    }

    /** {@code spool cannot write: No space left on device (held=12 events, dropped=0, since …)}, or empty. */
    synchronized Optional<String> problem() {
        if (held.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "spool cannot write: %s (held=%d events, dropped=%d, since %s)",
                failure, held.size(), episodeDropped, heldSince.truncatedTo(ChronoUnit.SECONDS)));
    }

    // ---------------------------------------------------------------- internals

    private boolean write(byte[] payload) throws IOException {
        Map<String, Long> before = droppedPerSink();
        try {
            spool.append(payload);
        } catch (SpoolWriteException e) {
            failure = e.reason();
            LOG.log(Level.FINE, "spool write failed", e);
            return false;
        }
        droppedPerSink().forEach((sink, n) -> {
            long d = n - before.getOrDefault(sink, 0L);
            if (d > 0) {
                unreportedDrops.merge(sink, d, Long::sum);
            }
        });
        return true;
    }

    private void hold(byte[] payload) {
        if (held.isEmpty()) {
            heldSince = clock.instant();
            episodeDropped = 0;
            episodeWritten = 0;
            LOG.warning(() -> String.format(Locale.ROOT, "spool cannot write [%s] (%s): holding new events in memory"
                    + " (at most %d events / %d bytes; beyond that the oldest held are dropped and counted) and"
                    + " retrying every second; /healthz reports it", spool.directory(), failure, maxHeldEvents,
                    maxHeldBytes));
        }
        while (!held.isEmpty() && (held.size() >= maxHeldEvents || heldBytes + payload.length > maxHeldBytes)) {
            heldBytes -= held.pollFirst().length;
            droppedDiskFull++;
            if (episodeDropped++ == 0) {
                LOG.warning(() -> String.format(Locale.ROOT, "spool still cannot write (%s) and the in-memory"
                        + " holding area is full (%d events / %d bytes): dropping the oldest held events from now on,"
                        + " counted in dynport_spool_dropped_total{reason=\"disk_full\"}", failure, maxHeldEvents,
                        maxHeldBytes));
            }
        }
        held.addLast(payload);
        heldBytes += payload.length;
    }

    private boolean flush() throws IOException {
        while (!held.isEmpty()) {
            if (!write(held.peekFirst())) {
                return false;
            }
            heldBytes -= held.pollFirst().length;
            episodeWritten++;
        }
        Instant now = clock.instant();
        long seconds = Duration.between(heldSince, now).toSeconds();
        long dropped = episodeDropped;
        long written = episodeWritten;
        LOG.log(dropped > 0 ? Level.WARNING : Level.INFO, () -> String.format(Locale.ROOT,
                "spool writable again after %d s: %d held event(s) written, %d dropped while it could not write",
                seconds, written, dropped));
        if (dropped > 0) {
            String summary = String.format(Locale.ROOT,
                    "spool could not write for %d s: %d event(s) dropped (in-memory holding area full)", seconds,
                    dropped);
            String details = summary + " between " + heldSince + " and " + now + "; " + written + " held event(s)"
                    + " were written late. Free space where the spool is, or raise spool.hold_max_events /"
                    + " spool.hold_max_bytes.";
            byte[] report = EventJson.toBytes(report(now, summary, details));
            if (!write(report)) {
                hold(report);
            }
        }
        return held.isEmpty();
    }

    private void reportCapDrops() throws IOException {
        Instant now = clock.instant();
        if (unreportedDrops.isEmpty()
                || lastDropReport != null && now.isBefore(lastDropReport.plus(DROP_REPORT_INTERVAL))) {
            return;
        }
        long total = unreportedDrops.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder per = new StringBuilder();
        unreportedDrops.forEach((sink, n) -> per.append(per.length() == 0 ? "" : ", ").append(sink).append('=')
                .append(n));
        String summary = "spool full: " + total + " undelivered event(s) dropped (" + per + ")";
        String details = summary + (lastDropReport == null ? "" : " since " + lastDropReport)
                + "; the oldest undelivered events of the slowest sinks are dropped first. Raise spool.max_records /"
                + " spool.max_bytes or fix the receiver.";
        Event report = report(now, summary, details);
        unreportedDrops.clear();
        lastDropReport = now;
        byte[] bytes = EventJson.toBytes(report);
        if (write(bytes)) { // the report itself may push one more out: told next time
            LOG.warning(() -> "spooled " + summary);
        } else {
            hold(bytes);
        }
    }

    private Event report(Instant now, String summary, String details) {
        return Event.eventsDropped(now, agent, summary, details);
    }

    private Map<String, Long> droppedPerSink() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String s : sinks) {
            m.put(s, spool.dropped(s));
        }
        return m;
    }
}
