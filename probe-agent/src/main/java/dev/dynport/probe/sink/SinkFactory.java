package dev.dynport.probe.sink;

import dev.dynport.probe.config.FieldReader;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the {@code sinks} array: common fields here, type-specific ones in each sink's {@code read}. */
final class SinkFactory {
    static final Set<String> TYPES = Set.of("jsonl", "webhook", "icinga2", "pagerduty", "syslog", "nagios-cmd",
            "windows-eventlog");
    static final Set<String> COMMON_FIELDS = Set.of("type", "name", "retry_initial_ms", "retry_max_ms");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    record Spec(String name, String type, Backoff backoff, SinkBuilder builder) {
    }

    private SinkFactory() {
    }

    static Set<String> fields(Set<String> specific) {
        Set<String> all = new HashSet<>(COMMON_FIELDS);
        all.addAll(specific);
        return all;
    }

    static List<Spec> read(FieldReader r, JsonNode sinks, String osName) {
        List<Spec> specs = new ArrayList<>();
        if (sinks == null || !sinks.isArray() || sinks.isEmpty()) {
            r.error("/sinks must be a non-empty array of sink objects ["
                    + (sinks == null || sinks.isMissingNode() ? "missing" : FieldReader.shown(sinks)) + "]");
            return specs;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < sinks.size(); i++) {
            String path = "/sinks/" + i;
            JsonNode n = sinks.get(i);
            if (!n.isObject()) {
                r.error(path + " must be an object [" + FieldReader.shown(n) + "]");
                continue;
            }
            int before = r.errorCount();
            String type = r.oneOf(n, path, "type", null, TYPES);
            if (type == null) {
                continue;
            }
            String name = r.string(n, path, "name", type);
            if (name != null && !NAME.matcher(name).matches()) {
                r.error(path + "/name must be 1-64 characters of A-Z a-z 0-9 . _ - (it names the cursor file) ["
                        + name + "]");
            } else if (name != null && !names.add(name)) {
                r.error(path + "/name is used by another sink; give each sink of a type its own name [" + name + "]");
            }
            long initial = r.number(n, path, "retry_initial_ms", 1000, 1, 3_600_000);
            long max = r.number(n, path, "retry_max_ms", 300_000, 1, 86_400_000);
            if (max < initial) {
                r.error(String.format(Locale.ROOT, "%s/retry_max_ms must not be below retry_initial_ms [%d < %d]",
                        path, max, initial));
                max = initial;
            }
            SinkBuilder builder = switch (type) {
                case "jsonl" -> JsonlSink.read(r, n, path, name);
                case "webhook" -> WebhookSink.read(r, n, path, name);
                case "icinga2" -> Icinga2Sink.read(r, n, path, name);
                case "pagerduty" -> PagerDutySink.read(r, n, path, name);
                case "syslog" -> SyslogSink.read(r, n, path, name);
                case "nagios-cmd" -> NagiosCmdSink.read(r, n, path, name);
                case "windows-eventlog" -> WindowsEventLogSink.read(r, n, path, name, osName);
                default -> throw new IllegalStateException(type);
            };
            if (r.errorCount() == before) {
                specs.add(new Spec(name, type, new Backoff(Duration.ofMillis(initial), Duration.ofMillis(max)),
                        builder));
            }
        }
        return specs;
    }
}
