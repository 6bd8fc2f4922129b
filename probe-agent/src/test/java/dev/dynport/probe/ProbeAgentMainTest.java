package dev.dynport.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dynport.probe.config.DeliverySettings;
import dev.dynport.probe.config.FieldReader;
import dev.dynport.probe.config.RawDelivery;
import dev.dynport.probe.event.Event;
import dev.dynport.probe.event.EventJson;
import dev.dynport.probe.event.EventType;
import dev.dynport.probe.schedule.DefaultSourceFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, black-box: arguments and captured streams in, exit code and output lines out. */
class ProbeAgentMainTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Stands in for the delivery pipeline: each event as one JSON line on the given stream, like a jsonl sink. */
    private static DeliveryFactory jsonLines(PrintStream to, String sinksError) {
        return new DeliveryFactory() {
            @Override
            public DeliverySettings read(FieldReader fields, JsonNode spool, JsonNode sinks) {
                if (sinksError != null) {
                    fields.error(sinksError);
                }
                return RawDelivery.READER.read(fields, spool, sinks);
            }

            @Override
            public Delivery open(DeliverySettings settings, Clock clock) {
                return Delivery.of(e -> to.println(EventJson.toJson(e)), List::of, () -> { }, to::flush);
            }
        };
    }

    private int run(Map<String, String> env, String sinksError, String... args) {
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        return ProbeAgentMain.run(args, o, new PrintStream(err, true, StandardCharsets.UTF_8), env,
                new ProbeAgentService.Wiring(jsonLines(o, sinksError), new DefaultSourceFactory("Linux"), Clock.systemUTC(), new Random(1)));
    }

    private int run(String... args) {
        return run(Map.of(), null, args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path config(String json) throws Exception {
        return Files.writeString(dir.resolve("probe.json"), json);
    }

    private List<Event> events() {
        return out().lines().map(l -> {
            try {
                return EventJson.fromBytes(l.getBytes(StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                throw new AssertionError(l, e);
            }
        }).toList();
    }

    @Test
    void onceProbesEveryTargetDeliversTheEventsAndExitsZero() throws Exception {
        TestSupport.install("exchange-foreign-holder", dir.resolve("exch01.snapshot"));
        TestSupport.install("exchange-exposed", dir.resolve("exch02.snapshot"));
        Path cfg = config("""
                {"agent_name": "cron-probe", "consecutive_samples": 3, "targets": [
                  {"type": "snapshot", "file": "%s"},
                  {"type": "snapshot", "file": "%s"}
                ]}
                """.formatted(dir.resolve("exch01.snapshot"), dir.resolve("exch02.snapshot")));
        assertEquals(0, run("--config", cfg.toString(), "--once"), err());
        List<Event> events = events();
        assertEquals(16, events.stream().filter(e -> e.type() == EventType.PORT_STATE_CHANGED).count(),
                "--once confirms with one sample whatever consecutive_samples says (8 monitors per host)");
        assertEquals(0, events.stream().filter(e -> e.type() == EventType.PROBE_FAILED).count());
        assertTrue(events.stream().allMatch(e -> e.agent().equals("cron-probe")));
        assertEquals(16, err().lines().filter(l -> l.contains(" INFO event ")).count(), "one log line per event");
        assertTrue(err().lines().anyMatch(l -> l.matches(
                "\\S+Z INFO event 102 PORT_STATE_CHANGED exch01 9955/ipv4 CRITICAL \\(was none\\) id=\\S+: 9955/tcp POP3.*")),
                err());
        assertFalse(err().contains("could not be probed"), err());
    }

    @Test
    void onceExitsTwoNamingTheTargetsThatCouldNotBeProbedAfterDeliveringEveryEvent() throws Exception {
        TestSupport.install("exchange-foreign-holder", dir.resolve("exch01.snapshot"));
        Path cfg = config("""
                {"agent_name": "cron-probe", "targets": [
                  {"type": "snapshot", "file": "%s"},
                  {"type": "snapshot", "file": "%s"}
                ]}
                """.formatted(dir.resolve("exch01.snapshot"), dir.resolve("missing.snapshot")));
        assertEquals(2, run("--config", cfg.toString(), "--once"), err());
        List<Event> events = events();
        assertEquals(8, events.stream().filter(e -> e.type() == EventType.PORT_STATE_CHANGED).count(),
                "the probe that worked is delivered in full (4 unhealthy + 4 Healthy)");
        assertEquals(List.of("missing"), events.stream().filter(e -> e.type() == EventType.PROBE_FAILED)
                .map(Event::host).toList());
        List<String> lines = err().lines().toList();
        assertTrue(lines.get(lines.size() - 1).matches(
                "\\S+Z WARNING 1 of 2 targets could not be probed: \\[missing\\]"), err());
    }

    @Test
    void aTargetWithNoProbeStateCountsAsNotProbed() throws Exception {
        Path cfg = config("""
                {"agent_name": "a", "targets": [{"type": "snapshot", "file": "/x/a.snapshot"},
                  {"type": "snapshot", "file": "/x/b.snapshot"}, {"type": "snapshot", "file": "/x/c.snapshot"}]}
                """);
        var config = ProbeAgentMain.loadConfig(cfg, Map.of(), jsonLines(System.out, null));
        assertEquals(List.of("b", "c"), ProbeAgentMain.notProbed(config,
                Map.of("a", dev.dynport.check.model.State.OK, "b", dev.dynport.check.model.State.UNKNOWN)));
    }

    @Test
    void validateConfigPrintsOkAndAMaskedSummary() throws Exception {
        Files.writeString(dir.resolve("kh"), "");
        Path cfg = config("""
                {"agent_name": "a", "targets": [{"type": "ssh", "hostname": "exch01", "user": "svc",
                  "password": {"env": "PW"}, "known_hosts": "%s"}]}
                """.formatted(dir.resolve("kh")));
        assertEquals(0, run(Map.of("PW", "hunter2"), null, "--config", cfg.toString(), "--validate-config"));
        assertEquals("config OK", out().lines().findFirst().orElseThrow());
        assertTrue(out().contains("exch01: ssh svc@exch01:22 password=<masked from env PW>"), out());
        assertFalse(out().contains("hunter2"));
        assertEquals("", err());
    }

    @Test
    void everyConfigErrorIsOneLineOnStderrWithExitThree() throws Exception {
        Path cfg = config("""
                {"agent_name": "a", "targets": [{"type": "snapshot", "file": "/x", "interval": "abc"}],
                 "sinks": [{"type": "webhook", "url": "ftp://x"}]}
                """);
        assertEquals(3, run(Map.of(), "/sinks/0/url must be an absolute http or https URL [ftp://x]",
                "--config", cfg.toString()));
        assertEquals(List.of(
                "dynport-probe: /targets/0/interval must be a duration like 60s or 5m [abc]",
                "dynport-probe: /sinks/0/url must be an absolute http or https URL [ftp://x]"), err().lines().toList());
        assertEquals("", out());
    }

    @Test
    void hostileSecretsAreConfigErrorsOfOneLineEachWithoutAStackTrace() throws Exception {
        Files.writeString(dir.resolve("kh"), "");
        Path cfg = config("""
                {"agent_name": "a", "targets": [
                  {"type": "ssh", "hostname": "exch01", "user": "svc", "password": {"file": "/dev/zero"},
                   "known_hosts": "%1$s"},
                  {"type": "ssh", "hostname": "exch02", "user": "svc", "password": {"env": "PW", "fiel": "/x"},
                   "known_hosts": "%1$s"}]}
                """.formatted(dir.resolve("kh")));
        assertEquals(3, run(Map.of("PW", "hunter2"), null, "--config", cfg.toString(), "--validate-config"));
        assertEquals(List.of(
                "dynport-probe: /targets/0/password/file is not a regular file (a FIFO, device or socket) [/dev/zero]",
                "dynport-probe: /targets/1/password/fiel is not a field of a secret; use {\"file\": PATH} or"
                        + " {\"env\": NAME} [fiel]"), err().lines().toList());
        assertEquals("", out());
    }

    @Test
    void abbreviatedOptionIsRefusedNotGuessed() {
        Path cfg = dir.resolve("nope.json");
        assertEquals(3, run("--conf", cfg.toString()));
        assertEquals("dynport-probe: [--conf] is not an option of dynport-probe; options are not abbreviated:"
                + " --config? (see --help)", err().strip());
        err.reset();
        assertEquals(3, run("--config", cfg.toString(), "--val"));
        assertEquals("dynport-probe: [--val] is not an option of dynport-probe; options are not abbreviated:"
                + " --validate-config? (see --help)", err().strip());
    }

    @Test
    void configGivenTwiceIsRefusedNotResolvedByPosition() {
        assertEquals(3, run("--config", "a.json", "--config", "b.json"));
        assertEquals("dynport-probe: --config is given 2 times [a.json] [b.json]: give it once (see --help)",
                err().strip());
    }

    @Test
    void badArgumentsAreOneLineWithExitThree() {
        assertEquals(3, run("--config"));
        assertEquals("dynport-probe: --config needs a value: --config FILE (see --help)", err().strip());
        err.reset();
        assertEquals(3, run("--bogus"));
        assertEquals("dynport-probe: [--bogus] is not an option of dynport-probe (see --help)", err().strip());
        err.reset();
        assertEquals(3, run("--once"));
        assertEquals("dynport-probe: missing --config FILE (see --help)", err().strip());
        err.reset();
        assertEquals(3, run("--config", dir.resolve("nope.json").toString()));
        assertEquals("dynport-probe: config file does not exist [" + dir.resolve("nope.json") + "]", err().strip());
    }

    @Test
    void helpPrintsUsageAndExitsZero() {
        assertEquals(0, run("--help"));
        assertTrue(out().startsWith("usage: dynport-probe --config FILE [--validate-config] [--once]"), out());
    }

    @Test
    void versionPrintsTheProjectVersionAndExitsZero() {
        assertEquals(0, run("-V"));
        assertTrue(out().matches("dynport-probe \\d+\\.\\d+\\.\\d+.*\\n"), out());
        out.reset();
        assertEquals(0, run("--version"));
        assertTrue(out().startsWith("dynport-probe "), out());
        assertEquals("", err());
    }
}
