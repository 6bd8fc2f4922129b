package dev.dynport.probe.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.probe.event.Event;
import dev.dynport.probe.event.EventJson;
import dev.dynport.check.model.State;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlSinkTest {
    @TempDir
    Path dir;

    @Test
    void appendsOneParseableLinePerEvent() throws Exception {
        Path f = dir.resolve("events.jsonl");
        Files.writeString(f, "{\"earlier\":true}\n");
        Sink s = TestSinks.build("{'type': 'jsonl', 'path': '" + f + "'}", Map.of());
        Event a = TestEvents.port("ex01", 9955, "ipv4", State.CRITICAL, null, "multi\nline \"text\"");
        Event b = TestEvents.heartbeat();
        s.deliver(a);
        s.deliver(b);
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        assertEquals(3, lines.size());
        assertEquals(a, EventJson.fromBytes(lines.get(1).getBytes(StandardCharsets.UTF_8)));
        assertEquals(b, EventJson.fromBytes(lines.get(2).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void writesToStandardOutputWithDash() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonlSink s = new JsonlSink("jsonl", null, new PrintStream(out, true, StandardCharsets.UTF_8));
        s.deliver(TestEvents.heartbeat());
        assertTrue(out.toString(StandardCharsets.UTF_8).matches(
                "\\{\"schema_version\":" + Event.SCHEMA_VERSION + ",.*}\n"),
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unwritableFileIsRetryable() throws Exception {
        Path d = dir.resolve("sub");
        Files.createDirectory(d);
        Sink s = TestSinks.build("{'type': 'jsonl', 'path': '" + d + "'}", Map.of());
        DeliveryException e = assertThrows(DeliveryException.class, () -> s.deliver(TestEvents.heartbeat()));
        assertTrue(e.retryable());
    }

    @Test
    void missingDirectoryIsAConfigError() {
        assertEquals("/sinks/0/path is in a directory that does not exist [/nonexistent/dir/e.jsonl]",
                TestSinks.configError("{'type': 'jsonl', 'path': '/nonexistent/dir/e.jsonl'}", Map.of()));
    }
}
