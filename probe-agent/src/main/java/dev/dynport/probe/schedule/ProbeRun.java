package dev.dynport.probe.schedule;

import dev.dynport.check.judge.CheckResult;
import dev.dynport.probe.config.TargetConfig;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One probe of one target, from queued to ended. Exactly one outcome is reported (the result, a crash, or the
 * watchdog's timeout), whoever {@link #claim() claims} it first; a run cancelled by shutdown reports nothing.
 * {@code done} completes once the outcome has been reported (or will never be), {@code ended} when the thread has left
 * the probe.
 */
final class ProbeRun {
    private static final Logger LOG = Logger.getLogger(ProbeRun.class.getName());

    final TargetConfig target;
    private final Prober prober;
    private final ProbeScheduler scheduler;
    final AtomicBoolean holdsSlot = new AtomicBoolean();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final CompletableFuture<Void> ended = new CompletableFuture<>();
    // Guarded by this: the watchdog and the probe thread race to decide.
    private boolean reported;
    private boolean abandoned;
    private boolean finished;
    private Thread worker;

    ProbeRun(TargetConfig target, Prober prober, ProbeScheduler scheduler) {
        this.target = target;
        this.prober = prober;
        this.scheduler = scheduler;
    }

    /** @return true for the one caller that gets to report this run's outcome */
    synchronized boolean claim() {
        if (reported) {
            return false;
        }
        reported = true;
        return true;
    }

    synchronized boolean isAbandoned() {
        return abandoned;
    }

    void run() {
        long start = System.nanoTime();
        boolean cancelled;
        synchronized (this) {
            cancelled = reported;
            worker = cancelled ? null : Thread.currentThread();
        }
        if (cancelled) {
            // Cancelled by shutdown before it started. finish() takes the scheduler's lock: never under this one.
            finish();
            return;
        }
        ScheduledFuture<?> watchdog = scheduler.watch(this, start);
        boolean reporter = false;
        try {
            CheckResult result = prober.check(target);
            reporter = claim();
            if (reporter) {
                prober.report(target, result, System.nanoTime() - start);
            } else {
                LOG.info("probe " + target.name() + " ended after it was abandoned or cancelled; result "
                        + result.state() + " dropped");
            }
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            // A bug, not an expected failure: the trace goes to the log, the event carries one line.
            LOG.log(Level.WARNING, "probe " + target.name() + " crashed", e);
            reporter = claim();
            if (reporter) {
                prober.reportFailure(target, "probe crashed: " + e, System.nanoTime() - start);
            }
        } finally {
            if (watchdog != null) {
                watchdog.cancel(false);
            }
            boolean wasAbandoned;
            synchronized (this) {
                wasAbandoned = abandoned;
                worker = null;
            }
            if (wasAbandoned) {
                scheduler.abandonedEnded();
                LOG.warning("abandoned probe " + target.name() + " ended after "
                        + (System.nanoTime() - start) / 1_000_000 + " ms");
            }
            if (reporter) {
                done.complete(null);
            }
            finish();
            // The pool does not reuse the thread while it is still interrupted: clear what the watchdog set.
            Thread.interrupted();
        }
    }

    /** The thread has left the probe (or it never started). {@code done} is completed by whoever reported. */
    private void finish() {
        synchronized (this) {
            finished = true;
        }
        ended.complete(null);
        scheduler.release(this);
    }

    /**
     * The watchdog: the probe overran its timeout plus grace. Frees the slot, interrupts the thread, then says so.
     * Interrupts happen under the lock that {@link #run()} takes to leave, so they never reach the thread's next
     * probe.
     */
    void overran(long startNanos) {
        synchronized (this) {
            if (reported || finished) {
                return;
            }
            reported = true;
            abandoned = true;
            scheduler.abandoned();
            if (worker != null) {
                worker.interrupt();
            }
        }
        scheduler.release(this);
        try {
            prober.reportFailure(target, scheduler.overrunReason(target), System.nanoTime() - startNanos);
        } finally {
            done.complete(null);
        }
    }

    /** Shutdown: whatever this probe still produces is not reported; its thread is told to stop. */
    void cancel() {
        synchronized (this) {
            reported = true;
            if (worker != null) {
                worker.interrupt();
            }
        }
        done.complete(null);
    }

    /** Never started (queued at shutdown): nothing to report, nothing to wait for. */
    void drop() {
        synchronized (this) {
            reported = true;
        }
        done.complete(null);
        finish();
    }
}
