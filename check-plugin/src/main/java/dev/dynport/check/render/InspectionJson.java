package dev.dynport.check.render;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.dynport.check.judge.AuditResult;
import dev.dynport.check.judge.ExplainResult;
import dev.dynport.check.judge.Holder;
import dev.dynport.check.judge.PerfDatum;
import dev.dynport.check.model.CaptureInfo;
import dev.dynport.check.model.Family;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * {@code --audit --format json} and {@code --explain PORT --format json}, written with jackson-core's streaming
 * generator (no tree in memory besides the result). Field names are part of the interface (docs/audit.md); a value
 * that is not known is {@code null}, never left out; {@code mode} says which of the two documents it is.
 */
public final class InspectionJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private InspectionJson() {
    }

    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    public static String audit(AuditResult r) {
        return document(g -> {
            head(g, "audit", r.state().name(), r.state().exitCode(), r.summary(), r.failure(), r.problems(),
                    r.captureInfo());
            JsonParts.ranges(g, r.dynamicRanges());
            JsonParts.exclusions(g, r.exclusions());
            g.writeArrayFieldStart("groups");
            for (AuditResult.Group group : r.groups()) {
                g.writeStartObject();
                g.writeStringField("kind", group.kind().name());
                g.writeNumberField("pid", group.pid());
                g.writeStringField("image", group.image());
                JsonParts.strings(g, "services", group.services());
                g.writeArrayFieldStart("listeners");
                for (AuditResult.Listener l : group.listeners()) {
                    g.writeStartObject();
                    g.writeNumberField("port", l.port());
                    g.writeStringField("label", l.label());
                    JsonParts.strings(g, "families", l.families().stream().map(Family::label).toList());
                    JsonParts.strings(g, "addresses", l.addresses());
                    g.writeStringField("detail", l.detail());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            if (r.failure() == null && r.problems().isEmpty()) {
                g.writeNumberField("outside_range_listening_ports", r.outsideRange());
            } else {
                g.writeNullField("outside_range_listening_ports");
            }
            JsonParts.strings(g, "remediation", r.remediation());
            JsonParts.strings(g, "notes", r.notes());
            g.writeObjectFieldStart("perfdata");
            for (PerfDatum d : r.perfdata()) {
                g.writeNumberField(d.label(), d.value());
            }
            g.writeEndObject();
        });
    }

    public static String explain(ExplainResult r) {
        return document(g -> {
            head(g, "explain", r.state().name(), r.state().exitCode(), r.summary(), r.failure(), r.problems(),
                    r.captureInfo());
            g.writeNumberField("port", r.port());
            g.writeArrayFieldStart("answers");
            for (ExplainResult.Answer a : r.answers()) {
                g.writeStartObject();
                g.writeStringField("family", a.family().label());
                g.writeStringField("verdict", a.verdict().name());
                g.writeStringField("state", a.state().name());
                g.writeStringField("bind_error", a.bindError());
                g.writeStringField("text", a.text());
                g.writeArrayFieldStart("holders");
                for (Holder h : a.holders()) {
                    g.writeStartObject();
                    g.writeNumberField("pid", h.pid());
                    g.writeStringField("image", h.image());
                    JsonParts.strings(g, "services", h.services());
                    g.writeStringField("local_address", h.localAddress());
                    g.writeStringField("tcp_state", h.tcpState());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            JsonParts.strings(g, "remediation", r.remediation());
            JsonParts.strings(g, "notes", r.notes());
        });
    }

    private static String document(Body body) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(text)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text + "\n";
    }

    private static void head(JsonGenerator g, String mode, String state, int exitCode, String summary,
            dev.dynport.check.acquire.AcquisitionException.Failure failure, List<String> problems, CaptureInfo info)
            throws IOException {
        g.writeStringField("mode", mode);
        g.writeStringField("state", state);
        g.writeNumberField("exit_code", exitCode);
        g.writeStringField("summary", summary);
        g.writeStringField("acquisition_failure", failure == null ? null : failure.name().toLowerCase(Locale.ROOT));
        JsonParts.strings(g, "problems", problems);
        JsonParts.capture(g, info);
    }
}
