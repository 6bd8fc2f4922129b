package dev.dynport.probe.schedule;

import dev.dynport.check.judge.CheckResult;
import dev.dynport.probe.config.Durations;
import dev.dynport.probe.config.TargetConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import java.util.logging.Logger;

/**
 * Runs the probes: each target every {@code interval} plus a random share of its {@code jitter}, on a bounded pool
 * of {@code maxConcurrent} named threads ({@code dynport-probe-N}), with a heartbeat on the timer thread
 * ({@code dynport-scheduler-1}).
 *
 * <p>Per-probe budget: the check gets the target's {@code timeout} and keeps to it; a watchdog abandons a probe
 * that overruns it by {@code grace}, interrupts its thread and reports a probe failure. A target never has two
 * probes at once: a tick that finds the previous probe still running is skipped (counted), and counts as a
 * failed sample when that probe was already abandoned. Shutdown: stop intake (no new ticks), let running probes
 * finish within a bound, then interrupt.
 */
public final class ProbeScheduler implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ProbeScheduler.class.getName());
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    private final ProbeAgent agent;
    private final Duration heartbeat;
    private final Duration grace;
    private final RandomGenerator random;
    private final ThreadPoolExecutor pool;
    private final ScheduledThreadPoolExecutor timer;
    private final Map<String, ProbeRun> current = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean();

    /** @param heartbeat zero sends none */
    public ProbeScheduler(ProbeAgent agent, int maxConcurrent, Duration heartbeat, Duration grace,
            RandomGenerator random) {
        this.agent = agent;
        this.heartbeat = heartbeat;
        this.grace = grace;
        this.random = random;
        this.pool = new ThreadPoolExecutor(maxConcurrent, maxConcurrent, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new NamedThreads("dynport-probe"));
        this.pool.allowCoreThreadTimeOut(true);
        this.timer = new ScheduledThreadPoolExecutor(1, new NamedThreads("dynport-scheduler"));
        this.timer.setRemoveOnCancelPolicy(true);
    }

    /** One probe in flight: done once reported, by the probe itself or by the watchdog. */
    private final class ProbeRun {
        final TargetConfig target;
        final AtomicBoolean reported = new AtomicBoolean();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final CompletableFuture<Void> ended = new CompletableFuture<>();

        ProbeRun(TargetConfig target) {
            this.target = target;
        }

        void run() {
            long start = System.nanoTime();
            Thread worker = Thread.currentThread();
            Duration budget = target.timeout().plus(grace);
            ScheduledFuture<?> watchdog = null;
            try {
                watchdog = timer.schedule(NamedThreads.safely("watchdog " + target.name(), () -> {
                    if (reported.compareAndSet(false, true)) {
                        try {
                            agent.reportFailure(target, "probe did not finish within its timeout "
                                    + Durations.format(target.timeout()) + " (+" + Durations.format(grace)
                                    + " grace); abandoned", System.nanoTime() - start);
                        } finally {
                            done.complete(null);
                            worker.interrupt();
                        }
                    }
                }), budget.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // Shutting down: the probe still runs, within the shutdown bound.
            }
            try {
                CheckResult result = agent.check(target);
                if (reported.compareAndSet(false, true)) {
                    agent.report(target, result, System.nanoTime() - start);
                }
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                // A bug, not an expected failure: the trace goes to the log, the event carries one line.
                LOG.log(java.util.logging.Level.WARNING, "probe " + target.name() + " crashed", e);
                if (reported.compareAndSet(false, true)) {
                    agent.reportFailure(target, "probe crashed: " + e, System.nanoTime() - start);
                }
            } finally {
                if (watchdog != null) {
                    watchdog.cancel(false);
                }
                done.complete(null);
                ended.complete(null);
            }
        }
    }

    private ProbeRun submit(TargetConfig target) {
        ProbeRun run = new ProbeRun(target);
        current.put(target.name(), run);
        pool.execute(NamedThreads.safely("probe " + target.name(), run::run));
        return run;
    }

    /**
     * Probes every target once and returns when all are reported ({@code --once}). Bounded: a probe that could not
     * even start within the round's bound is reported as failed.
     */
    public void runOnce() {
        List<ProbeRun> runs = new ArrayList<>();
        long slowest = 0;
        for (TargetConfig t : agent.targets()) {
            runs.add(submit(t));
            slowest = Math.max(slowest, t.timeout().plus(grace).toMillis());
        }
        int waves = (runs.size() + pool.getMaximumPoolSize() - 1) / pool.getMaximumPoolSize();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(slowest * waves + 1000);
        for (ProbeRun r : runs) {
            try {
                r.done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (r.reported.compareAndSet(false, true)) {
                    agent.reportFailure(r.target, "probe did not run within the round's bound", -1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Starts the periodic schedule: first probes spread over each target's jitter. */
    public void start() {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        for (TargetConfig t : agent.targets()) {
            schedule(t, jitter(t));
        }
        if (!heartbeat.isZero()) {
            timer.scheduleAtFixedRate(NamedThreads.safely("heartbeat", agent::heartbeat), heartbeat.toMillis(),
                    heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        }
        LOG.info("scheduler started: " + agent.targets().size() + " targets, " + pool.getMaximumPoolSize()
                + " concurrent probes");
    }

    private long jitter(TargetConfig t) {
        long j = t.jitter().toMillis();
        return j <= 0 ? 0 : random.nextLong(j + 1);
    }

    private void schedule(TargetConfig t, long delayMillis) {
        try {
            timer.schedule(NamedThreads.safely("tick " + t.name(), () -> tick(t)), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Shutting down.
        }
    }

    private void tick(TargetConfig t) {
        if (!running.get()) {
            return;
        }
        try {
            ProbeRun previous = current.get(t.name());
            if (previous != null && !previous.ended.isDone()) {
                agent.metricsSkipped(t);
                if (previous.reported.get()) {
                    agent.reportFailure(t, "previous probe still running after its timeout; skipped", -1);
                }
            } else {
                submit(t);
            }
        } catch (RejectedExecutionException e) {
            return;
        } finally {
            if (running.get()) {
                schedule(t, t.interval().toMillis() + jitter(t));
            }
        }
    }

    public boolean running() {
        return running.get();
    }

    /** Stops intake, waits up to {@code bound} for running probes, then interrupts them. */
    public void stop(Duration bound) {
        running.set(false);
        timer.shutdownNow();
        pool.shutdown();
        try {
            if (!pool.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warning("probes still running after " + Durations.format(bound) + "; interrupting them");
                pool.shutdownNow();
                pool.awaitTermination(1, TimeUnit.SECONDS);
            }
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}
