package dev.dynport.check.acquire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code --local}: runs the section commands on this Windows host with their fixed argument lists (no shell),
 * and assembles the same bytes a snapshot file would hold, so {@code --save-snapshot} and the reader see one
 * format whatever the source.
 */
public final class LocalCommandSource implements SnapshotSource {
    private final Charset oemCharset;
    private final String osName;
    private final Path commandDir;

    public LocalCommandSource(Charset oemCharset, String osName) {
        this(oemCharset, osName, null);
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
                    "--local runs netsh, netstat and tasklist and needs Windows; this is [" + osName
                            + "]: use --snapshot FILE or -H HOST");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (Section section : Section.values()) {
            raw.writeBytes((Section.MARKER_PREFIX + section.sectionName() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            raw.writeBytes(run(section, argv(section), deadline));
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

    private static byte[] run(Section section, List<String> argv, long deadline) throws AcquisitionException {
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
        CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        try {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !process.waitFor(left, TimeUnit.NANOSECONDS)) {
                throw new TimeoutException();
            }
            return output.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            process.destroyForcibly();
            throw new AcquisitionException(AcquisitionException.Failure.TIMEOUT,
                    "timed out running [" + section.commandLine() + "]");
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AcquisitionException(AcquisitionException.Failure.TIMEOUT,
                    "interrupted running [" + section.commandLine() + "]");
        } catch (ExecutionException e) {
            throw new AcquisitionException(AcquisitionException.Failure.REMOTE_COMMAND_FAILED,
                    "cannot read the output of [" + section.commandLine() + "]");
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
