package dev.dynport.check.acquire;

import dev.dynport.check.util.NamedThreads;
import dev.dynport.check.acquire.AcquisitionException.Failure;
import dev.dynport.check.model.Platform;
import java.io.IOException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * A remote Windows host over SSH: one session, one exec channel running {@link CaptureCommand#sshCommandLine()},
 * the exact stdout bytes decoded by {@link SnapshotReader} (so {@link Snapshot#raw()} is what the host printed).
 *
 * <p>The timeout bounds everything: the exchange runs on a daemon worker thread and this thread waits for it
 * until the deadline; then it disconnects the session (which unblocks any read) and reports TIMEOUT with the
 * phase it was in, without waiting for the worker. A server that stalls cannot hold the check past the deadline.
 *
 * <p>How the outcome is named: no exit status (the channel or connection closed early) is OUTPUT_TRUNCATED;
 * a non-zero exit status is REMOTE_COMMAND_FAILED with the first lines of stderr; exit 0 without every section
 * is OUTPUT_TRUNCATED naming the missing ones; exit 0 without any section marker is REMOTE_COMMAND_FAILED.
 */
public final class SshSource implements SnapshotSource {
    private final SshTarget target;
    private final SshCredentials credentials;
    private final HostKeyPolicy hostKeys;
    private final Charset oemFallback;
    private final Platform platform;

    public SshSource(SshTarget target, SshCredentials credentials, HostKeyPolicy hostKeys, Charset oemFallback) {
        this(target, credentials, hostKeys, oemFallback, Platform.WINDOWS);
    }

    /**
     * @param platform the target's OS, as the user declares it ({@code --platform}): it decides the command run.
     *     Declared, not probed: a probe ({@code uname}) would cost a second exec channel per check, and what a
     *     Windows shell makes of {@code uname} is an error text that would have to be told from a Linux answer.
     */
    public SshSource(SshTarget target, SshCredentials credentials, HostKeyPolicy hostKeys, Charset oemFallback,
            Platform platform) {
        this.platform = Objects.requireNonNull(platform, "platform");
        this.target = Objects.requireNonNull(target, "target");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.hostKeys = Objects.requireNonNull(hostKeys, "hostKeys");
        this.oemFallback = Objects.requireNonNull(oemFallback, "oemFallback");
    }

    public Platform platform() {
        return platform;
    }

    public SshTarget target() {
        return target;
    }

    public HostKeyPolicy hostKeyPolicy() {
        return hostKeys;
    }

    public SshCredentials credentials() {
        return credentials;
    }

    @Override
    public Snapshot acquire(Duration timeout) throws AcquisitionException {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive [" + timeout + "]");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        HostKeyVerifier verifier;
        try {
            verifier = new HostKeyVerifier(KnownHostsFile.read(hostKeys.knownHosts()), hostKeys.acceptNew());
        } catch (IOException e) {
            throw new AcquisitionException(Failure.INPUT_UNREADABLE, "cannot read known hosts file ["
                    + hostKeys.knownHosts() + "]: " + SshFailures.describe(e));
        }
        SshExchange exchange = new SshExchange(target, credentials, verifier, deadline,
                platform == Platform.LINUX ? LinuxCapture.sshCommandLine() : CaptureCommand.sshCommandLine());
        FutureTask<SshExchange.Received> task = new FutureTask<>(exchange::run);
        NamedThreads.daemon("dynport-ssh " + target, task).start();
        SshExchange.Received received;
        try {
            received = task.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            SshFailures.Phase phase = exchange.phase();
            stop(exchange, task);
            throw SshFailures.fail(target, Failure.TIMEOUT, "timed out after " + seconds(timeout) + " while "
                    + phase.doing() + progress(phase, exchange));
        } catch (InterruptedException e) {
            stop(exchange, task);
            Thread.currentThread().interrupt();
            throw SshFailures.fail(target, Failure.TIMEOUT, "interrupted while " + exchange.phase().doing());
        } catch (CancellationException e) {
            throw SshFailures.fail(target, Failure.TIMEOUT, "cancelled while " + exchange.phase().doing());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AcquisitionException ae) {
                throw ae;
            }
            throw SshFailures.fail(target, Failure.NETWORK, "SSH failed while " + exchange.phase().doing() + ": "
                    + SshFailures.describe(cause));
        }
        return interpret(received);
    }

    /** Aborts on a separate daemon thread: JSch's disconnect takes locks a stuck session thread may hold. */
    private void stop(SshExchange exchange, FutureTask<?> task) {
        NamedThreads.daemon("dynport-ssh-abort " + target, () -> {
            exchange.abort();
            task.cancel(true);
        }).start();
    }

    private String progress(SshFailures.Phase phase, SshExchange exchange) {
        if (phase != SshFailures.Phase.READ) {
            return "";
        }
        byte[] soFar = exchange.stdoutSoFar();
        return " (" + soFar.length + " bytes, sections so far: " + names(sectionsIn(soFar)) + ")";
    }

    Snapshot interpret(SshExchange.Received r) throws AcquisitionException {
        List<Section> present = sectionsIn(r.stdout());
        if (r.overflowed()) {
            throw SshFailures.fail(target, Failure.REMOTE_COMMAND_FAILED, "remote command printed more than "
                    + SnapshotFileSource.MAX_BYTES + " bytes; not a dynport capture");
        }
        if (r.exitStatus() < 0) {
            throw SshFailures.fail(target, Failure.OUTPUT_TRUNCATED, "output truncated: connection closed before"
                    + " the remote command finished (" + r.stdout().length + " bytes, sections received: "
                    + names(present) + ")");
        }
        if (r.exitStatus() != 0) {
            String err = SshFailures.firstLines(r.stderr(), oemFallback, 2);
            if (err.isEmpty()) {
                err = present.isEmpty() ? SshFailures.firstLines(r.stdout(), oemFallback, 2) : "";
            }
            throw SshFailures.fail(target, Failure.REMOTE_COMMAND_FAILED, "remote command exited with status "
                    + r.exitStatus() + (err.isEmpty() ? " and no error output" : ": " + err));
        }
        Snapshot snapshot;
        try {
            snapshot = SnapshotReader.read(r.stdout(), oemFallback, target.origin());
        } catch (AcquisitionException refused) {
            if (!present.isEmpty()) {
                // A capture with markers that the reader refused (a section twice, an unknown marker, over the
                // input budget) says why in the reader's own words; "no markers" would send the admin elsewhere.
                throw SshFailures.fail(target, refused.failure(), refused.getMessage());
            }
            String out = SshFailures.firstLines(r.stdout(), oemFallback, 2);
            String err = SshFailures.firstLines(r.stderr(), oemFallback, 2);
            throw SshFailures.fail(target, Failure.REMOTE_COMMAND_FAILED, "remote command printed no section"
                    + " markers (" + r.stdout().length + " bytes)" + (out.isEmpty() ? "" : ": " + out)
                    + (err.isEmpty() ? "" : "; stderr: " + err));
        }
        List<Section> missing = new ArrayList<>();
        if (platform == Platform.LINUX) {
            missing.addAll(LinuxCapture.missing(snapshot));
        } else {
            for (Section s : CaptureCommand.sections()) {
                if (snapshot.section(s).isEmpty()) {
                    missing.add(s);
                }
            }
        }
        if (!missing.isEmpty()) {
            throw SshFailures.fail(target, Failure.OUTPUT_TRUNCATED, "output truncated: section(s) "
                    + names(missing) + " missing from " + r.stdout().length + " bytes");
        }
        return snapshot;
    }

    /**
     * The known sections whose marker line occurs in the bytes, each once, in order of appearance. Only for
     * messages: it scans marker lines itself (markers are ASCII in every encoding used; NUL bytes of UTF-16 are
     * skipped) because the reader refuses what these messages must still describe (a partial or doubled capture).
     */
    static List<Section> sectionsIn(byte[] stdout) {
        List<Section> found = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (int i = 0; i <= stdout.length; i++) {
            int b = i < stdout.length ? stdout[i] & 0xFF : '\n';
            if (b == '\n' || b == '\r') {
                String text = line.toString().strip();
                if (text.startsWith(Section.MARKER_PREFIX.strip())) {
                    Section.byName(text.substring(Section.MARKER_PREFIX.strip().length()).strip())
                            .filter(s -> !found.contains(s))
                            .ifPresent(found::add);
                }
                line.setLength(0);
            } else if (b != 0 && line.length() <= 200) {
                line.append((char) b);
            }
        }
        return found;
    }

    private static String names(List<Section> sections) {
        return sections.isEmpty() ? "none"
                : sections.stream().map(Section::sectionName).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
    }

    @Override
    public String toString() {
        return "SshSource[" + target + ", " + platform.label() + ", " + hostKeys + ", " + credentials + "]";
    }
}
