package dev.dynport.check.acquire;

import dev.dynport.check.util.NamedThreads;
import java.io.ByteArrayOutputStream;
import java.io.File;
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
     * Test seam, not a user setting: when set, the directory that stands in for {@code %SystemRoot%\System32}
     * (same layout: {@code netsh.exe}, ..., {@code WindowsPowerShell\v1.0\powershell.exe}), so tests and e2e
     * scripts can run {@code --local} against stand-in programs on Linux. Read only when set; must be absolute.
     */
    public static final String SYSTEM32_SEAM = "DYNPORT_SYSTEM32";
    /** Where Windows lives when the environment does not say (the default install). */
    static final String DEFAULT_SYSTEM_ROOT = "C:\\Windows";

    private final Charset oemCharset;
    private final String osName;
    private final Map<String, String> env;

    public LocalCommandSource(Charset oemCharset, String osName) {
        this(oemCharset, osName, System.getenv());
    }

    /**
     * The source {@code --local} uses: the real programs, or with {@link #SYSTEM32_SEAM} set the stand-ins in that
     * folder on any OS (the distributed Icinga 2 e2e runs the plugin on a Linux "agent" this way).
     *
     * @throws IllegalArgumentException when the seam is set but not an absolute path
     */
    public static LocalCommandSource forEnvironment(Charset oemCharset, String osName, Map<String, String> env) {
        String standIns = env.get(SYSTEM32_SEAM);
        if (standIns == null || standIns.isEmpty()) {
            return new LocalCommandSource(oemCharset, osName, env);
        }
        if (!Path.of(standIns).isAbsolute()) {
            throw new IllegalArgumentException(SYSTEM32_SEAM + " [" + standIns + "] must be an absolute folder of"
                    + " stand-in programs (a test seam: unset it in production)");
        }
        return new LocalCommandSource(oemCharset, "Windows (stand-ins from " + SYSTEM32_SEAM + ")", env);
    }

    /** @param env the process environment: {@code SystemRoot} and the {@link #SYSTEM32_SEAM} are read from it */
    LocalCommandSource(Charset oemCharset, String osName, Map<String, String> env) {
        this.oemCharset = oemCharset;
        this.osName = osName;
        this.env = env;
    }

    @Override
    public Snapshot acquire(Duration timeout) throws AcquisitionException {
        if (!osName.toLowerCase(Locale.ROOT).startsWith("windows")) {
            throw new AcquisitionException(AcquisitionException.Failure.UNSUPPORTED_PLATFORM,
                    "--local runs netsh, netstat, tasklist and sc.exe on Windows, or reads /proc and runs ss on Linux;"
                            + " this is [" + osName
                            + "]: use --snapshot FILE or -H HOST");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (Section section : CaptureCommand.sections()) {
            List<String> argv = argv(section);
            raw.writeBytes((Section.MARKER_PREFIX + section.sectionName() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            raw.writeBytes(run(section, argv, deadline, SnapshotFileSource.MAX_BYTES - raw.size()));
        }
        return SnapshotReader.read(raw.toByteArray(), oemCharset, "local");
    }

    /**
     * The section's argv with the program as a full path under System32. A bare name would make Windows search the
     * directory of java.exe and the current directory before System32 (CreateProcess search order), so a
     * {@code netstat.exe} dropped into either would run with the monitoring account's rights and decide the verdict.
     */
    List<String> argv(Section section) throws AcquisitionException {
        List<String> argv = new ArrayList<>(section.argv());
        argv.set(0, program(argv.get(0)));
        return argv;
    }

    private String program(String name) throws AcquisitionException {
        String seam = getenv(SYSTEM32_SEAM);
        if (seam != null && !seam.isEmpty()) {
            if (!Path.of(seam).isAbsolute()) {
                throw new AcquisitionException(AcquisitionException.Failure.UNSUPPORTED_PLATFORM,
                        SYSTEM32_SEAM + " (a test seam) must be an absolute directory [" + seam + "]");
            }
            return seam + File.separator + relativeToSystem32(name).replace('\\', File.separatorChar);
        }
        String root = getenv("SystemRoot");
        if (root == null || root.isEmpty()) {
            root = DEFAULT_SYSTEM_ROOT;
        }
        // Only a drive or UNC path: a relative SystemRoot would resolve against the current directory again.
        if (!root.matches("(?:[A-Za-z]:\\\\|\\\\\\\\)[^\"]*")) {
            throw new AcquisitionException(AcquisitionException.Failure.UNSUPPORTED_PLATFORM,
                    "--local runs its programs from %SystemRoot%\\System32, and SystemRoot is not an absolute path ["
                            + root + "]");
        }
        return stripTrailingBackslash(root) + "\\System32\\" + relativeToSystem32(name);
    }

    private static String relativeToSystem32(String name) {
        return switch (name) {
            // powershell.exe is not in System32 itself; this is Windows PowerShell 5.1's fixed place
            case "powershell" -> "WindowsPowerShell\\v1.0\\powershell.exe";
            case "sc.exe" -> "sc.exe";
            default -> name + ".exe";
        };
    }

    private static String stripTrailingBackslash(String path) {
        return path.endsWith("\\") ? path.substring(0, path.length() - 1) : path;
    }

    /** Windows environment names are case-insensitive; a map built elsewhere (tests) may not be. */
    private String getenv(String name) {
        String value = env.get(name);
        if (value != null) {
            return value;
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
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
