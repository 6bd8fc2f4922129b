package dev.dynport.probe.schedule;

import static dev.dynport.probe.TestSupport.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.acquire.LinuxLocalSource;
import dev.dynport.check.acquire.LocalCommandSource;
import dev.dynport.check.model.State;
import dev.dynport.probe.TestSupport;
import dev.dynport.probe.TestSupport.MutableClock;
import dev.dynport.probe.TestSupport.RecordingPublisher;
import dev.dynport.probe.config.AgentConfig;
import dev.dynport.probe.config.ConfigParser;
import dev.dynport.probe.config.TargetConfig;
import dev.dynport.probe.event.Event;
import dev.dynport.probe.event.EventJson;
import dev.dynport.probe.event.EventType;
import dev.dynport.probe.health.HealthModel;
import dev.dynport.probe.ops.AgentMetrics;
import dev.dynport.probe.ops.PrometheusText;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Targets configured as a user writes them (JSON through the config parser) and probed with the check's code: usage
 * thresholds turn the check's {@code DynamicUsage} into usage events, and a Linux snapshot is judged on its ports.
 */
class UsageAndLinuxProbeTest {
    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(T0);
    private final RecordingPublisher published = new RecordingPublisher();
    private HealthModel model;
    private AgentMetrics metrics;
    private ProbeScheduler scheduler;

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    private void agent(String targetJson) throws Exception {
        AgentConfig c = ConfigParser.parse(ConfigParser.readTree("{\"agent_name\": \"probe-1\", \"targets\": ["
                + targetJson + "]}", "test.json"), Map.of(), dir, (f, s, k) -> () -> "", "Linux");
        model = new HealthModel("probe-1", 1, Duration.ofHours(1), clock);
        metrics = new AgentMetrics(model, () -> false);
        Prober prober = new Prober(c.targets(), new DefaultSourceFactory("Linux"), model, published, metrics);
        scheduler = new ProbeScheduler(prober, 2, Duration.ZERO, Duration.ofSeconds(5), new Random(1));
    }

    private List<Event> round() {
        scheduler.runOnce();
        clock.advance(Duration.ofMinutes(1));
        return published.drain();
    }

    private static List<Event> ofType(List<Event> events, EventType... types) {
        List<EventType> wanted = List.of(types);
        return events.stream().filter(e -> wanted.contains(e.type())).toList();
    }

    private static String json(String path) {
        return path.replace("\\", "\\\\");
    }

    @Test
    void usageOverAThresholdIsAUsageEventWithItsOwnIdAndRecovers() throws Exception {
        // ipv4: 16 of 59527 dynamic ports in use, ipv6: 2 of 59528 (constructed with a known count)
        Path file = dir.resolve("edge01.snapshot");
        TestSupport.install("usage-known-count", file);
        agent("{\"type\": \"snapshot\", \"file\": \"" + json(file.toString()) + "\", \"profile\": \"none\","
                + " \"usage_warning\": \"10\", \"usage_critical\": \"15\"}");
        List<Event> first = round();
        assertEquals(first, ofType(first, EventType.USAGE_STATE_CHANGED), "a usage-only target: usage events only");
        assertEquals(2, first.size(), first.toString());
        Event v4 = first.stream().filter(e -> e.family().equals("ipv4")).findFirst().orElseThrow();
        assertEquals(State.CRITICAL, v4.state());
        assertNull(v4.previousState());
        assertEquals(602, v4.eventId());
        assertNull(v4.port());
        assertEquals("dynamic port usage", v4.portLabel());
        assertEquals(List.of("DYNAMIC_USAGE"), v4.findingCodes());
        assertEquals("ipv4 dynamic ports 16 of 59527 in use (0.0%), critical range 15", v4.summary(),
                "the check's own status-line words");
        assertEquals("ipv4 range 6005-65534 (59530 ports), 3 excluded, 59527 available, 16 in use", v4.details());
        assertEquals("EdgeTransport.exe PID 6100 10 ports", v4.evidence().get(0));
        assertTrue(v4.perfdata().contains("ipv4_dynamic_used=16;10;15;0;59527"), v4.perfdata().toString());
        Event v6 = first.stream().filter(e -> e.family().equals("ipv6")).findFirst().orElseThrow();
        assertEquals(State.OK, v6.state());
        assertEquals(600, v6.eventId());
        assertEquals("ipv6 dynamic ports 2 of 59528 in use (0.0%), within warning range 10 and critical range 15",
                v6.summary());
        assertTrue(new String(EventJson.toBytes(v4), java.nio.charset.StandardCharsets.UTF_8)
                .contains("\"type\":\"USAGE_STATE_CHANGED\",\"event_id\":602,\"state\":\"CRITICAL\""));
        assertTrue(PrometheusText.render(metrics.metrics())
                .contains("dynport_usage_state{family=\"ipv4\",host=\"edge01\"} 2"));

        assertEquals(List.of(), round(), "no change, no event before the re-notification interval");
        clock.advance(Duration.ofHours(1));
        List<Event> again = round();
        assertEquals(1, again.size(), again.toString());
        assertEquals(EventType.USAGE_RENOTIFY, again.get(0).type());
        assertEquals(602, again.get(0).eventId());

        // the capture job writes a host whose ports are back to normal: the usage recovers
        TestSupport.install("exchange-protected", file);
        List<Event> recovered = round();
        Event back = recovered.stream().filter(e -> e.family().equals("ipv4")).findFirst().orElseThrow();
        assertEquals(EventType.USAGE_STATE_CHANGED, back.type());
        assertEquals(State.OK, back.state());
        assertEquals(State.CRITICAL, back.previousState());
        assertEquals(600, back.eventId());
    }

    @Test
    void withoutThresholdsUsageMakesNoEvents() throws Exception {
        Path file = dir.resolve("edge01.snapshot");
        TestSupport.install("usage-known-count", file);
        agent("{\"type\": \"snapshot\", \"file\": \"" + json(file.toString()) + "\"}");
        List<Event> first = round();
        assertTrue(!first.isEmpty() && ofType(first, EventType.USAGE_STATE_CHANGED).isEmpty(), first.toString());
    }

    @Test
    void aLinuxSnapshotTargetIsJudgedOnItsPorts() throws Exception {
        // real capture: python3 listening on 40000 inside ip_local_port_range 32768-60999, nothing reserved
        Path file = dir.resolve("vm.snapshot");
        try (InputStream in = getClass().getResourceAsStream("/snapshots/linux-netns-exposed-debian12.snapshot")) {
            Files.write(file, in.readAllBytes());
        }
        agent("{\"type\": \"snapshot\", \"file\": \"" + json(file.toString()) + "\","
                + " \"ports\": [{\"port\": 40000, \"label\": \"app\", \"owners\": [\"python3\"]}],"
                + " \"usage_warning\": \"4\"}");
        List<Event> first = round();
        Event port = ofType(first, EventType.PORT_STATE_CHANGED).stream()
                .filter(e -> e.port() == 40000 && e.family().equals("ipv4")).findFirst().orElseThrow();
        assertEquals(State.WARNING, port.state());
        assertEquals(List.of("EXPOSED"), port.findingCodes());
        assertEquals("40000/tcp app (ipv4) is inside net.ipv4.ip_local_port_range 32768-60999 and not in"
                + " net.ipv4.ip_local_reserved_ports", port.summary());
        assertTrue(port.remediation().stream().anyMatch(r -> r.contains("sysctl -w")), port.remediation().toString());
        assertTrue(port.evidence().stream().anyMatch(e -> e.startsWith("python3 PID 15344") && e.contains("(owner)")),
                port.evidence().toString());
        Event usage = ofType(first, EventType.USAGE_STATE_CHANGED).stream()
                .filter(e -> e.family().equals("ipv4")).findFirst().orElseThrow();
        assertEquals(State.WARNING, usage.state(), usage.summary());
    }

    @Test
    void aLocalTargetOnLinuxReadsTheKernelAsTheCheckDoes() {
        TargetConfig local = new TargetConfig("here", new dev.dynport.probe.config.TargetAccess.Local(),
                dev.dynport.check.judge.CheckOptions.defaults(), ConfigParser.DEFAULT_CHARSET,
                Duration.ofSeconds(60), Duration.ZERO, Duration.ofSeconds(5));
        assertTrue(new DefaultSourceFactory("Linux").create(local) instanceof LinuxLocalSource);
        assertTrue(new DefaultSourceFactory("Windows Server 2022").create(local) instanceof LocalCommandSource);
        assertTrue(new DefaultSourceFactory("Mac OS X").create(local) instanceof LocalCommandSource,
                "fails every probe with UNSUPPORTED_PLATFORM, as before");
    }
}
