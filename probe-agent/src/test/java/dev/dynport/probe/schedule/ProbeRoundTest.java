package dev.dynport.probe.schedule;

import static dev.dynport.probe.TestSupport.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.acquire.SnapshotSource;
import dev.dynport.probe.TestSupport;
import dev.dynport.probe.TestSupport.MutableClock;
import dev.dynport.probe.TestSupport.RecordingPublisher;
import dev.dynport.probe.config.TargetConfig;
import dev.dynport.probe.event.Event;
import dev.dynport.probe.event.EventType;
import dev.dynport.check.model.State;
import dev.dynport.probe.health.HealthModel;
import dev.dynport.probe.ops.AgentMetrics;
import dev.dynport.probe.ops.PrometheusText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rounds of probes ({@code --once} style) against snapshot files that the test swaps between rounds. */
class ProbeRoundTest {
    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(T0);
    private final RecordingPublisher published = new RecordingPublisher();
    private HealthModel model;
    private AgentMetrics metrics;
    private ProbeScheduler scheduler;

    private void agent(int samples, SnapshotSourceFactory sources, Duration grace, TargetConfig... targets) {
        model = new HealthModel("probe-1", samples, Duration.ofHours(1), clock);
        metrics = new AgentMetrics(model, () -> false);
        Prober agent = new Prober(List.of(targets), sources, model, published, metrics);
        scheduler = new ProbeScheduler(agent, 2, Duration.ZERO, grace, new Random(1));
    }

    private void agent(int samples, TargetConfig... targets) {
        agent(samples, new DefaultSourceFactory("Linux"), Duration.ofSeconds(5), targets);
    }

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    private List<Event> round() {
        scheduler.runOnce();
        clock.advance(Duration.ofMinutes(1));
        return published.drain();
    }

    @Test
    void swappedSnapshotsDriveConfirmedStateChanges() throws Exception {
        Path file = dir.resolve("exch01.snapshot");
        TestSupport.install("exchange-protected", file);
        agent(2, TestSupport.snapshotTarget("exch01", file));
        assertEquals(List.of(), round());
        List<Event> initial = round();
        assertEquals(8, initial.size(), "the confirmed initial Healthy states are told");
        assertTrue(initial.stream().allMatch(x -> x.state() == State.OK && x.previousState() == null));
        TestSupport.install("exchange-foreign-holder", file);
        assertEquals(List.of(), round(), "one sample does not confirm");
        List<Event> changed = round();
        assertEquals(4, changed.size());
        Event e = changed.stream().filter(x -> x.port() == 9955 && x.family().equals("ipv4")).findFirst().orElseThrow();
        assertEquals(State.OK, e.previousState());
        assertEquals(State.CRITICAL, e.state());
        assertEquals(T0.plus(Duration.ofMinutes(3)), e.time());
        assertEquals(List.of(), round(), "a confirmed state is not repeated before the re-notification interval");
    }

    @Test
    void aMissingSnapshotIsAProbeFailureUntilTheFileComesBack() throws Exception {
        Path file = dir.resolve("lab.snapshot");
        agent(1, TestSupport.snapshotTarget("lab", file));
        List<Event> failed = round();
        assertEquals(1, failed.size());
        assertEquals(EventType.PROBE_FAILED, failed.get(0).type());
        assertEquals("cannot probe lab: cannot read snapshot [" + file + "]: no such file", failed.get(0).summary());
        assertEquals(List.of(), round(), "still failing: no repeat");

        TestSupport.install("exchange-exposed", file);
        List<Event> back = round();
        assertEquals(EventType.PROBE_RECOVERED, back.get(0).type());
        assertEquals(8, back.stream().filter(x -> x.type() == EventType.PORT_STATE_CHANGED).count(),
                "the ports' first states follow the recovery, the Healthy ones included");

        Files.delete(file);
        Files.createDirectory(file);
        List<Event> unreadable = round();
        assertEquals("cannot probe lab: cannot read snapshot [" + file + "]: is a directory",
                unreadable.get(0).summary());
        assertTrue(model.portStates().stream().allMatch(p -> p.state() != State.UNKNOWN),
                "ports keep their last state while the probe fails");

        String page = PrometheusText.render(metrics.metrics());
        assertTrue(page.contains("dynport_probes_total{target=\"lab\"} 4\n"), page);
        assertTrue(page.contains("dynport_probe_failures_total{target=\"lab\"} 3\n"), page);
        assertTrue(page.contains("dynport_target_up{target=\"lab\"} 0\n"), page);
        assertTrue(page.contains("dynport_port_state{family=\"ipv4\",host=\"lab\",label=\"POP3 back-end\",port=\"9955\"} 1\n"),
                page);
        assertTrue(page.contains("dynport_events_emitted_total{type=\"PROBE_FAILED\"} 2\n"), page);
    }

    @Test
    void aFileThatIsNotASnapshotIsAProbeFailure() throws Exception {
        Path file = Files.writeString(dir.resolve("junk.snapshot"), "'netsh' is not recognized as an internal command\r\n");
        agent(1, TestSupport.snapshotTarget("junk", file));
        Event e = round().get(0);
        assertEquals(EventType.PROBE_FAILED, e.type());
        assertTrue(e.summary().startsWith("cannot probe junk: not a dynport snapshot"), e.summary());
    }

    @Test
    void aProbeThatOverrunsItsBudgetIsAbandonedAndReportedAsFailed() {
        SnapshotSource hangs = timeout -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("interrupted");
        };
        TargetConfig t = new TargetConfig("slow", new dev.dynport.probe.config.TargetAccess.Local(),
                dev.dynport.check.judge.CheckOptions.defaults(), dev.dynport.probe.config.ConfigParser.DEFAULT_CHARSET,
                Duration.ofSeconds(60), Duration.ZERO, Duration.ofMillis(100));
        agent(1, target -> hangs, Duration.ofMillis(100), t);
        long start = System.nanoTime();
        List<Event> events = round();
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "the round ends by itself");
        assertEquals(1, events.size());
        assertEquals("cannot probe slow: probe did not finish within its timeout 100ms (+100ms grace); abandoned",
                events.get(0).summary());
    }

    @Test
    void aCrashingSourceIsAProbeFailureNotACrashedAgent() {
        TargetConfig t = TestSupport.snapshotTarget("boom", dir.resolve("x"));
        agent(1, target -> timeout -> {
            throw new IllegalStateException("bug in a transport");
        }, Duration.ofSeconds(5), t);
        Event e = round().get(0);
        assertEquals(EventType.PROBE_FAILED, e.type());
        assertEquals("cannot probe boom: probe crashed: java.lang.IllegalStateException: bug in a transport", e.summary());
    }

    @Test
    void anSshTargetThatRefusesConnectionsIsAProbeFailureThroughTheRealTransport() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        Files.writeString(dir.resolve("kh"), "");
        TargetConfig t = new TargetConfig("exch01", new dev.dynport.probe.config.TargetAccess.Ssh("127.0.0.1",
                closedPort, "svc", null, null, dev.dynport.probe.config.SecretRef.ofValue("test", "pw-Secr3t-x".toCharArray()),
                dir.resolve("kh"), false, dev.dynport.check.model.Platform.WINDOWS), dev.dynport.check.judge.CheckOptions.defaults(),
                dev.dynport.probe.config.ConfigParser.DEFAULT_CHARSET, Duration.ofSeconds(60), Duration.ZERO,
                Duration.ofSeconds(5));
        agent(1, t);
        Event e = round().get(0);
        assertEquals(EventType.PROBE_FAILED, e.type());
        assertTrue(e.details().startsWith("failure: CONNECTION_REFUSED"), e.details());
        assertTrue(e.summary().startsWith("cannot probe exch01: "), e.summary());
        assertFalse((e.summary() + e.details()).contains("Secr3t"), "no secret in the event");
    }

    @Test
    void localTargetsOffWindowsAndLinuxFailAsUnsupportedPlatform() {
        TargetConfig t = new TargetConfig("me", new dev.dynport.probe.config.TargetAccess.Local(),
                dev.dynport.check.judge.CheckOptions.defaults(), dev.dynport.probe.config.ConfigParser.DEFAULT_CHARSET,
                Duration.ofSeconds(60), Duration.ZERO, Duration.ofSeconds(5));
        // Linux reads its own kernel now (UsageAndLinuxProbeTest); another OS has no local capture
        agent(1, new DefaultSourceFactory("Mac OS X"), Duration.ofSeconds(5), t);
        Event e = round().get(0);
        assertEquals(EventType.PROBE_FAILED, e.type());
        assertTrue(e.details().startsWith("failure: UNSUPPORTED_PLATFORM"), e.details());
    }

    @Test
    void theEventLogLineNamesStatesAsEventsDo() {
        Event e = Event.port(T0, "probe-a", "exch01", 9955, "POP3 back-end", "ipv4", EventType.PORT_STATE_CHANGED,
                State.OK, State.CRITICAL, List.of(), "fine", "fine", List.of(), List.of(), List.of());
        assertTrue(Prober.logLine(e).startsWith("event 100 PORT_STATE_CHANGED exch01 9955/ipv4 HEALTHY (was CRITICAL) id="),
                Prober.logLine(e));
    }
}
