package dev.dynport.probe.sink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dynport.probe.config.ConfigException;
import dev.dynport.probe.config.DeliverySettings;
import dev.dynport.probe.config.FieldReader;
import dev.dynport.probe.spool.Spool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code /spool} and {@code /sinks} sections, read once: typed spool settings and one spec per sink (its
 * name, backoff, and a builder holding its parsed settings, secrets and TLS material).
 */
public final class PipelineSettings implements DeliverySettings {
    static final Set<String> SPOOL_FIELDS = Set.of("dir", "max_bytes", "max_records", "segment_bytes",
            "flush_timeout_ms", "hold_max_events", "hold_max_bytes");

    record SpoolSettings(Spool.Options options, Duration flushTimeout, long holdEvents, long holdBytes) {
    }

    final SpoolSettings spool;
    final List<SinkFactory.Spec> sinks;

    private PipelineSettings(SpoolSettings spool, List<SinkFactory.Spec> sinks) {
        this.spool = spool;
        this.sinks = List.copyOf(sinks);
    }

    @Override
    public String describe() {
        return "spool: " + spool.options().dir() + "\nsinks: " + sinks.size() + " configured ("
                + String.join(", ", sinks.stream().map(s -> s.type() + " " + s.name()).toList()) + ")";
    }

    /** Reads both sections into {@code r}'s errors; null when there is any error. */
    public static PipelineSettings read(FieldReader r, JsonNode spoolConfig, JsonNode sinksConfig) {
        return read(r, spoolConfig, sinksConfig, System.getProperty("os.name", ""));
    }

    static PipelineSettings read(FieldReader r, JsonNode spoolConfig, JsonNode sinksConfig, String osName) {
        SpoolSettings spool = readSpool(r, spoolConfig);
        List<SinkFactory.Spec> specs = SinkFactory.read(r, sinksConfig, osName);
        return r.hasErrors() ? null : new PipelineSettings(spool, specs);
    }

    /** Reads both sections on their own; one exception lists every error, one per line. */
    public static PipelineSettings parse(JsonNode spoolConfig, JsonNode sinksConfig, Map<String, String> env)
            throws ConfigException {
        return parse(spoolConfig, sinksConfig, env, System.getProperty("os.name", ""));
    }

    static PipelineSettings parse(JsonNode spoolConfig, JsonNode sinksConfig, Map<String, String> env, String osName)
            throws ConfigException {
        FieldReader r = new FieldReader(env);
        PipelineSettings s = read(r, spoolConfig, sinksConfig, osName);
        r.throwIfAny();
        return s;
    }

    private static SpoolSettings readSpool(FieldReader r, JsonNode n) {
        if (n == null || !n.isObject()) {
            r.error("/spool must be an object with at least \"dir\" ["
                    + (n == null || n.isMissingNode() ? "missing" : FieldReader.shown(n)) + "]");
            return null;
        }
        r.unknownFields(n, "/spool", SPOOL_FIELDS);
        Path dir = r.anyPath(n, "/spool", "dir", null);
        if (dir != null && Files.exists(dir) && (!Files.isDirectory(dir) || !Files.isWritable(dir))) {
            r.error("/spool/dir is not a writable directory [" + dir + "]");
        }
        long maxBytes = r.number(n, "/spool", "max_bytes", 64L << 20, 4096, 1L << 40);
        long maxRecords = r.number(n, "/spool", "max_records", 100_000, 1, 100_000_000);
        long segmentBytes = r.number(n, "/spool", "segment_bytes", 1L << 20, 4096, 1L << 30);
        long flushMs = r.number(n, "/spool", "flush_timeout_ms", 5000, 0, 600_000);
        long holdEvents = r.number(n, "/spool", "hold_max_events", 10_000, 1, 10_000_000);
        // at least one event of the largest size the spool takes, so a held event never drops itself
        long holdBytes = r.number(n, "/spool", "hold_max_bytes", 16L << 20, Spool.MAX_PAYLOAD_BYTES, 1L << 30);
        if (dir == null || r.hasErrors()) {
            return null;
        }
        return new SpoolSettings(new Spool.Options(dir, maxBytes, maxRecords, segmentBytes),
                Duration.ofMillis(flushMs), holdEvents, holdBytes);
    }
}
