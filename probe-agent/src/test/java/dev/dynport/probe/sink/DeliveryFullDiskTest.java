package dev.dynport.probe.sink;

import static dev.dynport.probe.sink.DeliveryPipelineTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dynport.probe.event.EventJson;
import dev.dynport.probe.ops.Metric;
import dev.dynport.probe.spool.FullDisk;
import dev.dynport.probe.spool.SpoolIo.Op;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline on a constructed full disk: nothing accepted is lost silently, health says so, it recovers. */
class DeliveryFullDiskTest {
    @TempDir
    Path dir;

    private final FullDisk disk = new FullDisk();
    private final DeliveryPipelineTest.MutableClock clock = new DeliveryPipelineTest.MutableClock();

    private DeliveryPipeline open(String spoolExtra, JsonNode sinks) throws Exception {
        return DeliveryPipeline.open(json("{'dir': '" + dir.resolve("spool") + "'" + spoolExtra + "}"), sinks,
                Map.of(), clock, null, () -> 0.5, disk);
    }

    private JsonNode jsonl() {
        return json("[{'type': 'jsonl', 'path': '" + dir.resolve("events.jsonl") + "'}]");
    }

    private List<String> delivered() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("events.jsonl"))) {
            out.add(EventJson.fromBytes(line.getBytes(StandardCharsets.UTF_8)).summary());
        }
        return out;
    }

    private static double metric(DeliveryPipeline p, String name) {
        return p.metrics().stream().filter(m -> m.name().equals(name)).mapToDouble(Metric::value).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name));
    }

    /** Records what the spool's intake logs, to check it says things once and without stack traces. */
    private static final class Captured extends Handler implements AutoCloseable {
        final List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());
        private final Logger logger = Logger.getLogger(SpoolIntake.class.getName());

        Captured() {
            logger.addHandler(this);
        }

        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.INFO.intValue()) {
                records.add(r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }

    @Test
    void eventsPublishedWhileTheSpoolCannotWriteAreHeldReportedAndWrittenInOrderWhenSpaceReturns() throws Exception {
        try (DeliveryPipeline p = open("", jsonl())) {
            disk.fail(Op.WRITE);
            for (int i = 0; i < 5; i++) {
                p.publish(TestEvents.numbered(i)); // accepted: not an exception per event
            }
            assertEquals(5, metric(p, "dynport_spool_held_events"));
            assertEquals(0, metric(p, "dynport_spool_writable"));
            assertEquals(0, metric(p, "dynport_spool_dropped_total"));
            assertEquals(Optional.of("spool cannot write: No space left on device (held=5 events, dropped=0, since"
                    + " 2026-11-28T03:00:00Z)"), p.healthProblem());
            p.retryWrites();
            assertEquals(5, metric(p, "dynport_spool_held_events"), "still full: still held");
            disk.heal();
            p.retryWrites();
            assertEquals(0, metric(p, "dynport_spool_held_events"));
            assertEquals(1, metric(p, "dynport_spool_writable"));
            assertEquals(Optional.empty(), p.healthProblem());
            p.start();
            assertTrue(p.awaitDrained(Duration.ofSeconds(10)));
        }
        assertEquals(DeliveryPipelineTest.expected(0, 5), delivered());
    }

    @Test
    void aFullHoldingAreaDropsTheOldestCountsThemAndSaysSoOncePerEpisode() throws Exception {
        try (Captured log = new Captured(); DeliveryPipeline p = open(", 'hold_max_events': 3", jsonl())) {
            disk.fail(Op.WRITE);
            for (int i = 0; i < 8; i++) {
                p.publish(TestEvents.numbered(i));
            }
            assertEquals(3, metric(p, "dynport_spool_held_events"));
            assertEquals(5, metric(p, "dynport_spool_dropped_total"));
            assertEquals(2, log.records.size(), "one line when it starts holding, one when it starts dropping");
            assertTrue(log.records.get(0).getMessage().startsWith("spool cannot write [" + dir.resolve("spool")
                    + "] (No space left on device): holding new events in memory (at most 3 events"),
                    log.records.get(0).getMessage());
            assertTrue(log.records.get(1).getMessage().contains("dropping the oldest held events from now on,"
                    + " counted in dynport_spool_dropped_total{reason=\"disk_full\"}"), log.records.get(1).getMessage());
            clock.advance(Duration.ofSeconds(20));
            disk.heal();
            p.publish(TestEvents.numbered(8));
            assertEquals("spool writable again after 20 s: 3 held event(s) written, 5 dropped while it could not"
                    + " write", log.records.get(2).getMessage());
            assertEquals(3, log.records.size());
            log.records.forEach(r -> assertNull(r.getThrown(), "no stack trace: " + r.getMessage()));
            p.start();
            assertTrue(p.awaitDrained(Duration.ofSeconds(10)));
        }
        assertEquals(List.of("event #5", "event #6", "event #7",
                "spool could not write for 20 s: 5 event(s) dropped (in-memory holding area full)", "event #8"),
                delivered());
    }

    @Test
    void holdingAreaLimitsAreValidatedWithTheBadValue() {
        dev.dynport.probe.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.dynport.probe.config.ConfigException.class, () -> PipelineSettings.parse(
                        json("{'dir': '" + dir + "', 'hold_max_events': 0, 'hold_max_bytes': 1000}"), jsonl(),
                        Map.of(), "Linux"));
        assertEquals(List.of("/spool/hold_max_events must be a whole number from 1 to 10000000 [0]",
                "/spool/hold_max_bytes must be a whole number from 1048576 to 1073741824 [1000]"),
                e.getMessage().lines().toList());
    }

    @Test
    void eventsStillHeldAtShutdownAreCountedAsDropped() throws Exception {
        DeliveryPipeline p = open("", jsonl());
        disk.fail(Op.WRITE);
        p.publish(TestEvents.numbered(0));
        p.publish(TestEvents.numbered(1));
        p.close();
        assertEquals(2, metric(p, "dynport_spool_dropped_total"));
        assertEquals(0, metric(p, "dynport_spool_held_events"));
    }

    @Test
    void cursorFilesThatCannotBeWrittenDoNotMakeTheReceiverSeeAnEventTwice() throws Exception {
        try (Receiver r = Receiver.http()) {
            JsonNode sinks = json("[{'type': 'webhook', 'url': '" + r.uri() + "/hook', 'retry_initial_ms': 5,"
                    + " 'retry_max_ms': 20}]");
            try (DeliveryPipeline p = open("", sinks)) {
                for (int i = 0; i < 3; i++) {
                    p.publish(TestEvents.numbered(i));
                }
                disk.fail(Op.CREATE, Op.WRITE, Op.FORCE, Op.RENAME);
                p.start();
                assertTrue(p.awaitDrained(Duration.ofSeconds(10)), "delivery does not freeze");
                assertEquals(3, r.requests.size());
                assertEquals(Optional.of("spool cannot save cursor files: No space left on device (sinks [webhook],"
                        + " since 2026-11-28T03:00:00Z)"), p.healthProblem());
                disk.heal();
                p.retryWrites();
                assertEquals(Optional.empty(), p.healthProblem());
            }
            assertEquals(3, r.requests.size(), "no event sent again");
        }
    }

    @Test
    void startsOnAFullDiskDeliversWhatWasSpooledAndRecoversByItselfWhenSpaceReturns() throws Exception {
        try (DeliveryPipeline p = open("", jsonl())) {
            p.publish(TestEvents.numbered(0));
            p.publish(TestEvents.numbered(1));
        }
        disk.failAll();
        try (DeliveryPipeline p = open("", jsonl())) {
            p.start();
            p.publish(TestEvents.numbered(2));
            assertTrue(p.healthProblem().isPresent());
            assertTrue(p.awaitDrained(Duration.ofSeconds(10)));
            assertEquals(DeliveryPipelineTest.expected(0, 2), delivered(), "what was spooled is delivered");
            disk.heal();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (p.healthProblem().isPresent() && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // the retry thread, not the test, writes the held event
            }
            assertEquals(Optional.empty(), p.healthProblem());
            assertTrue(p.awaitDrained(Duration.ofSeconds(10)));
        }
        assertEquals(DeliveryPipelineTest.expected(0, 3), delivered());
    }
}
