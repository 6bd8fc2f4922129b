package dev.dynport.check.acquire;

import dev.dynport.check.util.NamedThreads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code --local}: runs the section commands on this Windows host with their fixed argument lists (no shell),
 * and assembles the same bytes a snapshot file would hold, so {@code --save-snapshot} and the reader see one
 * format whatever the source. The capture-script-only sections are not run (see {@link Section#captureScriptOnly()}).
 */
public final class LocalCommandSource implements SnapshotSource {
    /**
     * Test seam, off unless set (no default, nothing in the templates sets it): the absolute folder of stand-in
     * programs for the System32 ones. With it, {@code --local} runs on any OS, so the distributed Icinga 2 e2e
     * (e2e/icinga2-distributed) can run the plugin on a Linux "agent" whose stand-ins print real captured outputs.
     */
    public static final String STAND_IN_SYSTEM32 = "DYNPORT_SYSTEM32";

    private final Charset oemCharset;
    private final String osName;
    private final Path commandDir;

    public LocalCommandSource(Charset oemCharset, String osName) {
        this(oemCharset, osName, null);
    }

    /**
     * The source {@code --local} uses: the real programs, or the stand-ins of {@link #STAND_IN_SYSTEM32} when the
     * environment names them.
     *
     * @throws IllegalArgumentException when {@link #STAND_IN_SYSTEM32} is set but not an absolute path
     */
    public static LocalCommandSource forEnvironment(Charset oemCharset, String osName, Map<String, String> env) {
        String standIns = env.get(STAND_IN_SYSTEM32);
        if (standIns == null || standIns.isEmpty()) {
            return new LocalCommandSource(oemCharset, osName);
        }
        Path dir = Path.of(standIns);
        if (!dir.isAbsolute()) {
            throw new IllegalArgumentException(STAND_IN_SYSTEM32 + " [" + standIns + "] must be an absolute folder"
                    + " of stand-in programs (a test seam: unset it in production)");
        }
        return new LocalCommandSource(oemCharset, "Windows (stand-ins from " + STAND_IN_SYSTEM32 + ")", dir);
    }

    /**
     * @param commandDir where the programs are, or null to let the OS search its PATH (System32 on Windows);
     *     tests point it at stand-in programs
     */
    LocalCommandSource(Charset oemCharset, String osName, Path commandDir) {
        this.oemCharset = oemCharset;
        this.osName = osName;
        this.commandDir = commandDir;
    }

    @Override
    public Snapshot acquire(Duration timeout) throws AcquisitionException {
        if (!osName.toLowerCase(Locale.ROOT).startsWith("windows")) {
            throw new AcquisitionException(AcquisitionException.Failure.UNSUPPORTED_PLATFORM,
                    "--local runs netsh, netstat, tasklist and sc.exe and needs Windows; this is [" + osName
                            + "]: use --snapshot FILE or -H HOST");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (Section section : CaptureCommand.sections()) {
            raw.writeBytes((Section.MARKER_PREFIX + section.sectionName() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            raw.writeBytes(run(section, argv(section), deadline, SnapshotFileSource.MAX_BYTES - raw.size()));
        }
        return SnapshotReader.read(raw.toByteArray(), oemCharset, "local");
    }

    private List<String> argv(Section section) {
        if (commandDir == null) {
            return section.argv();
        }
        List<String> argv = new ArrayList<>(section.argv());
        argv.set(0, commandDir.resolve(argv.get(0)).toString());
        return argv;
    }

    /**
     * Runs one program: its output is read on a named daemon thread, at most {@code room} plus one byte (the whole
     * capture is held to {@link SnapshotFileSource#MAX_BYTES}, as a snapshot file is), until EOF or the deadline. On timeout, interrupt, overflow or a read
     * error the program and everything it started are killed, so no process outlives the probe.
     */
    private static byte[] run(Section section, List<String> argv, long deadline, long room)
            throws AcquisitionException {
        if (Thread.currentThread().isInterrupted()) {
            throw interrupted(section);
        }
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AcquisitionException(AcquisitionException.Failure.REMOTE_COMMAND_FAILED,
                    "cannot run [" + section.commandLine() + "]: " + e.getMessage());
        }
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // Nothing to send; a command that still waits for input is ended by the deadline.
        }
        FutureTask<byte[]> output = new FutureTask<>(() -> {
            try (InputStream in = process.getInputStream()) {
                return in.readNBytes((int) Math.max(0, room) + 1);
            }
        });
        NamedThreads.daemon("dynport-local-read " + argv.get(0), output).start();
        boolean ok = false;
        try {
            byte[] bytes = output.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (bytes.length > room) {
                throw new AcquisitionException(AcquisitionException.Failure.REMOTE_COMMAND_FAILED, "output of ["
                        + section.commandLine() + "] passed the capture limit of " + SnapshotFileSource.MAX_BYTES
                        + " bytes; not a dynport capture");
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !process.waitFor(left, TimeUnit.NANOSECONDS)) {
                throw new TimeoutException();
            }
            ok = true;
            return bytes;
        } catch (TimeoutException e) {
            throw new AcquisitionException(AcquisitionException.Failure.TIMEOUT,
                    "timed out running [" + section.commandLine() + "]");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(section);
        } catch (ExecutionException e) {
            throw new AcquisitionException(AcquisitionException.Failure.REMOTE_COMMAND_FAILED,
                    "cannot read the output of [" + section.commandLine() + "]");
        } finally {
            if (!ok) {
                destroyTree(process);
                output.cancel(true);
            }
        }
    }

    private static AcquisitionException interrupted(Section section) {
        return new AcquisitionException(AcquisitionException.Failure.TIMEOUT,
                "interrupted running [" + section.commandLine() + "]");
    }

    /**
     * Kills the program and its descendants. They are listed while the program still lives: once it is gone its
     * children are re-parented and can no longer be found from it.
     */
    private static void destroyTree(Process process) {
        List<ProcessHandle> descendants;
        try {
            descendants = process.descendants().toList();
        } catch (UnsupportedOperationException | SecurityException e) {
            descendants = List.of();
        }
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }
}
