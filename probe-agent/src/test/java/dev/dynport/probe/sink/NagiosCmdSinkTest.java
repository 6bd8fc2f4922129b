package dev.dynport.probe.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.probe.TestSupport.MutableClock;
import dev.dynport.check.model.State;
import dev.dynport.probe.event.EventType;
import dev.dynport.probe.event.Event;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NagiosCmdSinkTest {
    private static final long EPOCH = TestEvents.T0.getEpochSecond();

    @TempDir
    Path dir;

    private Path fifo() throws Exception {
        Path f = dir.resolve("nagios.cmd");
        Process p = new ProcessBuilder("mkfifo", f.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo failed");
        return f;
    }

    /** A Nagios stand-in: opens the FIFO for reading once and returns what one writer wrote before closing. */
    private static CompletableFuture<String> reader(Path fifo) {
        return CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A generous open timeout: the reader thread may start late on a busy machine. */
    private Sink sink(Path file, String extra) throws Exception {
        return TestSinks.build("{'type': 'nagios-cmd', 'path': '" + file + "'" + extra + "}", Map.of());
    }

    @Test
    void writesProcessServiceCheckResultLinesToTheFifo() throws Exception {
        Path f = fifo();
        Sink s = sink(f, "");
        CompletableFuture<String> got = reader(f);
        s.deliver(TestEvents.port("ex01", 9955, "ipv4", State.CRITICAL, null, "TCP 9955 exposed | see below"));
        assertEquals("[" + EPOCH + "] PROCESS_SERVICE_CHECK_RESULT;ex01;dynport-9955-ipv4;2;TCP 9955 exposed / see below"
                + "|'9955/ipv4 in_dynamic'=1;;1;0;1\\nTCP 9955 exposed / see below\\nsecond line of details\n",
                got.get(10, TimeUnit.SECONDS));
        s.close();
    }

    @Test
    void probeFailureSendsUnknownForEveryPortServiceSeenOnThatHost() throws Exception {
        Path f = fifo();
        Sink s = sink(f, ", 'service_template': 'Port {port} {family}', 'host_template': '{host}.corp'");
        CompletableFuture<String> first = reader(f);
        s.deliver(TestEvents.port("ex01", 9955, "ipv4", State.OK, null, "ok"));
        first.get(10, TimeUnit.SECONDS);
        CompletableFuture<String> second = reader(f);
        s.deliver(TestEvents.port("ex01", 1993, "ipv6", State.WARNING, null, "w"));
        second.get(10, TimeUnit.SECONDS);
        CompletableFuture<String> third = reader(f);
        s.deliver(TestEvents.probeFailed("ex01", "host; unreachable\nafter 3 tries"));
        List<String> lines = third.get(10, TimeUnit.SECONDS).lines().toList();
        assertEquals(List.of(
                "[" + EPOCH + "] PROCESS_SERVICE_CHECK_RESULT;ex01.corp;Port 1993 ipv6;3;UNKNOWN: probe of ex01 failed:"
                        + " host; unreachable\\nafter 3 tries",
                "[" + EPOCH + "] PROCESS_SERVICE_CHECK_RESULT;ex01.corp;Port 9955 ipv4;3;UNKNOWN: probe of ex01 failed:"
                        + " host; unreachable\\nafter 3 tries"), lines);
        s.close();
    }

    @Test
    void perHostModeWritesOneResultForTheHost() throws Exception {
        Path f = fifo();
        Sink s = sink(f, ", 'mode': 'per-host'");
        CompletableFuture<String> got = reader(f);
        s.deliver(TestEvents.port("ex;01", 9955, "ipv4", State.WARNING, null, "w"));
        String line = got.get(10, TimeUnit.SECONDS);
        assertTrue(line.startsWith("[" + EPOCH + "] PROCESS_SERVICE_CHECK_RESULT;ex_01;dynport;1;WARNING: 1 of 1 watched"
                + " port(s) not healthy; worst 9955/ipv4: w|'9955/ipv4 in_dynamic'=1;;1;0;1\\nWARNING 9955/ipv4: w\n"),
                line);
        s.close();
    }

    @Test
    void fifoNobodyReadsTimesOutRetryablyAndTheNextDeliveryWorks() throws Exception {
        Path f = fifo();
        Sink s = sink(f, ", 'open_timeout_ms': 300");
        long t0 = System.nanoTime();
        DeliveryException e = assertThrows(DeliveryException.class,
                () -> s.deliver(TestEvents.port("ex01", 9955, "ipv4", State.CRITICAL, null, "x")));
        assertTrue(e.retryable());
        assertTrue(e.getMessage().startsWith("nagios-cmd: nobody reads the command file [" + f + "] (open timed out after"
                + " 300 ms)"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
        CompletableFuture<String> got = reader(f);
        s.deliver(TestEvents.port("ex01", 9955, "ipv4", State.CRITICAL, null, "x"));
        assertTrue(got.get(10, TimeUnit.SECONDS).contains(";dynport-9955-ipv4;2;x|"));
        s.close();
    }

    @Test
    void missingCommandFileIsRetryable() throws Exception {
        Sink s = sink(dir.resolve("absent.cmd"), "");
        DeliveryException e = assertThrows(DeliveryException.class,
                () -> s.deliver(TestEvents.port("ex01", 9955, "ipv4", State.CRITICAL, null, "x")));
        assertTrue(e.retryable());
        assertTrue(e.getMessage().contains("command file does not exist"), e.getMessage());
        s.close();
    }

    @Test
    void aHeartbeatBeforeAnyServiceIsKnownWritesNothing() throws Exception {
        Sink s = sink(dir.resolve("absent.cmd"), "");
        s.deliver(TestEvents.heartbeat()); // would fail if it tried to open the missing file
        s.close();
    }

    /** Delivers {@code e} to {@code s} with a reader on the FIFO and returns the lines written. */
    private static List<String> written(Sink s, Path f, dev.dynport.probe.event.Event e) throws Exception {
        CompletableFuture<String> got = reader(f);
        s.deliver(e);
        return got.get(10, TimeUnit.SECONDS).lines().toList();
    }

    @Test
    void aHeartbeatResubmitsTheLastResultOfEveryServiceSeenOnceStampedWithTheCurrentTime() throws Exception {
        Path f = fifo();
        MutableClock clock = new MutableClock(TestEvents.T0);
        Sink s = TestSinks.build("{'type': 'nagios-cmd', 'path': '" + f + "'}", Map.of(), clock);
        written(s, f, TestEvents.port("ex01", 9955, "ipv4", State.CRITICAL, null, "9955 exposed"));
        written(s, f, TestEvents.port("ex01", 1993, "ipv6", State.OK, null, "1993 fine"));
        written(s, f, TestEvents.port("ex02", 9955, "ipv4", State.WARNING, null, "ex02 9955 exposed"));
        written(s, f, TestEvents.port("ex01", 9955, "ipv4", State.OK, State.CRITICAL, "9955 excluded"));
        clock.advance(Duration.ofMinutes(5));
        long now = EPOCH + 300;
        List<String> beat = written(s, f, TestEvents.heartbeat());
        assertEquals(List.of(
                "[" + now + "] PROCESS_SERVICE_CHECK_RESULT;ex01;dynport-1993-ipv6;0;1993 fine"
                        + "|'1993/ipv6 in_dynamic'=1;;1;0;1\\n1993 fine\\nsecond line of details",
                "[" + now + "] PROCESS_SERVICE_CHECK_RESULT;ex01;dynport-9955-ipv4;0;9955 excluded"
                        + "|'9955/ipv4 in_dynamic'=1;;1;0;1\\n9955 excluded\\nsecond line of details",
                "[" + now + "] PROCESS_SERVICE_CHECK_RESULT;ex02;dynport-9955-ipv4;1;ex02 9955 exposed"
                        + "|'9955/ipv4 in_dynamic'=1;;1;0;1\\nex02 9955 exposed\\nsecond line of details"), beat,
                "one line per known service, the latest state of each");
        clock.advance(Duration.ofMinutes(5));
        assertEquals(3, written(s, f, TestEvents.heartbeat()).size(), "bounded: the next heartbeat is the same size");
        s.close();
    }

    @Test
    void aHeartbeatKeepsAFailedProbeUnknownUntilTheProbeRecovers() throws Exception {
        Path f = fifo();
        Sink s = sink(f, "");
        written(s, f, TestEvents.port("ex01", 9955, "ipv4", State.OK, null, "ok"));
        written(s, f, TestEvents.probeFailed("ex01", "ssh: connection refused"));
        List<String> failing = written(s, f, TestEvents.heartbeat());
        assertEquals(1, failing.size());
        assertTrue(failing.get(0).contains(";ex01;dynport-9955-ipv4;3;UNKNOWN: probe of ex01 failed: ssh: connection"
                + " refused"), failing.get(0));
        written(s, f, TestEvents.probeRecovered("ex01"));
        List<String> back = written(s, f, TestEvents.heartbeat());
        assertEquals(1, back.size());
        assertTrue(back.get(0).contains(";ex01;dynport-9955-ipv4;0;ok|"), back.get(0));
        s.close();
    }

    @Test
    void perHostResultCarriesTheProbesPerfdataOnceNotOncePerPort() throws Exception {
        Path f = fifo();
        Sink s = sink(f, ", 'mode': 'per-host'");
        // Every event of one probe carries the probe's whole perfdata: two ports, the same items twice.
        for (int port : new int[] {9933, 9955}) {
            written(s, f, Event.port(TestEvents.T0, "probe-a", "ex01", port, "back-end", "ipv4",
                    EventType.PORT_STATE_CHANGED, State.WARNING, null, List.of("EXPOSED"), port + " exposed",
                    port + " exposed", List.of(), List.of("watched=2", "exposed=2", "'odd label'=1"), List.of()));
        }
        List<String> beat = written(s, f, TestEvents.heartbeat());
        assertEquals(1, beat.size(), beat.toString());
        assertTrue(beat.get(0).contains("|watched=2 exposed=2 'odd label'=1\\n"), beat.get(0));
        s.close();
    }

    @Test
    void perHostModeHeartbeatResubmitsOneSummaryPerHost() throws Exception {
        Path f = fifo();
        Sink s = sink(f, ", 'mode': 'per-host'");
        written(s, f, TestEvents.port("ex01", 9955, "ipv4", State.WARNING, null, "w"));
        written(s, f, TestEvents.port("ex01", 1993, "ipv4", State.OK, null, "fine"));
        written(s, f, TestEvents.port("ex02", 1993, "ipv4", State.OK, null, "fine"));
        List<String> beat = written(s, f, TestEvents.heartbeat());
        assertEquals(2, beat.size(), beat.toString());
        assertTrue(beat.get(0).contains(";ex01;dynport;1;WARNING: 1 of 2 watched port(s) not healthy"), beat.get(0));
        assertTrue(beat.get(1).contains(";ex02;dynport;0;OK: 0 of 1 watched port(s) not healthy"), beat.get(1));
        assertTrue(beat.get(1).contains("\\nOK 1993/ipv4: fine"), "a port line says OK as the head does: " + beat.get(1));
        s.close();
    }

    @Test
    void templatesWithSemicolonsAreRejected() {
        assertEquals("/sinks/0/service_template must not contain ; \" or line breaks [a;b]",
                TestSinks.configError("{'type': 'nagios-cmd', 'path': '/x', 'service_template': 'a;b'}", Map.of()));
    }
}
