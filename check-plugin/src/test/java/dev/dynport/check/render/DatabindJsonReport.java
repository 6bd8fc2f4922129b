package dev.dynport.check.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynport.check.judge.CheckResult;
import dev.dynport.check.judge.Finding;
import dev.dynport.check.judge.Holder;
import dev.dynport.check.judge.PerfDatum;
import dev.dynport.check.judge.PortReport;
import dev.dynport.check.model.CaptureInfo;
import dev.dynport.check.model.DynamicRange;
import dev.dynport.check.model.ExcludedRange;
import dev.dynport.check.model.ExcludedRanges;
import dev.dynport.check.model.Family;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * {@code --format json}: the same {@link CheckResult} as the Nagios text. Field names are part of the
 * interface (README); families without data are {@code null}, never omitted.
 */
final class DatabindJsonReport {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DatabindJsonReport() {
    }

    static String render(CheckResult result) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("state", result.state().name());
        root.put("exit_code", result.state().exitCode());
        root.put("summary", result.summary());
        if (result.failure() != null) {
            root.put("acquisition_failure", result.failure().name().toLowerCase(Locale.ROOT));
        } else {
            root.putNull("acquisition_failure");
        }
        ArrayNode problems = root.putArray("problems");
        result.problems().forEach(problems::add);
        CaptureInfo info = result.captureInfo();
        if (info == null) {
            root.putNull("capture");
        } else {
            ObjectNode c = root.putObject("capture");
            c.put("host", info.host());
            c.put("captured_at", info.capturedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
            c.put("host_utc_offset", info.hostOffset().getId());
            c.put("os_version", info.osVersion());
        }

        ObjectNode ranges = root.putObject("dynamic_ranges");
        ObjectNode exclusions = root.putObject("exclusions");
        for (Family family : Family.values()) {
            DynamicRange range = result.dynamicRanges().get(family);
            if (range == null) {
                ranges.putNull(family.label());
            } else {
                ObjectNode r = ranges.putObject(family.label());
                r.put("start", range.start());
                r.put("count", range.count());
                r.put("end", range.end());
            }
            ExcludedRanges table = result.exclusions().get(family);
            if (table == null) {
                exclusions.putNull(family.label());
            } else {
                ArrayNode rows = exclusions.putArray(family.label());
                for (ExcludedRange x : table.ranges()) {
                    ObjectNode row = rows.addObject();
                    row.put("start", x.start());
                    row.put("end", x.end());
                    row.put("administered", x.administered());
                }
            }
        }

        ArrayNode ports = root.putArray("ports");
        for (PortReport report : result.ports()) {
            ObjectNode p = ports.addObject();
            p.put("port", report.port().port());
            p.put("label", report.port().label());
            p.put("origin", report.port().origin().name().toLowerCase(Locale.ROOT));
            ArrayNode owners = p.putArray("owners");
            report.port().owners().forEach(owners::add);
            p.put("state", report.state().name());
            ArrayNode findings = p.putArray("findings");
            for (Finding f : report.findings()) {
                ObjectNode o = findings.addObject();
                o.put("code", f.code().name());
                o.put("family", f.family().label());
                o.put("state", f.state().name());
                o.put("text", f.text());
            }
            ArrayNode holders = p.putArray("holders");
            for (Holder h : report.holders()) {
                ObjectNode o = holders.addObject();
                o.put("pid", h.pid());
                o.put("image", h.image());
                ArrayNode services = o.putArray("services");
                h.services().forEach(services::add);
                o.put("family", h.family().label());
                o.put("local_address", h.localAddress());
                o.put("tcp_state", h.tcpState());
                o.put("owner", h.owner());
            }
            ArrayNode portRemediation = p.putArray("remediation");
            report.remediation().forEach(portRemediation::add);
            ArrayNode portNotes = p.putArray("notes");
            report.notes().forEach(portNotes::add);
        }
        ArrayNode remediation = root.putArray("remediation");
        result.remediation().forEach(remediation::add);
        ArrayNode notes = root.putArray("notes");
        result.notes().forEach(notes::add);
        ObjectNode perf = root.putObject("perfdata");
        for (PerfDatum d : result.perfdata()) {
            perf.put(d.label(), d.value());
        }
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
