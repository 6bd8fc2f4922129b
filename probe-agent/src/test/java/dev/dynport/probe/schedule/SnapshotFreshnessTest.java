package dev.dynport.probe.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dynport.check.judge.CheckOptions;
import dev.dynport.check.judge.CheckResult;
import dev.dynport.check.judge.Freshness;
import dev.dynport.check.model.State;
import dev.dynport.probe.TestSupport;
import dev.dynport.probe.config.ConfigParser;
import dev.dynport.probe.config.TargetAccess;
import dev.dynport.probe.config.TargetConfig;
import dev.dynport.probe.health.HealthModel;
import dev.dynport.probe.ops.AgentMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot target's max_age and expect_host reach the judge: a stale or foreign file is UNKNOWN, not OK. */
class SnapshotFreshnessTest {
    @TempDir
    Path dir;

    private CheckResult probe(Freshness freshness, Instant now) throws Exception {
        Path file = dir.resolve("exch01-constructed.snapshot");
        Files.write(file, ("#@section capture-info\r\nEXCH01\r\n2024-05-02T14:03:07+02:00\r\n"
                + "Microsoft Windows NT 10.0.17763.0\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Files.write(file, TestSupport.fixture("exchange-protected"), java.nio.file.StandardOpenOption.APPEND);
        TargetConfig target = new TargetConfig("exch01", new TargetAccess.SnapshotFile(file, freshness),
                CheckOptions.defaults(), ConfigParser.DEFAULT_CHARSET, Duration.ofSeconds(60), Duration.ZERO,
                Duration.ofSeconds(5));
        HealthModel model = new HealthModel("probe-1", 1, Duration.ofHours(1), Clock.systemUTC());
        Prober agent = new Prober(List.of(target), new DefaultSourceFactory("Linux"), model,
                new TestSupport.RecordingPublisher(), new AgentMetrics(model, () -> false));
        agent.clock(Clock.fixed(now, ZoneOffset.UTC));
        return agent.check(target);
    }

    @Test
    void staleOrForeignSnapshotIsUnknownAndAFreshOneFromTheRightHostIsOk() throws Exception {
        Instant captured = Instant.parse("2024-05-02T12:03:07Z");
        Freshness policy = new Freshness(Duration.ofHours(26), "exch01");

        assertEquals(State.OK, probe(policy, captured.plus(Duration.ofHours(2))).state());
        CheckResult stale = probe(policy, captured.plus(Duration.ofDays(3)));
        assertEquals(State.UNKNOWN, stale.state());
        assertEquals("snapshot is stale: captured 2024-05-02T12:03:07Z, 3d ago, more than the allowed 1d 2h",
                stale.problems().get(0));
        assertEquals(State.UNKNOWN, probe(new Freshness(null, "exch02"), captured).state());
    }
}
