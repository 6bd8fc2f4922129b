package dev.dynport.probe.sink;

import dev.dynport.probe.config.FieldReader;
import dev.dynport.check.util.Text;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dynport.probe.event.Event;
import dev.dynport.probe.event.WireState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code windows-eventlog}: writes each event to the Application log with the built-in {@code eventcreate}:
 * <pre>
 * eventcreate /T ERROR|WARNING|INFORMATION /ID &lt;1-1000&gt; /L APPLICATION /SO &lt;source&gt; /D "&lt;text&gt;"
 * </pre>
 * run with a fixed argument list (no shell, so {@code % ^ &amp;} in text mean nothing). Type: CRITICAL and
 * PROBE_FAILED → ERROR; WARNING, UNKNOWN and EVENTS_DROPPED → WARNING; the rest → INFORMATION. The text is one
 * line (line breaks → {@code " | "}), double quotes become {@code '} (Windows argument quoting cannot carry them
 * safely), cut to {@value #MAX_TEXT} characters. eventcreate can only write to custom sources and registers a
 * new source on first use, which needs administrator rights. A non-zero exit is not retryable (wrong source,
 * rights); failing to start or a timeout is. Only on Windows: elsewhere the config is rejected.
 */
final class WindowsEventLogSink implements Sink {
    static final int MAX_TEXT = 4000;

    private final String name;
    private final String source;
    private final long timeoutMs;

    WindowsEventLogSink(String name, String source, long timeoutMs) {
        this.name = name;
        this.source = source;
        this.timeoutMs = timeoutMs;
    }

    static SinkBuilder read(FieldReader r, JsonNode n, String path, String name, String osName) {
        if (!osName.toLowerCase(Locale.ROOT).startsWith("windows")) {
            r.error(path + "/type windows-eventlog is only available on Windows (it runs eventcreate); this agent "
                    + "runs on [" + osName + "]");
        }
        r.unknownFields(n, path, SinkFactory.fields(Set.of("source", "timeout_ms")));
        String source = r.string(n, path, "source", "dynport");
        if (source != null && (source.contains("\"") || source.length() > 200)) {
            r.error(path + "/source must be at most 200 characters without quotes [" + source + "]");
        }
        long timeout = r.number(n, path, "timeout_ms", 15_000, 1, 600_000);
        return clock -> new WindowsEventLogSink(name, source, timeout);
    }

    static String type(Event e) {
        switch (e.type()) {
            case PROBE_FAILED:
                return "ERROR";
            case EVENTS_DROPPED:
                return "WARNING";
            case PORT_STATE_CHANGED:
            case PORT_RENOTIFY:
            case USAGE_STATE_CHANGED:
            case USAGE_RENOTIFY:
                if (e.state() == null) {
                    return "INFORMATION";
                }
                return switch (e.state()) {
                    case CRITICAL -> "ERROR";
                    case WARNING, UNKNOWN -> "WARNING";
                    case OK -> "INFORMATION";
                };
            default:
                return "INFORMATION";
        }
    }

    static String text(Event e) {
        StringBuilder b = new StringBuilder("dynport ").append(e.host());
        if (e.port() != null) {
            b.append(' ').append(e.port()).append('/').append(e.family());
        } else if (e.type().isUsage()) {
            b.append(" usage/").append(e.family());
        }
        if (e.state() != null) {
            b.append(' ').append(WireState.name(e.state()));
        }
        b.append(": ").append(e.summary() == null ? e.type().name() : e.summary());
        if (e.details() != null && !e.details().isBlank() && !e.details().equals(e.summary())) {
            b.append(" | ").append(e.details());
        }
        for (String r : e.remediation()) {
            b.append(" | fix: ").append(r);
        }
        b.append(" | event ").append(e.id());
        String t = b.toString().replaceAll("\\r?\\n|\\r", " | ").replace('"', '\'');
        t = Text.fit(t, MAX_TEXT);
        // a trailing backslash would escape the closing quote Windows adds around the argument
        while (t.endsWith("\\")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    static List<String> arguments(Event e, String source) throws DeliveryException {
        if (e.eventId() < 1 || e.eventId() > 1000) {
            throw new DeliveryException(false, "event id outside eventcreate's range 1-1000 [" + e.eventId() + "]");
        }
        List<String> a = new ArrayList<>();
        a.add("eventcreate");
        a.add("/T");
        a.add(type(e));
        a.add("/ID");
        a.add(Integer.toString(e.eventId()));
        a.add("/L");
        a.add("APPLICATION");
        a.add("/SO");
        a.add(source);
        a.add("/D");
        a.add(text(e));
        return a;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void deliver(Event event) throws DeliveryException {
        List<String> args = arguments(event, source);
        Process p;
        try {
            p = new ProcessBuilder(args).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new DeliveryException(true, name + ": cannot run eventcreate: " + e, e);
        }
        try (InputStream in = p.getInputStream()) {
            p.getOutputStream().close();
            if (!p.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new DeliveryException(true, name + ": eventcreate did not finish within " + timeoutMs + " ms");
            }
            String out = new String(in.readNBytes(4096), Charset.defaultCharset()).strip();
            if (p.exitValue() != 0) {
                throw new DeliveryException(false, name + ": eventcreate exited " + p.exitValue() + ": "
                        + HttpPoster.snippet(out));
            }
        } catch (IOException e) {
            throw new DeliveryException(true, name + ": eventcreate failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new DeliveryException(true, name + ": interrupted while waiting for eventcreate");
        }
    }
}
