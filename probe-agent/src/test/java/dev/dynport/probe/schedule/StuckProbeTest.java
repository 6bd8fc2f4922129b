package dev.dynport.probe.schedule;

import static dev.dynport.probe.TestSupport.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.acquire.AcquisitionException;
import dev.dynport.check.acquire.SnapshotSource;
import dev.dynport.check.judge.CheckOptions;
import dev.dynport.probe.TestSupport;
import dev.dynport.probe.TestSupport.RecordingPublisher;
import dev.dynport.probe.config.ConfigParser;
import dev.dynport.probe.config.TargetAccess;
import dev.dynport.probe.config.TargetConfig;
import dev.dynport.probe.event.Event;
import dev.dynport.probe.event.EventType;
import dev.dynport.probe.health.HealthModel;
import dev.dynport.probe.ops.AgentMetrics;
import dev.dynport.probe.ops.PrometheusText;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Probes that never end: one spins in CPU without looking at interrupts (what a quadratic parser on a hostile line
 * does), one blocks ignoring interrupts. Waits are latches with generous hang guards, never timed assertions.
 */
class StuckProbeTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);

    /** Stuck sources for the test to set free at the end, so no thread outlives it burning CPU. */
    private volatile boolean release;
    private final CountDownLatch releaseLatch = new CountDownLatch(1);
    private final RecordingPublisher published = new RecordingPublisher();

    @AfterEach
    void setFree() {
        release = true;
        releaseLatch.countDown();
    }

    static TargetConfig target(String name, Duration interval, Duration timeout) {
        return new TargetConfig(name, new TargetAccess.Local(), CheckOptions.defaults(), ConfigParser.DEFAULT_CHARSET,
                interval, Duration.ofMillis(5), timeout);
    }

    /** Spins until the test ends; notes an interrupt but does not act on it. */
    SnapshotSource spinning(CountDownLatch started, CountDownLatch interrupted) {
        return timeout -> {
            started.countDown();
            long x = 0;
            while (!release) {
                x += System.identityHashCode(this) ^ x;
                if (Thread.currentThread().isInterrupted()) {
                    interrupted.countDown();
                }
            }
            throw new AcquisitionException(AcquisitionException.Failure.TIMEOUT, "spun " + (x & 1));
        };
    }

    /** Blocks until the test ends, swallowing interrupts (as a read a library retries would). */
    SnapshotSource blocking(CountDownLatch started, CountDownLatch interrupted) {
        return timeout -> {
            started.countDown();
            while (true) {
                try {
                    releaseLatch.await();
                    throw new AcquisitionException(AcquisitionException.Failure.TIMEOUT, "released");
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
            }
        };
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(HANG_GUARD.toSeconds(), TimeUnit.SECONDS), what);
    }

    private List<Event> failuresOf(String host) {
        return published.ofType(EventType.PROBE_FAILED).stream().filter(e -> e.host().equals(host)).toList();
    }

    private void awaitFailure(String host) {
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        while (failuresOf(host).isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    @Test
    void stuckProbesAreAbandonedWithAProbeFailedEventAndTheHealthyTargetKeepsItsSchedule() throws Exception {
        CountDownLatch stuckStarted = new CountDownLatch(2);
        CountDownLatch spinInterrupted = new CountDownLatch(1);
        CountDownLatch blockInterrupted = new CountDownLatch(1);
        CountDownLatch healthyAfterStuck = new CountDownLatch(3);
        SnapshotSource healthy = timeout -> {
            if (stuckStarted.getCount() == 0) {
                healthyAfterStuck.countDown();
            }
            throw new AcquisitionException(AcquisitionException.Failure.CONNECTION_REFUSED, "refused");
        };
        Duration stuckTimeout = Duration.ofMillis(100);
        List<TargetConfig> targets = List.of(target("spin", Duration.ofMillis(20), stuckTimeout),
                target("block", Duration.ofMillis(20), stuckTimeout),
                target("healthy", Duration.ofMillis(20), Duration.ofSeconds(5)));
        HealthModel model = new HealthModel("probe-1", 1, Duration.ZERO, new TestSupport.MutableClock(T0));
        AgentMetrics metrics = new AgentMetrics(model, () -> true);
        Prober agent = new Prober(targets, t -> switch (t.name()) {
            case "spin" -> spinning(stuckStarted, spinInterrupted);
            case "block" -> blocking(stuckStarted, blockInterrupted);
            default -> healthy;
        }, model, published, metrics);
        ProbeScheduler scheduler = new ProbeScheduler(agent, 2, Duration.ZERO, Duration.ofMillis(50), new Random(5));
        try {
            scheduler.start();
            await(stuckStarted, "both stuck probes started");
            await(healthyAfterStuck, "the healthy target is probed while both stuck probes run on");
            await(spinInterrupted, "the spinning probe's thread is interrupted");
            await(blockInterrupted, "the blocked probe's thread is interrupted");
            awaitFailure("spin");
            awaitFailure("block");
            for (String host : List.of("spin", "block")) {
                String summary = failuresOf(host).get(0).summary();
                assertEquals("cannot probe " + host + ": probe did not finish within its timeout 100ms (+50ms grace);"
                        + " abandoned", summary);
            }
            assertEquals(2, scheduler.abandonedRunning(), "both stuck threads run on, counted");
            assertTrue(PrometheusText.render(scheduler.metrics()).contains("dynport_probes_abandoned_total 2\n"),
                    PrometheusText.render(scheduler.metrics()));
        } finally {
            // Stuck threads hold no slot and are not waited for: a bound of an hour must not be used up.
            assertTimeoutPreemptively(HANG_GUARD, () -> scheduler.stop(Duration.ofHours(1)));
        }
    }

    @Test
    void aStuckProbeStillWithinItsTimeoutIsInterruptedAtShutdownAndNotReportedAsAFailure() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        SnapshotSource stopsWhenInterrupted = timeout -> {
            started.countDown();
            try {
                releaseLatch.await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw new AcquisitionException(AcquisitionException.Failure.TIMEOUT, "interrupted");
            }
            throw new AcquisitionException(AcquisitionException.Failure.TIMEOUT, "released");
        };
        HealthModel model = new HealthModel("probe-1", 1, Duration.ZERO, new TestSupport.MutableClock(T0));
        Prober agent = new Prober(List.of(target("slow", Duration.ofHours(1), Duration.ofHours(1))),
                t -> stopsWhenInterrupted, model, published, new AgentMetrics(model, () -> true));
        ProbeScheduler scheduler = new ProbeScheduler(agent, 1, Duration.ZERO, Duration.ofSeconds(5), new Random(5));
        scheduler.start();
        await(started, "probe started");
        assertTimeoutPreemptively(HANG_GUARD, () -> scheduler.stop(Duration.ofMillis(10)));
        await(interrupted, "the probe's thread is interrupted");
        assertEquals(List.of(), published.events(), "a probe cut short by shutdown is no probe failure");
    }
}
