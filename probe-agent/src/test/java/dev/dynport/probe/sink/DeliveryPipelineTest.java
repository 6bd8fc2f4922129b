package dev.dynport.probe.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynport.probe.config.ConfigException;
import dev.dynport.probe.event.Event;
import dev.dynport.probe.event.EventJson;
import dev.dynport.probe.ops.Metric;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliveryPipelineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(TestEvents.T0, ZoneOffset.UTC);

    @TempDir
    Path dir;

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private JsonNode spool(String extra) {
        return json("{'dir': '" + dir.resolve("spool") + "'" + extra + "}");
    }

    private static double metric(List<Metric> ms, String name, String sink) {
        return ms.stream().filter(m -> m.name().equals(name) && (sink == null || sink.equals(m.labels().get("sink"))))
                .mapToDouble(Metric::value).findFirst().orElseThrow(() -> new AssertionError("no metric " + name));
    }

    private static List<String> summaries(Receiver r) throws IOException {
        List<String> out = new ArrayList<>();
        for (Receiver.Request q : r.requests) {
            out.add(EventJson.fromBytes(q.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)).summary());
        }
        return out;
    }

    static List<String> expected(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add("event #" + i);
        }
        return out;
    }

    @Test
    void validateReportsEveryErrorWithPathAndBadValueOnePerLine() {
        JsonNode sinks = json("[{'type': 'webhook', 'url': 'ftp://x'},"
                + " {'type': 'carrier-pigeon'},"
                + " {'type': 'jsonl', 'path': '-', 'colour': 'red'},"
                + " {'type': 'pagerduty', 'routing_key': {'env': 'PD_KEY'}, 'retry_initial_ms': 0},"
                + " {'type': 'syslog', 'protocol': 'sctp', 'port': 70000}]");
        ConfigException e = assertThrows(ConfigException.class,
                () -> PipelineSettings.parse(json("{'max_records': -1}"), sinks, Map.of(), "Linux"));
        List<String> lines = e.getMessage().lines().toList();
        assertEquals(List.of(
                "/spool/dir is required",
                "/spool/max_records must be a whole number from 1 to 100000000 [-1]",
                "/sinks/0/url must be an absolute http(s) URL [ftp://x]",
                "/sinks/1/type must be one of icinga2, jsonl, nagios-cmd, pagerduty, syslog, webhook, windows-eventlog"
                        + " [carrier-pigeon]",
                "/sinks/2/colour is not a known field [colour]; known: name, path, retry_initial_ms, retry_max_ms, type",
                "/sinks/3/retry_initial_ms must be a whole number from 1 to 3600000 [0]",
                "/sinks/3/routing_key/env names an unset or empty environment variable [PD_KEY]",
                "/sinks/4/port must be a whole number from 1 to 65535 [70000]",
                "/sinks/4/protocol must be one of tcp, udp [sctp]"), lines);
    }

    @Test
    void aJsonNullIsRefusedLikeAnyWrongValueAndNeverReadAsTheDefault() {
        JsonNode sinks = json("[{'type': 'jsonl', 'path': '-', 'name': null, 'retry_max_ms': null},"
                + " {'type': 'webhook', 'url': 'https://x.example/', 'ca_file': null}]");
        ConfigException e = assertThrows(ConfigException.class,
                () -> PipelineSettings.parse(spool(", 'max_bytes': null"), sinks, Map.of(), "Linux"));
        assertEquals(List.of(
                "/spool/max_bytes must be a whole number from 4096 to 1099511627776 [null]",
                "/sinks/0/name must be a non-empty string [null]",
                "/sinks/0/retry_max_ms must be a whole number from 1 to 86400000 [null]",
                "/sinks/1/ca_file must be a non-empty string [null]"), e.getMessage().lines().toList());
    }

    @Test
    void missingSpoolAndSinksSectionsAreNamed() {
        JsonNode root = json("{}");
        ConfigException e = assertThrows(ConfigException.class,
                () -> PipelineSettings.parse(root.path("spool"), root.path("sinks"), Map.of(), "Linux"));
        assertEquals(List.of("/spool must be an object with at least \"dir\" [missing]",
                "/sinks must be a non-empty array of sink objects [missing]"), e.getMessage().lines().toList());
    }

    @Test
    void duplicateSinkNamesAreRejectedBecauseTheyNameCursorFiles() {
        JsonNode sinks = json("[{'type': 'jsonl', 'path': '-'}, {'type': 'jsonl', 'path': '-'},"
                + " {'type': 'jsonl', 'name': '../x', 'path': '-'}]");
        ConfigException e = assertThrows(ConfigException.class,
                () -> PipelineSettings.parse(spool(""), sinks, Map.of(), "Linux"));
        assertEquals(List.of(
                "/sinks/1/name is used by another sink; give each sink of a type its own name [jsonl]",
                "/sinks/2/name must be 1-64 characters of A-Z a-z 0-9 . _ - (it names the cursor file) [../x]"),
                e.getMessage().lines().toList());
    }

    @Test
    void spoolDirThatIsAFileIsAConfigError() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        ConfigException e = assertThrows(ConfigException.class, () -> PipelineSettings.parse(
                json("{'dir': '" + file + "'}"), json("[{'type': 'jsonl', 'path': '-'}]"), Map.of(), "Linux"));
        assertEquals("/spool/dir is not a writable directory [" + file + "]", e.getMessage());
    }

    @Test
    void windowsEventLogSinkIsAConfigErrorOnLinuxNamingTheTypeField() {
        JsonNode sinks = json("[{'type': 'jsonl', 'path': '-'}, {'type': 'windows-eventlog'}]");
        ConfigException e = assertThrows(ConfigException.class,
                () -> PipelineSettings.parse(spool(""), sinks, Map.of()));
        assertTrue(e.getMessage().startsWith("/sinks/1/type windows-eventlog is only available on Windows"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("[" + System.getProperty("os.name") + "]"), e.getMessage());
    }

    @Test
    void validConfigPassesValidation() throws ConfigException {
        PipelineSettings.parse(spool(", 'max_bytes': 1048576, 'flush_timeout_ms': 0"),
                json("[{'type': 'jsonl', 'path': '-'}, {'type': 'webhook', 'name': 'noc', 'url': 'https://noc.example/x',"
                        + " 'hmac_secret': {'env': 'S'}}, {'type': 'windows-eventlog'}]"),
                Map.of("S", "k"), "Windows Server 2022");
    }

    @Test
    void receiverDownForAWhileThenBackLosesNothingAndKeepsOrder() throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        try (Receiver r = Receiver.http()) {
            r.respond(q -> down.get() ? new Receiver.Reply(503, "maintenance") : new Receiver.Reply(204, ""));
            JsonNode sinks = json("[{'type': 'webhook', 'url': '" + r.uri() + "/hook', 'retry_initial_ms': 5,"
                    + " 'retry_max_ms': 20}]");
            try (DeliveryPipeline p = DeliveryPipeline.open(spool(""), sinks, Map.of(), CLOCK)) {
                p.start();
                for (int i = 0; i < 30; i++) {
                    p.publish(TestEvents.numbered(i));
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (metric(p.metrics(), "dynport_delivery_failed_attempts_total", "webhook") < 5
                        && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertEquals(30, p.depth("webhook"), "nothing is lost or skipped while the receiver is down");
                down.set(false);
                assertTrue(p.awaitDrained(Duration.ofSeconds(10)));
                List<Metric> m = p.metrics();
                assertEquals(30, metric(m, "dynport_events_delivered_total", "webhook"));
                assertEquals(0, metric(m, "dynport_spool_depth_events", "webhook"));
                assertEquals(0, metric(m, "dynport_events_failed_total", "webhook"));
            }
            List<String> delivered = new ArrayList<>();
            for (int i = 0; i < r.requests.size(); i++) {
                Receiver.Request q = r.requests.get(i);
                delivered.add(EventJson.fromBytes(q.body().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .summary());
            }
            List<String> accepted = delivered.subList(delivered.size() - 30, delivered.size());
            assertEquals(expected(0, 30), accepted, "after the outage every event arrives once more, in order");
        }
    }

    @Test
    void nonRetryableRejectionIsCountedLoggedAndSkippedWithoutRetry() throws Exception {
        try (Receiver r = Receiver.http()) {
            r.respond(q -> q.body().contains("event #1\"") ? new Receiver.Reply(400, "{\"error\":\"bad\"}")
                    : new Receiver.Reply(200, "ok"));
            List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
            JsonNode sinks = json("[{'type': 'webhook', 'url': '" + r.uri() + "/hook'}]");
            try (DeliveryPipeline p = DeliveryPipeline.open(spool(""), sinks, Map.of(), CLOCK, sleeps::add,
                    () -> 0.5)) {
                p.start();
                for (int i = 0; i < 3; i++) {
                    p.publish(TestEvents.numbered(i));
                }
                assertTrue(p.awaitDrained(Duration.ofSeconds(10)));
                List<Metric> m = p.metrics();
                assertEquals(2, metric(m, "dynport_events_delivered_total", "webhook"));
                assertEquals(1, metric(m, "dynport_events_failed_total", "webhook"));
                assertEquals(0, metric(m, "dynport_delivery_failed_attempts_total", "webhook"));
            }
            assertEquals(3, r.requests.size(), "the 400 was not retried");
            assertEquals(List.of(), sleeps);
            assertEquals(expected(0, 3), summaries(r));
        }
    }

    @Test
    void retryableFailureBacksOffExponentiallyWithInjectedSleeper() throws Exception {
        try (Receiver r = Receiver.http()) {
            int[] calls = {0};
            r.respond(q -> ++calls[0] <= 4 ? new Receiver.Reply(503, "busy") : new Receiver.Reply(200, "ok"));
            List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
            JsonNode sinks = json("[{'type': 'webhook', 'url': '" + r.uri() + "/hook', 'retry_initial_ms': 1000,"
                    + " 'retry_max_ms': 5000}]");
            try (DeliveryPipeline p = DeliveryPipeline.open(spool(""), sinks, Map.of(), CLOCK, sleeps::add,
                    () -> 1.0)) {
                p.start();
                p.publish(TestEvents.numbered(0));
                assertTrue(p.awaitDrained(Duration.ofSeconds(10)));
                assertEquals(4, metric(p.metrics(), "dynport_delivery_failed_attempts_total", "webhook"));
            }
            assertEquals(List.of(Duration.ofMillis(1000), Duration.ofMillis(2000), Duration.ofMillis(4000),
                    Duration.ofMillis(5000)), sleeps);
            assertEquals(5, r.requests.size());
        }
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile java.time.Instant now = TestEvents.T0;

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    @Test
    void spoolCapDropsAreCountedPerSinkAndReportedAsAnEventAtMostOncePerMinute() throws Exception {
        Path file = dir.resolve("events.jsonl");
        MutableClock clock = new MutableClock();
        JsonNode sinks = json("[{'type': 'jsonl', 'path': '" + file + "'}]");
        try (DeliveryPipeline p = DeliveryPipeline.open(spool(", 'max_records': 10"), sinks, Map.of(), clock, null,
                () -> 0.5)) {
            for (int i = 0; i < 25; i++) {
                p.publish(TestEvents.numbered(i)); // not started: nothing is consumed
            }
            List<Metric> m = p.metrics();
            // #10 drops #0; the drop report spooled after it drops #1; #11..#24 drop one each
            assertEquals(16, metric(m, "dynport_events_dropped_total", "jsonl"));
            assertEquals(10, metric(m, "dynport_spool_depth_events", "jsonl"));
            assertEquals(26, metric(m, "dynport_events_spooled_total", null), "one report within the minute");
            clock.advance(Duration.ofMinutes(1));
            p.publish(TestEvents.numbered(25));
            p.start();
            assertTrue(p.awaitDrained(Duration.ofSeconds(10)));
        }
        List<Event> got = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            got.add(EventJson.fromBytes(line.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        List<String> summaries = got.stream().map(Event::summary).toList();
        assertEquals(List.of("event #17", "event #18", "event #19", "event #20", "event #21", "event #22",
                "event #23", "event #24", "event #25", "spool full: 16 undelivered event(s) dropped (jsonl=16)"),
                summaries, "the newest events are kept; the second report counts every drop since the first");
        Event report = got.get(9);
        assertEquals(dev.dynport.probe.event.EventType.EVENTS_DROPPED, report.type());
        assertEquals(500, report.eventId());
        assertEquals("probe-a", report.host());
    }

    @Test
    void corruptSpoolFileIsQuarantinedAndTheRestIsDelivered() throws Exception {
        try (Receiver r = Receiver.http()) {
            JsonNode sinks = json("[{'type': 'webhook', 'url': '" + r.uri() + "/hook'}]");
            try (DeliveryPipeline p = DeliveryPipeline.open(spool(""), sinks, Map.of(), CLOCK)) {
                for (int i = 0; i < 5; i++) {
                    p.publish(TestEvents.numbered(i));
                }
            }
            Path seg;
            try (Stream<Path> s = Files.list(dir.resolve("spool").resolve("segments"))) {
                seg = s.filter(f -> Files.isRegularFile(f)).findFirst().orElseThrow();
            }
            byte[] b = Files.readAllBytes(seg);
            b[b.length / 2] ^= 0x01; // inside a middle record
            Files.write(seg, b);
            try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
                f.setLength(f.length() - 3); // and a torn tail
            }
            try (DeliveryPipeline p = DeliveryPipeline.open(spool(""), sinks, Map.of(), CLOCK)) {
                p.start();
                p.publish(TestEvents.numbered(5));
                assertTrue(p.awaitDrained(Duration.ofSeconds(10)));
                assertEquals(2, metric(p.metrics(), "dynport_spool_quarantined_total", null));
            }
            assertEquals(List.of("event #0", "event #1", "event #3", "event #5"), summaries(r));
        }
    }

    @Test
    void closeStopsIntakeAndLeavesUndeliveredEventsForTheNextStart() throws Exception {
        try (Receiver r = Receiver.http()) {
            r.respond(q -> new Receiver.Reply(503, "down"));
            JsonNode sinks = json("[{'type': 'webhook', 'url': '" + r.uri() + "/hook', 'retry_initial_ms': 5,"
                    + " 'retry_max_ms': 10}]");
            DeliveryPipeline p = DeliveryPipeline.open(spool(", 'flush_timeout_ms': 200"), sinks, Map.of(), CLOCK);
            p.start();
            p.publish(TestEvents.numbered(0));
            long t0 = System.nanoTime();
            p.close();
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(3).toNanos(), "close is bounded");
            IOException e = assertThrows(IOException.class, () -> p.publish(TestEvents.numbered(1)));
            assertTrue(e.getMessage().startsWith("delivery pipeline is closing; event ["), e.getMessage());
            r.respond(q -> new Receiver.Reply(200, "ok"));
            int before = r.requests.size();
            try (DeliveryPipeline again = DeliveryPipeline.open(spool(""), sinks, Map.of(), CLOCK)) {
                assertEquals(1, again.depth("webhook"));
                again.start();
                assertTrue(again.awaitDrained(Duration.ofSeconds(10)));
            }
            assertEquals("event #0", summaries(r).get(r.requests.size() - 1));
            assertTrue(r.requests.size() > before);
        }
    }

    @Test
    void everySinkGetsEveryEventFromItsOwnCursor() throws Exception {
        Path file = dir.resolve("events.jsonl");
        try (Receiver r = Receiver.http()) {
            r.respond(q -> new Receiver.Reply(503, "down"));
            JsonNode sinks = json("[{'type': 'jsonl', 'path': '" + file + "'}, {'type': 'webhook', 'url': '"
                    + r.uri() + "', 'retry_initial_ms': 5, 'retry_max_ms': 10}]");
            try (DeliveryPipeline p = DeliveryPipeline.open(spool(", 'flush_timeout_ms': 0"), sinks, Map.of(), CLOCK)) {
                p.start();
                for (int i = 0; i < 3; i++) {
                    p.publish(TestEvents.numbered(i));
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (p.depth("jsonl") > 0 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertEquals(0, p.depth("jsonl"), "a dead webhook does not hold back the jsonl sink");
                assertEquals(3, p.depth("webhook"));
                assertFalse(p.awaitDrained(Duration.ofMillis(50)));
            }
            List<String> lines = Files.readAllLines(file);
            assertEquals(3, lines.size());
            Event first = EventJson.fromBytes(lines.get(0).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals("event #0", first.summary());
        }
    }
}
