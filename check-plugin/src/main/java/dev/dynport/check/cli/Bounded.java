package dev.dynport.check.cli;

import dev.dynport.check.acquire.AcquisitionException;
import dev.dynport.check.util.NamedThreads;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one piece of work (a check, an audit, an explain) on a daemon thread so that nothing, not even a stuck
 * library call, outlives -t. One task on one thread: an executor (its pool, queue and a lambda) would be start-up
 * cost for nothing. What goes wrong around the work becomes an {@link AcquisitionException} for the caller to
 * render like any other: the timeout, or an internal error that must end as one UNKNOWN line, never a trace.
 */
final class Bounded {
    /** Past -t, the time the work gets to finish what it is writing before it is given up. */
    private static final Duration GRACE = Duration.ofMillis(500);

    /** Turns what went wrong into the caller's result. */
    interface Failed<T> {
        T of(AcquisitionException e);
    }

    private Bounded() {
    }

    static <T> T run(Duration timeout, String timeoutMessage, Callable<T> work, Failed<T> failed) {
        FutureTask<T> task = new FutureTask<>(work);
        NamedThreads.daemon("check_dynport", task).start();
        try {
            return task.get(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return failed.of(new AcquisitionException(AcquisitionException.Failure.TIMEOUT, timeoutMessage));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed.of(internalError(e));
        } catch (ExecutionException e) {
            return failed.of(internalError(e.getCause()));
        } finally {
            task.cancel(true); // interrupts the worker if it is still running; nothing once it is done
        }
    }

    private static AcquisitionException internalError(Throwable t) {
        return new AcquisitionException(AcquisitionException.Failure.INPUT_UNREADABLE,
                "internal error " + t.getClass().getSimpleName() + " (please report with the snapshot)");
    }
}
