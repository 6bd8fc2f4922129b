package dev.dynport.check.render;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.dynport.check.model.CaptureInfo;
import dev.dynport.check.model.DynamicRange;
import dev.dynport.check.model.ExcludedRange;
import dev.dynport.check.model.ExcludedRanges;
import dev.dynport.check.model.Family;
import java.io.IOException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * The fields the check's JSON ({@link JsonReport}) and the audit/explain JSON ({@link InspectionJson}) share, written
 * once so that the same facts have the same shape in every document. Plain loops: this is on the check's start-up
 * path (docs/startup.md).
 */
final class JsonParts {
    private JsonParts() {
    }

    /** {@code capture}: host, time and OS of the snapshot, or null when it has no readable capture-info. */
    static void capture(JsonGenerator g, CaptureInfo info) throws IOException {
        if (info == null) {
            g.writeNullField("capture");
            return;
        }
        g.writeObjectFieldStart("capture");
        g.writeStringField("host", info.host());
        g.writeStringField("captured_at", info.capturedAt().truncatedTo(ChronoUnit.SECONDS).toString());
        g.writeStringField("host_utc_offset", info.hostOffset().getId());
        g.writeStringField("os_version", info.osVersion());
        g.writeEndObject();
    }

    /** {@code dynamic_ranges}: per family start, count and end; null for a family not read. */
    static void ranges(JsonGenerator g, Map<Family, DynamicRange> ranges) throws IOException {
        g.writeObjectFieldStart("dynamic_ranges");
        for (Family family : Family.values()) {
            DynamicRange range = ranges.get(family);
            if (range == null) {
                g.writeNullField(family.label());
            } else {
                g.writeObjectFieldStart(family.label());
                g.writeNumberField("start", range.start());
                g.writeNumberField("count", range.count());
                g.writeNumberField("end", range.end());
                g.writeEndObject();
            }
        }
        g.writeEndObject();
    }

    /** {@code exclusions}: per family the rows with their administered mark; null for a family not read. */
    static void exclusions(JsonGenerator g, Map<Family, ExcludedRanges> exclusions) throws IOException {
        g.writeObjectFieldStart("exclusions");
        for (Family family : Family.values()) {
            ExcludedRanges table = exclusions.get(family);
            if (table == null) {
                g.writeNullField(family.label());
            } else {
                g.writeArrayFieldStart(family.label());
                for (ExcludedRange x : table.ranges()) {
                    g.writeStartObject();
                    g.writeNumberField("start", x.start());
                    g.writeNumberField("end", x.end());
                    g.writeBooleanField("administered", x.administered());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
        }
        g.writeEndObject();
    }

    static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
