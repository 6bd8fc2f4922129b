package dev.dynport.probe.schedule;

import dev.dynport.check.util.NamedThreads;
import dev.dynport.probe.config.Durations;
import dev.dynport.probe.config.TargetConfig;
import dev.dynport.probe.ops.Metric;
import dev.dynport.probe.ops.MetricSource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * Runs the probes: each target every {@code interval} plus a random share of its {@code jitter}, at most
 * {@code maxConcurrent} at a time on named daemon threads ({@code dynport-probe-N}), with a heartbeat on the timer
 * thread ({@code dynport-scheduler-1}).
 *
 * <p>Slots, not threads, bound the work: a probe takes one of {@code maxConcurrent} slots when it starts and gives
 * it back when it ends, or when it is abandoned. Per-probe budget: the check gets the target's {@code timeout} and
 * keeps to it; a watchdog abandons a probe that overruns it by {@code grace}: it reports a probe failure naming
 * the timeout at once, frees the slot for the other targets, and interrupts the thread (acquisition ends on
 * interrupt; a thread stuck in CPU work cannot be stopped from outside and runs on without a slot). A target never
 * has two probes at once: a tick that finds the previous probe still running is skipped (counted), and counts as
 * a failed sample when that probe was already abandoned. So the threads are at most {@code maxConcurrent} plus
 * one abandoned thread per target, and the abandoned ones are counted ({@code dynport_probes_abandoned_running}).
 *
 * <p>Shutdown: stop intake (no new ticks, queued probes dropped), let probes that still hold a slot finish within
 * a bound, then interrupt them; abandoned probes are not waited for. Probe threads are daemon threads, so a stuck
 * one never keeps the process alive.
 */
public final class ProbeScheduler implements AutoCloseable, MetricSource {
    private static final Logger LOG = Logger.getLogger(ProbeScheduler.class.getName());
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
    /** After a shutdown interrupt: enough for SSH and local commands to close their sessions and processes. */
    private static final Duration INTERRUPT_SETTLE = Duration.ofSeconds(1);

    private final Prober prober;
    private final int maxConcurrent;
    private final Duration heartbeat;
    private final Duration grace;
    private final RandomGenerator random;
    private final ThreadPoolExecutor threads;
    private final ScheduledThreadPoolExecutor timer;
    private final Map<String, ProbeRun> current = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Object slots = new Object();
    private final ArrayDeque<ProbeRun> waiting = new ArrayDeque<>();
    private int busy;
    private boolean accepting = true;
    private final AtomicInteger abandonedRunning = new AtomicInteger();
    private final AtomicLong abandonedTotal = new AtomicLong();

    /** @param heartbeat zero sends none */
    public ProbeScheduler(Prober prober, int maxConcurrent, Duration heartbeat, Duration grace,
            RandomGenerator random) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1 [" + maxConcurrent + "]");
        }
        this.prober = prober;
        this.maxConcurrent = maxConcurrent;
        this.heartbeat = heartbeat;
        this.grace = grace;
        this.random = random;
        // Unbounded on purpose: the slots bound the probes that count, and an abandoned thread must not hold one.
        this.threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                NamedThreads.numbered("dynport-probe"));
        this.timer = new ScheduledThreadPoolExecutor(1, NamedThreads.numbered("dynport-scheduler"));
        this.timer.setRemoveOnCancelPolicy(true);
    }

    private ProbeRun submit(TargetConfig target) {
        ProbeRun run = new ProbeRun(target, prober, this);
        current.put(target.name(), run);
        boolean accepted;
        synchronized (slots) {
            accepted = accepting;
            if (accepted) {
                waiting.add(run);
            }
        }
        if (accepted) {
            dispatch();
        } else {
            run.drop();
        }
        return run;
    }

    /** Starts waiting probes while slots are free. */
    private void dispatch() {
        while (true) {
            ProbeRun next;
            synchronized (slots) {
                if (!accepting || busy >= maxConcurrent || waiting.isEmpty()) {
                    return;
                }
                next = waiting.poll();
                busy++;
                next.holdsSlot.set(true);
            }
            try {
                threads.execute(SafeTask.safely("probe " + next.target.name(), next::run));
            } catch (RejectedExecutionException e) {
                // Shutting down between the check above and here.
                next.drop();
                release(next);
                return;
            }
        }
    }

    /** Gives the run's slot back (once, whoever calls first: the run at its end or the watchdog). */
    void release(ProbeRun run) {
        if (run.holdsSlot.compareAndSet(true, false)) {
            synchronized (slots) {
                busy--;
            }
            dispatch();
        }
    }

    /** Arms the watchdog of a run that just started; null when shutting down (the stop bound applies then). */
    java.util.concurrent.ScheduledFuture<?> watch(ProbeRun run, long startNanos) {
        try {
            return timer.schedule(SafeTask.safely("watchdog " + run.target.name(), () -> run.overran(startNanos)),
                    run.target.timeout().plus(grace).toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    String overrunReason(TargetConfig target) {
        return "probe did not finish within its timeout " + Durations.format(target.timeout()) + " (+"
                + Durations.format(grace) + " grace); abandoned";
    }

    void abandoned() {
        abandonedRunning.incrementAndGet();
        abandonedTotal.incrementAndGet();
    }

    void abandonedEnded() {
        abandonedRunning.decrementAndGet();
    }

    /** Threads still running a probe that was abandoned at its timeout. */
    public int abandonedRunning() {
        return abandonedRunning.get();
    }

    @Override
    public List<Metric> metrics() {
        return List.of(
                new Metric("dynport_probes_abandoned_running", "Probe threads still running after their probe was"
                        + " abandoned at its timeout (they hold no probe slot).", "gauge", Map.of(),
                        abandonedRunning.get()),
                new Metric("dynport_probes_abandoned_total", "Probes abandoned because they overran their timeout"
                        + " plus grace.", "counter", Map.of(), abandonedTotal.get()));
    }

    /**
     * Probes every target once and returns when all are reported ({@code --once}). Bounded: a probe that could not
     * even start within the round's bound is reported as failed.
     */
    public void runOnce() {
        List<ProbeRun> runs = new ArrayList<>();
        long slowest = 0;
        for (TargetConfig t : prober.targets()) {
            runs.add(submit(t));
            slowest = Math.max(slowest, t.timeout().plus(grace).toMillis());
        }
        int waves = (runs.size() + maxConcurrent - 1) / maxConcurrent;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(slowest * waves + 1000);
        for (ProbeRun r : runs) {
            try {
                r.done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (r.claim()) {
                    prober.reportFailure(r.target, "probe did not run within the round's bound", -1);
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
        for (TargetConfig t : prober.targets()) {
            schedule(t, jitter(t));
        }
        if (!heartbeat.isZero()) {
            timer.scheduleAtFixedRate(SafeTask.safely("heartbeat", prober::heartbeat), heartbeat.toMillis(),
                    heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        }
        LOG.info("scheduler started: " + prober.targets().size() + " targets, " + maxConcurrent
                + " concurrent probes");
    }

    private long jitter(TargetConfig t) {
        long j = t.jitter().toMillis();
        return j <= 0 ? 0 : random.nextLong(j + 1);
    }

    private void schedule(TargetConfig t, long delayMillis) {
        try {
            timer.schedule(SafeTask.safely("tick " + t.name(), () -> tick(t)), delayMillis, TimeUnit.MILLISECONDS);
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
                prober.metricsSkipped(t);
                if (previous.isAbandoned()) {
                    prober.reportFailure(t, "previous probe still running, " + overrunReason(t) + "; skipped", -1);
                }
            } else {
                submit(t);
            }
        } finally {
            if (running.get()) {
                schedule(t, t.interval().toMillis() + jitter(t));
            }
        }
    }

    public boolean running() {
        return running.get();
    }

    /**
     * Stops intake, waits up to {@code bound} for the probes that hold a slot, then interrupts every probe still
     * running. Returns within about {@code bound} plus one second whatever the probes do.
     */
    public void stop(Duration bound) {
        running.set(false);
        timer.shutdownNow();
        List<ProbeRun> queued;
        synchronized (slots) {
            accepting = false;
            queued = new ArrayList<>(waiting);
            waiting.clear();
        }
        queued.forEach(ProbeRun::drop);
        boolean interrupted = false;
        long deadline = System.nanoTime() + bound.toNanos();
        for (ProbeRun r : current.values()) {
            if (!r.isAbandoned() && !awaitEnd(r, deadline)) {
                interrupted = Thread.currentThread().isInterrupted();
                if (interrupted) {
                    break;
                }
            }
        }
        List<ProbeRun> left = current.values().stream().filter(r -> !r.ended.isDone()).toList();
        if (!left.isEmpty()) {
            LOG.warning("at shutdown, interrupting " + left.size() + " running probe(s): " + names(left));
            left.forEach(ProbeRun::cancel);
        }
        threads.shutdownNow();
        if (!interrupted) {
            // Abandoned probes were interrupted at their timeout already and ignored it: no point waiting again.
            long settle = System.nanoTime() + INTERRUPT_SETTLE.toNanos();
            left.stream().filter(r -> !r.isAbandoned()).forEach(r -> awaitEnd(r, settle));
        }
        List<ProbeRun> stuck = left.stream().filter(r -> !r.ended.isDone()).toList();
        if (!stuck.isEmpty()) {
            LOG.warning("probe(s) still running at shutdown and left behind (daemon threads; the process exits"
                    + " without them): " + names(stuck));
        }
    }

    /** @return whether the run ended before the deadline; false also when this thread was interrupted */
    private static boolean awaitEnd(ProbeRun r, long deadline) {
        try {
            r.ended.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String names(List<ProbeRun> runs) {
        return runs.stream().map(r -> r.target.name()).toList().toString();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}
