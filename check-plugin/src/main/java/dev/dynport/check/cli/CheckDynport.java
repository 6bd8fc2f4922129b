package dev.dynport.check.cli;

import dev.dynport.check.util.Version;
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
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code check_dynport}: the thin edge. Parses arguments, acquires, judges, renders, and is the only place that
 * exits. Everything printed goes to stdout (what Nagios and Icinga read), in UTF-8.
 */
public final class CheckDynport {
    /** Time left after the acquisition budget for judging and printing before the hard stop. */

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

    /** The check, bounded by -t (see {@link Bounded}); anonymous classes, not lambdas: start-up path. */
    private static CheckResult runBounded(Arguments arguments, PrintStream err, Clock clock) {
        return Bounded.run(arguments.timeout(), "check timed out after " + arguments.timeout().toSeconds() + " s (-t)",
                new Callable<CheckResult>() {
                    @Override
                    public CheckResult call() {
                        return check(arguments, err, clock);
                    }
                }, new Bounded.Failed<CheckResult>() {
                    @Override
                    public CheckResult of(AcquisitionException e) {
                        return CheckRun.failed(e, arguments.unreachableState());
                    }
                });
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

    static String version() {
        return Version.current();
    }
}
