package dev.dynport.check.acquire;

import dev.dynport.check.acquire.AcquisitionException.Failure;
import dev.dynport.check.util.NamedThreads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code --local} on Linux: reads the two sysctl files and runs {@code ss -tanpH}, or reads {@code /proc/net/tcp}
 * and {@code tcp6} when no ss is installed, and assembles the same bytes a Linux snapshot holds (see
 * {@link LinuxCapture}), so {@code --save-snapshot} and the reader see one format whatever the source.
 *
 * <p>Files are read directly (no {@code cat}); ss runs by its full path, the first of {@link #SS_PATHS} that is an
 * executable file, never through {@code PATH}: a {@code ss} earlier in the monitoring user's PATH would decide the
 * verdict. ss exiting with a status other than 0 is a failure naming the status and its first line (its output
 * may be partial). The capture-info lines are made here from {@code /proc/sys/kernel/hostname},
 * {@code /proc/sys/kernel/osrelease} and the clock, in the form {@code uname -n; date ...; uname -sr} prints.
 */
public final class LinuxLocalSource implements SnapshotSource {
    /** Where Debian/Ubuntu (/usr/bin, /bin), RHEL/SUSE (/usr/sbin, /sbin) install iproute2's ss. */
    public static final List<String> SS_PATHS = List.of("/usr/bin/ss", "/usr/sbin/ss", "/bin/ss", "/sbin/ss");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxx", Locale.ROOT);

    private final Path root;
    private final List<String> ssPaths;
    private final Clock clock;

    public LinuxLocalSource() {
        this(Path.of("/"), SS_PATHS, Clock.systemDefaultZone());
    }

    /** @param root stands for {@code /} (tests lay out {@code proc/...} below it); @param ssPaths absolute, in order */
    LinuxLocalSource(Path root, List<String> ssPaths, Clock clock) {
        this.root = root;
        this.ssPaths = List.copyOf(ssPaths);
        this.clock = clock;
    }

    @Override
    public Snapshot acquire(Duration timeout) throws AcquisitionException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        String host = new String(read("/proc/sys/kernel/hostname", 256), StandardCharsets.UTF_8).strip();
        String release = new String(read("/proc/sys/kernel/osrelease", 256), StandardCharsets.UTF_8).strip();
        section(raw, Section.LINUX_CAPTURE_INFO, (host + "\n" + OffsetDateTime.now(clock).format(TIME) + "\nLinux "
                + release + "\n").getBytes(StandardCharsets.UTF_8));
        section(raw, Section.LINUX_PORT_RANGE, read("/proc/sys/net/ipv4/ip_local_port_range", room(raw)));
        section(raw, Section.LINUX_RESERVED_PORTS, read("/proc/sys/net/ipv4/ip_local_reserved_ports", room(raw)));
        String ss = ssPaths.stream().filter(p -> Files.isRegularFile(Path.of(p)) && Files.isExecutable(Path.of(p)))
                .findFirst().orElse(null);
        if (ss != null) {
            section(raw, Section.LINUX_SS, run(List.of(ss, "-tanpH"), deadline, room(raw)));
        } else {
            section(raw, Section.LINUX_PROC_NET_TCP, read("/proc/net/tcp", room(raw)));
            section(raw, Section.LINUX_PROC_NET_TCP6, read("/proc/net/tcp6", room(raw)));
        }
        return SnapshotReader.read(raw.toByteArray(), StandardCharsets.UTF_8, "local");
    }

    private static long room(ByteArrayOutputStream raw) {
        return SnapshotFileSource.MAX_BYTES - raw.size();
    }

    private static void section(ByteArrayOutputStream raw, Section section, byte[] body) {
        raw.writeBytes((Section.MARKER_PREFIX + section.sectionName() + "\n").getBytes(StandardCharsets.US_ASCII));
        raw.writeBytes(body);
    }

    private byte[] read(String file, long room) throws AcquisitionException {
        Path path = root.resolve(file.substring(1));
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes((int) Math.max(0, Math.min(Integer.MAX_VALUE - 8, room)) + 1);
            if (bytes.length > room) {
                throw new AcquisitionException(Failure.INPUT_UNREADABLE, file + " passed the capture limit of "
                        + SnapshotFileSource.MAX_BYTES + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            String hint = file.endsWith("tcp6") ? " (IPv6 disabled? install iproute2's ss, which reads both families)"
                    : "";
            throw new AcquisitionException(Failure.INPUT_UNREADABLE, "cannot read " + file + ": "
                    + e.getClass().getSimpleName() + hint);
        }
    }

    /** Runs ss: output read on a daemon thread up to {@code room} + 1 bytes, everything bounded by the deadline. */
    private static byte[] run(List<String> argv, long deadline, long room) throws AcquisitionException {
        String shown = String.join(" ", argv);
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AcquisitionException(Failure.REMOTE_COMMAND_FAILED, "cannot run [" + shown + "]: " + e.getMessage());
        }
        FutureTask<byte[]> output = new FutureTask<>(() -> {
            try (InputStream in = process.getInputStream()) {
                return in.readNBytes((int) Math.max(0, Math.min(Integer.MAX_VALUE - 8, room)) + 1);
            }
        });
        NamedThreads.daemon("dynport-local-read ss", output).start();
        boolean ok = false;
        try {
            process.getOutputStream().close();
            byte[] bytes = output.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (bytes.length > room) {
                throw new AcquisitionException(Failure.REMOTE_COMMAND_FAILED, "output of [" + shown + "] passed the"
                        + " capture limit of " + SnapshotFileSource.MAX_BYTES + " bytes");
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !process.waitFor(left, TimeUnit.NANOSECONDS)) {
                throw new TimeoutException();
            }
            ok = true;
            if (process.exitValue() != 0) {
                String first = new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.UTF_8).strip();
                int nl = first.indexOf('\n');
                throw new AcquisitionException(Failure.REMOTE_COMMAND_FAILED, "[" + shown + "] exited with status "
                        + process.exitValue() + (first.isEmpty() ? " and printed nothing"
                                : ": " + (nl < 0 ? first : first.substring(0, nl))));
            }
            return bytes;
        } catch (TimeoutException e) {
            throw new AcquisitionException(Failure.TIMEOUT, "timed out running [" + shown + "]");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AcquisitionException(Failure.TIMEOUT, "interrupted running [" + shown + "]");
        } catch (ExecutionException | IOException e) {
            throw new AcquisitionException(Failure.REMOTE_COMMAND_FAILED, "cannot read the output of [" + shown + "]");
        } finally {
            if (!ok) {
                process.destroyForcibly();
                output.cancel(true);
            }
        }
    }
}
