package dev.dynport.probe.schedule;

import static dev.dynport.probe.TestSupport.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.acquire.AcquisitionException;
import dev.dynport.check.acquire.SnapshotSource;
import dev.dynport.check.judge.CheckOptions;
import dev.dynport.probe.TestSupport;
import dev.dynport.probe.TestSupport.RecordingPublisher;
import dev.dynport.probe.config.ConfigParser;
import dev.dynport.probe.config.TargetAccess;
import dev.dynport.probe.config.TargetConfig;
import dev.dynport.probe.event.EventType;
import dev.dynport.probe.health.HealthModel;
import dev.dynport.probe.ops.AgentMetrics;
import dev.dynport.probe.ops.PrometheusText;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The periodic schedule in real time, with short intervals; every wait is bounded. */
class ProbeSchedulerTest {
    private static TargetConfig target(String name, Duration interval) {
        return new TargetConfig(name, new TargetAccess.Local(), CheckOptions.defaults(), ConfigParser.DEFAULT_CHARSET,
                interval, Duration.ofMillis(10), Duration.ofSeconds(5));
    }

    private static SnapshotSource failing(CountDownLatch probes) {
        return timeout -> {
            probes.countDown();
            throw new AcquisitionException(AcquisitionException.Failure.CONNECTION_REFUSED, "refused");
        };
    }

    @Test
    void probesEachTargetRepeatedlyAndSendsHeartbeatsUntilStopped() throws Exception {
        CountDownLatch a = new CountDownLatch(3);
        CountDownLatch b = new CountDownLatch(3);
        RecordingPublisher published = new RecordingPublisher();
        HealthModel model = new HealthModel("probe-1", 1, Duration.ZERO, new TestSupport.MutableClock(T0));
        AgentMetrics metrics = new AgentMetrics(model, () -> true);
        Prober agent = new Prober(List.of(target("a", Duration.ofMillis(30)), target("b", Duration.ofMillis(30))),
                t -> failing(t.name().equals("a") ? a : b), model, published, metrics);
        ProbeScheduler scheduler = new ProbeScheduler(agent, 1, Duration.ofMillis(50), Duration.ofSeconds(1),
                new Random(7));
        try {
            scheduler.start();
            assertTrue(scheduler.running());
            assertTrue(a.await(10, TimeUnit.SECONDS), "target a probed 3 times");
            assertTrue(b.await(10, TimeUnit.SECONDS), "target b probed 3 times");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (published.ofType(EventType.HEARTBEAT).isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertFalse(published.ofType(EventType.HEARTBEAT).isEmpty(), "a heartbeat was sent");
        } finally {
            scheduler.stop(Duration.ofSeconds(5));
        }
        assertFalse(scheduler.running());
        assertEquals(2, published.ofType(EventType.PROBE_FAILED).size(), "one failure event per target");
    }

    @Test
    void aTargetNeverHasTwoProbesAtOnceAndSkippedTicksAreCounted() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SnapshotSource slow = timeout -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            throw new AcquisitionException(AcquisitionException.Failure.TIMEOUT, "slow");
        };
        HealthModel model = new HealthModel("probe-1", 1, Duration.ZERO, new TestSupport.MutableClock(T0));
        AgentMetrics metrics = new AgentMetrics(model, () -> true);
        Prober agent = new Prober(List.of(target("slow", Duration.ofMillis(10))), t -> slow, model,
                new RecordingPublisher(), metrics);
        ProbeScheduler scheduler = new ProbeScheduler(agent, 4, Duration.ZERO, Duration.ofSeconds(5), new Random(3));
        try {
            scheduler.start();
            assertTrue(started.await(10, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!PrometheusText.render(metrics.metrics()).contains("dynport_probes_skipped_total{target=\"slow\"} 3")
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            release.countDown();
        } finally {
            scheduler.stop(Duration.ofSeconds(5));
        }
        assertEquals(1, maxInFlight.get());
        assertTrue(PrometheusText.render(metrics.metrics()).matches("(?s).*dynport_probes_skipped_total\\{target=\"slow\"} [3-9].*"));
    }
}
