package dev.dynport.check.fuzz;

import dev.dynport.check.acquire.AcquisitionException;
import dev.dynport.check.acquire.Snapshot;
import dev.dynport.check.acquire.SnapshotReader;
import dev.dynport.check.judge.CheckOptions;
import dev.dynport.check.judge.CheckResult;
import dev.dynport.check.judge.DynportCheck;
import dev.dynport.check.model.State;
import dev.dynport.check.render.JsonReport;
import dev.dynport.check.render.NagiosText;
import java.nio.charset.Charset;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The product's own path for {@code check_dynport --snapshot FILE} after the file is read: snapshot bytes
 * through {@link SnapshotReader} (IBM850, the CLI's default code page), {@link DynportCheck#judge} with the
 * default options, then both renderers. The one place that names product APIs, so a changed signature is
 * fixed here only.
 *
 * <p>Each input runs on a worker thread with a budget. An input past it is a stall: it is reported (never
 * asserted on time) and the worker is stopped, because a non-linear parser would otherwise burn a core for
 * minutes and the campaign would never finish. {@code Thread.stop} is the only way to end a thread stuck in a
 * regex; where the JVM no longer supports it the worker is abandoned instead.
 */
final class Product implements AutoCloseable {
    /** What the product answered for one input. {@code state} is null when it threw or stalled. */
    record Outcome(State state, String text, CheckResult result, Throwable thrown, boolean stalled, long nanos) {
        boolean internalError() {
            return thrown != null || (text != null && text.contains("internal error"));
        }

        String statusLine() {
            if (stalled) {
                return "(no answer within the budget)";
            }
            if (thrown != null) {
                return "(threw " + thrown + ")";
            }
            int nl = text.indexOf('\n');
            return nl < 0 ? text : text.substring(0, nl);
        }
    }

    private static final Charset OEM = Charset.forName("IBM850");

    private final long budgetMillis;
    private ExecutorService worker;
    private Thread workerThread;

    Product(long budgetMillis) {
        this.budgetMillis = budgetMillis;
        this.worker = newWorker();
    }

    private ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-product");
            t.setDaemon(true);
            workerThread = t;
            return t;
        });
    }

    /** Runs the product path on the calling thread; exceptions escape, as they would out of the library. */
    static Outcome runDirect(byte[] bytes) {
        long t0 = System.nanoTime();
        try {
            Snapshot snapshot = SnapshotReader.read(bytes, OEM, "fuzz-input");
            CheckResult result = DynportCheck.judge(snapshot, CheckOptions.defaults());
            String text = NagiosText.render(result, true) + JsonReport.render(result);
            return new Outcome(result.state(), text, result, null, false, System.nanoTime() - t0);
        } catch (AcquisitionException e) {
            // what the CLI prints for a snapshot it cannot split: UNKNOWN with the reason
            String text = NagiosText.SERVICE + " UNKNOWN - " + e.getMessage() + "\n";
            return new Outcome(State.UNKNOWN, text, null, null, false, System.nanoTime() - t0);
        } catch (RuntimeException | Error e) {
            return new Outcome(null, null, null, e, false, System.nanoTime() - t0);
        }
    }

    Outcome run(byte[] bytes) {
        long t0 = System.nanoTime();
        Future<Outcome> future = worker.submit(() -> runDirect(bytes));
        try {
            return future.get(budgetMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            stopWorker();
            return new Outcome(null, null, null, null, true, System.nanoTime() - t0);
        } catch (ExecutionException e) {
            return new Outcome(null, null, null, e.getCause(), false, System.nanoTime() - t0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("fuzz campaign interrupted", e);
        }
    }

    @SuppressWarnings({"deprecation", "removal"})
    private void stopWorker() {
        Thread stuck = workerThread;
        worker.shutdownNow();
        try {
            stuck.stop();
        } catch (UnsupportedOperationException notOnThisJvm) {
            // Java 20+: the daemon thread is left to finish on its own
        }
        worker = newWorker();
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
