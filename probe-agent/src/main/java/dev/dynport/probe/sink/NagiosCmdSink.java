package dev.dynport.probe.sink;

import dev.dynport.probe.config.FieldReader;
import dev.dynport.check.util.NamedThreads;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dynport.probe.event.Event;
import dev.dynport.probe.event.EventType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * {@code nagios-cmd}: passive results as external commands written to the Nagios/Icinga command file (a FIFO):
 * <pre>
 * [1764298800] PROCESS_SERVICE_CHECK_RESULT;ex01;dynport-9955-ipv4;2;first line|perfdata\nlong text\nmore
 * </pre>
 * Services are mapped by {@link ServiceMapping} (PROBE_FAILED: UNKNOWN for the host service, or for every port
 * service of the host seen so far). Escaping, as Nagios parses the line: host and service names have {@code ;}
 * and line breaks replaced by {@code _}; in the output, {@code |} becomes {@code /} (it would start perfdata),
 * line breaks become the two characters {@code \n} (Nagios 3+ turns them into long output); the whole line is cut
 * to {@value #MAX_LINE} bytes.
 *
 * <p>The file is opened for each delivery. Opening a FIFO blocks until a reader exists, so the open runs on a
 * helper thread with {@code open_timeout_ms}; on timeout the sink unblocks it by opening the FIFO for reading
 * itself, and reports a retryable failure (Nagios not running). A missing command file is retryable too.
 *
 * <p>A HEARTBEAT re-submits the last result of every service this sink has set (see {@link ServiceMapping}), one
 * line per service, all in one write, stamped with the current time, so {@code check_freshness} never marks them
 * stale while the agent runs.
 */
final class NagiosCmdSink implements Sink {
    static final int MAX_LINE = 4000;
    private static final Logger LOG = Logger.getLogger(NagiosCmdSink.class.getName());

    private final String name;
    private final Path path;
    private final ServiceMapping mapping;
    private final long openTimeoutMs;
    private final Clock clock;
    private final ExecutorService opener;

    NagiosCmdSink(String name, Path path, ServiceMapping mapping, long openTimeoutMs, Clock clock) {
        this.name = name;
        this.path = path;
        this.mapping = mapping;
        this.openTimeoutMs = openTimeoutMs;
        this.clock = clock;
        this.opener = Executors.newSingleThreadExecutor(NamedThreads.named("dynport-sink-" + name + "-open"));
    }

    static SinkBuilder read(FieldReader r, JsonNode n, String path, String name) {
        Set<String> fields = new HashSet<>(ServiceMapping.FIELDS);
        fields.addAll(Set.of("path", "open_timeout_ms"));
        r.unknownFields(n, path, SinkFactory.fields(fields));
        Path file = r.anyPath(n, path, "path", null);
        long timeout = r.number(n, path, "open_timeout_ms", 5000, 1, 600_000);
        ServiceMapping mapping = ServiceMapping.read(r, n, path);
        return clock -> new NagiosCmdSink(name, file, mapping, timeout, clock);
    }

    static String name(String s) {
        return s.replaceAll("[;\\r\\n]", "_");
    }

    static String output(String text, List<String> perfdata) {
        String[] lines = text.replace("|", "/").split("\\r?\\n|\\r");
        StringBuilder b = new StringBuilder(lines.length == 0 ? "" : lines[0]);
        if (!perfdata.isEmpty()) {
            b.append('|').append(String.join(" ", perfdata).replaceAll("[\\r\\n]", " "));
        }
        for (int i = 1; i < lines.length; i++) {
            b.append("\\n").append(lines[i]);
        }
        return b.toString();
    }

    static String line(long epochSeconds, ServiceMapping.Result r) {
        String l = "[" + epochSeconds + "] PROCESS_SERVICE_CHECK_RESULT;" + name(r.host()) + ";" + name(r.service())
                + ";" + r.exitStatus() + ";" + output(r.output(), r.perfdata());
        byte[] b = l.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_LINE) {
            l = new String(SyslogSink.cut(b, MAX_LINE), StandardCharsets.UTF_8);
        }
        return l + "\n";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void deliver(Event event) throws DeliveryException {
        List<ServiceMapping.Result> results = mapping.results(event, true);
        if (results.isEmpty()) {
            if (event.type() == EventType.PROBE_FAILED || event.type() == EventType.PROBE_RECOVERED) {
                LOG.info(() -> name + ": " + event.type() + " of " + event.host() + " not written: no port of this "
                        + "host reported since the agent started, so no service to set");
            }
            return;
        }
        long now = clock.instant().getEpochSecond();
        StringBuilder text = new StringBuilder();
        for (ServiceMapping.Result r : results) {
            text.append(line(now, r));
        }
        if (!Files.exists(path)) {
            throw new DeliveryException(true, name + ": command file does not exist [" + path
                    + "]; is Nagios/Icinga running with external commands enabled?");
        }
        try (FileChannel ch = openWithTimeout()) {
            ByteBuffer b = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
        } catch (IOException e) {
            throw new DeliveryException(true, name + ": writing to [" + path + "] failed: " + e, e);
        }
    }

    private FileChannel openWithTimeout() throws DeliveryException, IOException {
        Future<FileChannel> f = opener.submit(() -> FileChannel.open(path, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND));
        try {
            return f.get(openTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // the helper thread is stuck in open(2) until someone opens the FIFO for reading: do it ourselves
            FileChannel unblock = null;
            try {
                unblock = FileChannel.open(path, StandardOpenOption.READ);
                f.get(openTimeoutMs, TimeUnit.MILLISECONDS).close();
            } catch (IOException | ExecutionException | TimeoutException ignored) {
                f.cancel(true);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                f.cancel(true);
            } finally {
                if (unblock != null) {
                    unblock.close();
                }
            }
            throw new DeliveryException(true, name + ": nobody reads the command file [" + path + "] (open timed out "
                    + "after " + openTimeoutMs + " ms); is Nagios/Icinga running?");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof IOException io ? io : new IOException(String.valueOf(c), c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new DeliveryException(true, name + ": interrupted while opening [" + path + "]");
        }
    }

    @Override
    public void close() {
        opener.shutdownNow();
    }
}
