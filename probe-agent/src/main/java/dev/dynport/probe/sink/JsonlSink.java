package dev.dynport.probe.sink;

import dev.dynport.probe.config.FieldReader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dynport.probe.event.Event;
import dev.dynport.probe.event.EventJson;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * {@code jsonl}: one JSON line per event ({@link EventJson}, UTF-8, LF). To a file: opened per event in append
 * mode, written and forced, so log rotation by rename works without a signal. {@code "path": "-"} writes to
 * standard output. Every failure is retryable (disk full, permissions fixed later).
 */
final class JsonlSink implements Sink {
    private final String name;
    private final Path path;
    private final PrintStream stdout;

    JsonlSink(String name, Path path, PrintStream stdout) {
        this.name = name;
        this.path = path;
        this.stdout = stdout;
    }

    static SinkBuilder read(FieldReader r, JsonNode n, String path, String name) {
        r.unknownFields(n, path, SinkFactory.fields(Set.of("path")));
        String p = r.string(n, path, "path", null);
        if (p == null) {
            return null;
        }
        if (p.equals("-")) {
            return clock -> new JsonlSink(name, null, System.out);
        }
        Path file = r.anyPath(n, path, "path", null);
        if (file != null && file.toAbsolutePath().getParent() != null
                && !Files.isDirectory(file.toAbsolutePath().getParent())) {
            r.error(path + "/path is in a directory that does not exist [" + p + "]");
        }
        return clock -> new JsonlSink(name, file, null);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void deliver(Event event) throws DeliveryException {
        byte[] line = (EventJson.toJson(event) + "\n").getBytes(StandardCharsets.UTF_8);
        if (path == null) {
            synchronized (stdout) {
                stdout.write(line, 0, line.length);
                stdout.flush();
                if (stdout.checkError()) {
                    throw new DeliveryException(true, name + ": writing to standard output failed");
                }
            }
            return;
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer b = ByteBuffer.wrap(line);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(false);
        } catch (IOException e) {
            throw new DeliveryException(true, name + ": cannot append to [" + path + "]: " + e, e);
        }
    }
}
