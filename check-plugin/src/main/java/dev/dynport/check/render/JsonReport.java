package dev.dynport.check.render;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.dynport.check.judge.CheckResult;
import dev.dynport.check.judge.DynamicUsage;
import dev.dynport.check.judge.Finding;
import dev.dynport.check.judge.Holder;
import dev.dynport.check.judge.PerfDatum;
import dev.dynport.check.judge.PortReport;
import dev.dynport.check.model.Family;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --format json}: the same {@link CheckResult} as the Nagios text. Field names are part of the
 * interface (README); families without data are {@code null}, never omitted.
 *
 * <p>Written with jackson-core's streaming generator and its default pretty printer, which is what databind's
 * {@code writerWithDefaultPrettyPrinter()} drives: the same bytes without databind's
 * ~400 classes and its reflective set-up, about a third of a {@code --format json} run (docs/startup.md).
 */
public final class JsonReport {
    private JsonReport() {
    }

    public static String render(CheckResult result) {
        StringWriter text = new StringWriter(4096);
        try (JsonGenerator g = new JsonFactory().createGenerator(text)) {
            g.setPrettyPrinter(new DefaultPrettyPrinter());
            write(g, result);
        } catch (IOException e) {
            // A StringWriter does not fail; the generator's signature says it might.
            throw new UncheckedIOException(e);
        }
        return text.append('\n').toString();
    }

    private static void write(JsonGenerator g, CheckResult result) throws IOException {
        g.writeStartObject();
        g.writeStringField("state", result.state().name());
        g.writeNumberField("exit_code", result.state().exitCode());
        g.writeStringField("summary", result.summary());
        g.writeStringField("acquisition_failure",
                result.failure() == null ? null : result.failure().name().toLowerCase(Locale.ROOT));
        JsonParts.strings(g, "problems", result.problems());
        JsonParts.capture(g, result.captureInfo());
        JsonParts.ranges(g, result.dynamicRanges());
        JsonParts.exclusions(g, result.exclusions());
        g.writeArrayFieldStart("ports");
        for (PortReport report : result.ports()) {
            port(g, report);
        }
        g.writeEndArray();
        JsonParts.strings(g, "remediation", result.remediation());
        JsonParts.strings(g, "notes", result.notes());
        usage(g, result);
        // A label given twice keeps its first place and its last value, as a JSON object built key by key would.
        Map<String, Long> perfdata = new LinkedHashMap<>();
        for (PerfDatum d : result.perfdata()) {
            perfdata.put(d.label(), d.value());
        }
        g.writeObjectFieldStart("perfdata");
        for (Map.Entry<String, Long> d : perfdata.entrySet()) {
            g.writeNumberField(d.getKey(), d.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /** Dynamic port usage per family (docs/usage.md); a family whose usage was not counted is null. */
    private static void usage(JsonGenerator g, CheckResult result) throws IOException {
        g.writeObjectFieldStart("dynamic_usage");
        for (Family family : Family.values()) {
            DynamicUsage u = null;
            for (DynamicUsage x : result.usage()) {
                if (x.family() == family) {
                    u = x;
                }
            }
            if (u == null) {
                g.writeNullField(family.label());
                continue;
            }
            g.writeObjectFieldStart(family.label());
            g.writeNumberField("used", u.used());
            g.writeNumberField("available", u.available());
            g.writeNumberField("excluded", u.excluded());
            g.writeNumberField("range_start", u.range().start());
            g.writeNumberField("range_end", u.range().end());
            g.writeStringField("state", u.state().name());
            g.writeStringField("warning", u.warning() == null ? null : u.warning().perfdata());
            g.writeStringField("critical", u.critical() == null ? null : u.critical().perfdata());
            g.writeArrayFieldStart("top_consumers");
            for (DynamicUsage.Consumer c : u.top()) {
                g.writeStartObject();
                g.writeNumberField("pid", c.pid());
                g.writeStringField("image", c.image());
                JsonParts.strings(g, "services", c.services());
                g.writeNumberField("ports", c.ports());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void port(JsonGenerator g, PortReport report) throws IOException {
        g.writeStartObject();
        g.writeNumberField("port", report.port().port());
        g.writeStringField("label", report.port().label());
        g.writeStringField("origin", report.port().origin().name().toLowerCase(Locale.ROOT));
        JsonParts.strings(g, "owners", report.port().owners());
        g.writeStringField("state", report.state().name());
        g.writeArrayFieldStart("findings");
        for (Finding f : report.findings()) {
            g.writeStartObject();
            g.writeStringField("code", f.code().name());
            g.writeStringField("family", f.family().label());
            g.writeStringField("state", f.state().name());
            g.writeStringField("text", f.text());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("holders");
        for (Holder h : report.holders()) {
            g.writeStartObject();
            g.writeNumberField("pid", h.pid());
            g.writeStringField("image", h.image());
            JsonParts.strings(g, "services", h.services());
            g.writeStringField("family", h.family().label());
            g.writeStringField("local_address", h.localAddress());
            g.writeStringField("tcp_state", h.tcpState());
            g.writeBooleanField("owner", h.owner());
            g.writeEndObject();
        }
        g.writeEndArray();
        JsonParts.strings(g, "remediation", report.remediation());
        JsonParts.strings(g, "notes", report.notes());
        g.writeEndObject();
    }
}
