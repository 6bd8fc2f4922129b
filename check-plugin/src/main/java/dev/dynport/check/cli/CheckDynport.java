package dev.dynport.check.cli;

import dev.dynport.check.util.Version;
import dev.dynport.check.util.NamedThreads;
import dev.dynport.check.acquire.AcquisitionException;
import dev.dynport.check.acquire.Snapshot;
import dev.dynport.check.judge.CheckResult;
import dev.dynport.check.judge.DynportCheck;
import dev.dynport.check.run.CheckRun;
import dev.dynport.check.model.State;
import dev.dynport.check.render.JsonReport;
import dev.dynport.check.render.NagiosText;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code check_dynport}: the thin edge. Parses arguments, acquires, judges, renders, and is the only place that
 * exits. Everything printed goes to stdout (what Nagios and Icinga read), in UTF-8.
 */
public final class CheckDynport {
    /** Time left after the acquisition budget for judging and printing before the hard stop. */
    private static final Duration GRACE = Duration.ofMillis(500);

    private CheckDynport() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code = run(args, out, err, System.getenv(), System.getProperty("os.name", "unknown"));
        out.flush();
        System.exit(code);
    }

    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, String osName) {
        return run(args, out, err, env, osName, Clock.systemUTC());
    }

    /** @param clock what "now" is for {@code --max-age}; tests fix it */
    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, String osName, Clock clock) {
        try {
            return runChecked(args, out, err, env, osName, clock);
        } catch (RuntimeException | Error e) {
            // Last line of defence: a plugin must answer in one line with exit 3, never with a stack trace.
            out.println(NagiosText.SERVICE + " UNKNOWN - internal error " + e.getClass().getSimpleName()
                    + " (please report with the snapshot)");
            return State.UNKNOWN.exitCode();
        }
    }

    private static int runChecked(String[] args, PrintStream out, PrintStream err, Map<String, String> env, String osName,
            Clock clock) {
        if (Usage.isOnlyHelp(args)) {
            out.print(Usage.text());
            return State.OK.exitCode();
        }
        Arguments arguments;
        try {
            arguments = Arguments.parse(args, env, osName);
        } catch (UsageException e) {
            out.println(NagiosText.SERVICE + " UNKNOWN - " + NagiosText.clean(e.getMessage()));
            return State.UNKNOWN.exitCode();
        }
        switch (arguments.action()) {
            case HELP -> {
                out.print(Usage.text());
                return State.OK.exitCode();
            }
            case VERSION -> {
                out.println("check_dynport " + version());
                return State.OK.exitCode();
            }
            case AUDIT, EXPLAIN -> {
                return Inspect.run(arguments, out, err, clock);
            }
            default -> {
            }
        }
        CheckResult result = runBounded(arguments, err, clock);
        out.print(switch (arguments.format()) {
            case JSON -> JsonReport.render(result);
            case NRPE -> NagiosText.renderShort(result);
            case NAGIOS -> NagiosText.render(result, arguments.verbose());
        });
        return result.state().exitCode();
    }

    /**
     * Runs the check on a daemon thread so that nothing, not even a stuck library call, outlives -t. One task on one
     * thread: an executor (its pool, queue and the lambda handed to it) was start-up cost for nothing.
     */
    private static CheckResult runBounded(Arguments arguments, PrintStream err, Clock clock) {
        FutureTask<CheckResult> task = new FutureTask<>(new Callable<CheckResult>() {
            @Override
            public CheckResult call() {
                return check(arguments, err, clock);
            }
        });
        NamedThreads.daemon("check_dynport", task).start();
        try {
            return task.get(arguments.timeout().plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return CheckRun.failed(new AcquisitionException(AcquisitionException.Failure.TIMEOUT,
                    "check timed out after " + arguments.timeout().toSeconds() + " s (-t)"), arguments.unreachableState());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return internalError(e);
        } catch (ExecutionException e) {
            return internalError(e.getCause());
        } finally {
            task.cancel(true); // interrupts the worker if it is still running; nothing once it is done
        }
    }

    private static CheckResult check(Arguments arguments, PrintStream err, Clock clock) {
        Snapshot snapshot;
        try {
            snapshot = acquireAndSave(arguments, err);
        } catch (AcquisitionException e) {
            return CheckRun.failed(e, arguments.unreachableState());
        }
        return DynportCheck.judge(snapshot, arguments.checkOptions(), arguments.freshness(), clock);
    }

    /** Returns the sections only: no reference to the raw bytes outlives this frame (see Snapshot#withoutRaw). */
    static Snapshot acquireAndSave(Arguments arguments, PrintStream err) throws AcquisitionException {
        Snapshot snapshot = arguments.source().acquire(arguments.timeout());
        if (arguments.saveSnapshot() != null) {
            save(snapshot, arguments, err);
        }
        return snapshot.withoutRaw();
    }

    private static void save(Snapshot snapshot, Arguments arguments, PrintStream err) {
        try {
            SnapshotFile.save(snapshot, arguments.saveSnapshot());
        } catch (IOException | RuntimeException e) {
            // The verdict stands: failing to keep evidence must not hide what the host showed.
            err.println("check_dynport: could not save snapshot [" + arguments.saveSnapshot() + "]: "
                    + (e instanceof java.nio.file.FileSystemException f && f.getReason() != null
                            ? f.getReason() : e.getClass().getSimpleName()));
        }
    }

    private static CheckResult internalError(Throwable t) {
        return CheckResult.acquisitionFailed(new AcquisitionException(AcquisitionException.Failure.INPUT_UNREADABLE,
                "internal error " + t.getClass().getSimpleName() + " (please report with the snapshot)"), State.UNKNOWN);
    }

    static String version() {
        return Version.current();
    }
}
