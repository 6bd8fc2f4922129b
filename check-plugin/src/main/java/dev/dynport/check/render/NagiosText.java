package dev.dynport.check.render;

import dev.dynport.check.judge.CheckResult;
import dev.dynport.check.judge.DynamicUsage;
import dev.dynport.check.judge.Finding;
import dev.dynport.check.judge.Holder;
import dev.dynport.check.judge.PerfDatum;
import dev.dynport.check.judge.PortReport;
import dev.dynport.check.model.CaptureInfo;
import dev.dynport.check.model.DynamicRange;
import dev.dynport.check.model.ExcludedRange;
import dev.dynport.check.model.ExcludedRanges;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.HostFacts;
import dev.dynport.check.model.Platform;
import dev.dynport.check.model.ProcessInfo;
import dev.dynport.check.model.TcpEndpoint;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Plugin output per the Monitoring Plugins guidelines:
 *
 * <pre>
 * DYNPORT STATE - summary | perfdata
 * [STATE] finding           (one line per finding, worst port first)
 * Captured: HOST at TIME UTC (host offset), Windows VERSION     (when the snapshot has capture-info)
 * Dynamic port range: ...
 * Exclusions: ...
 * Dynamic ports in use ipv4: ...  (one line per family whose usage was counted)
 * Remediation: ...          (exact netsh commands, then caveats)
 * </pre>
 *
 * Host-supplied text (image and service names, state words) passes through {@link #clean} so that no '|'
 * reaches the human text, where Nagios would take it for the start of perfdata.
 */
public final class NagiosText {
    public static final String SERVICE = "DYNPORT";

    private NagiosText() {
    }

    public static String render(CheckResult result, boolean verbose) {
        StringBuilder out = new StringBuilder();
        out.append(statusLine(result));
        String perf = perfdata(result.perfdata());
        if (!perf.isEmpty()) {
            out.append(" | ").append(perf);
        }
        out.append('\n');
        for (String problem : result.problems()) {
            if (result.failure() == null) {
                out.append("[UNKNOWN] ").append(clean(problem)).append('\n');
            }
        }
        List<PortReport> worstFirst = new ArrayList<>(result.ports());
        worstFirst.sort(WORST_FIRST);
        for (PortReport report : worstFirst) {
            for (Finding f : report.findings()) {
                out.append('[').append(f.state()).append("] ").append(f.code()).append(": ")
                        .append(clean(f.text())).append('\n');
            }
        }
        if (result.captureInfo() != null) {
            CaptureInfo c = result.captureInfo();
            out.append("Captured: ").append(clean(c.host())).append(" at ")
                    .append(c.capturedAt().truncatedTo(ChronoUnit.SECONDS)).append(" (host offset ")
                    .append(c.hostOffset().getId()).append("), ")
                    // a Linux capture keeps "Linux RELEASE" whole; Windows keeps the bare version number
                    .append(c.osVersion().startsWith("Linux ") ? "" : "Windows ").append(clean(c.osVersion())).append('\n');
        }
        if (!result.dynamicRanges().isEmpty()) {
            out.append("Dynamic port range: ").append(ranges(result.dynamicRanges())).append('\n');
        }
        if (!result.exclusions().isEmpty()) {
            out.append("Exclusions (* administered): ").append(exclusions(result.exclusions())).append('\n');
        }
        for (DynamicUsage u : result.usage()) {
            out.append(usage(u)).append('\n');
        }
        if (!result.remediation().isEmpty()) {
            out.append("Remediation:\n");
            for (String command : result.remediation()) {
                out.append("  ").append(clean(command)).append('\n');
            }
        }
        for (String note : result.notes()) {
            out.append("Note: ").append(clean(note)).append('\n');
        }
        if (verbose && result.evidence() != null) {
            appendEvidence(out, result);
        }
        return out.toString();
    }

    /**
     * NRPE v2 (check_nrpe, NSClient++ by default) carries at most 1024 bytes of output, its terminating NUL
     * included, and cuts the rest: the long output, and with it perfdata written after it, would be lost or cut.
     */
    public static final int NRPE_V2_MAX_BYTES = 1023;

    /**
     * {@code --format nrpe}: the status line and the perfdata on one line, nothing else, in at most
     * {@link #NRPE_V2_MAX_BYTES} UTF-8 bytes with the newline. When that does not fit, the summary is cut (marked
     * with "...") and never the perfdata, which graphs and thresholds read; the state word is never cut. Perfdata
     * that alone would not fit beside the state is kept whole all the same: a cut datum is worse than a long line.
     */
    public static String renderShort(CheckResult result) {
        String perf = perfdata(result.perfdata());
        String tail = perf.isEmpty() ? "\n" : " | " + perf + "\n";
        String head = SERVICE + " " + result.state() + " - ";
        String summary = clean(result.summary());
        int room = NRPE_V2_MAX_BYTES - utf8Length(head) - utf8Length(tail);
        if (utf8Length(summary) > room) {
            summary = cutToUtf8Bytes(summary, Math.max(0, room - ELLIPSIS.length())).stripTrailing() + ELLIPSIS;
        }
        return head + summary + tail;
    }

    private static final String ELLIPSIS = "...";

    private static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /** The longest prefix of whole code points that takes at most {@code max} bytes in UTF-8. */
    private static String cutToUtf8Bytes(String s, int max) {
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > max) {
                break;
            }
            bytes += len;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }

    public static String statusLine(CheckResult result) {
        return SERVICE + " " + result.state() + " - " + clean(result.summary());
    }

    /** {@code 'label'=value[uom]}, space-separated; labels quoted only where needed. */
    public static String perfdata(List<PerfDatum> data) {
        return PerfDatum.nagios(data);
    }

    /** One line, no '|': the perfdata separator must never appear in human text. */
    public static String clean(String text) {
        return text.replace('|', '/').replace('\r', ' ').replace('\n', ' ');
    }

    /**
     * {@code Dynamic ports in use ipv4: 812 of 16284 (5.0%; range 49152-65535, 100 excluded); most by: PID 3333
     * w3wp.exe (W3SVC) 600, PID 0 (TIME_WAIT) 212}
     */
    static String usage(DynamicUsage u) {
        StringBuilder sb = new StringBuilder("Dynamic ports in use ").append(u.family().label()).append(": ")
                .append(u.used()).append(" of ").append(u.available()).append(" (").append(u.percentText())
                .append("; range ").append(u.range().start()).append('-').append(u.range().end()).append(", ")
                .append(u.excluded()).append(" excluded)");
        if (u.state() != dev.dynport.check.model.State.OK) {
            sb.append(" [").append(u.state()).append(']');
        }
        if (!u.top().isEmpty()) {
            StringJoiner most = new StringJoiner(", ");
            for (DynamicUsage.Consumer c : u.top()) {
                most.add("PID " + c.pid() + " " + clean(c.image())
                        + (c.services().isEmpty() ? "" : " (" + clean(String.join(", ", c.services())) + ")")
                        + " " + c.ports());
            }
            sb.append("; most by: ").append(most);
        }
        return sb.toString();
    }

    // Loops rather than streams and lambdas here and above: each lambda and stream shape costs a first-use link at
    // start-up, which is most of what a check run does (docs/startup.md).
    private static String ranges(Map<Family, DynamicRange> ranges) {
        StringJoiner text = new StringJoiner(", ");
        for (Family family : Family.values()) {
            DynamicRange r = ranges.get(family);
            if (r != null) {
                text.add(family.label() + " " + r.start() + "-" + r.end() + " (" + r.count() + " ports)");
            }
        }
        return text.toString();
    }

    private static String exclusions(Map<Family, ExcludedRanges> exclusions) {
        StringJoiner text = new StringJoiner("; ");
        for (Family family : Family.values()) {
            ExcludedRanges table = exclusions.get(family);
            if (table != null) {
                StringJoiner rows = new StringJoiner(", ");
                rows.setEmptyValue("none");
                for (ExcludedRange r : table.ranges()) {
                    rows.add(range(r));
                }
                text.add(family.label() + " " + rows);
            }
        }
        return text.toString();
    }

    /** Worst state first; equal states keep their order (List.sort is stable). */
    private static final Comparator<PortReport> WORST_FIRST = new Comparator<>() {
        @Override
        public int compare(PortReport a, PortReport b) {
            return a.state() == b.state() ? 0 : a.state().isWorseThan(b.state()) ? -1 : 1;
        }
    };

    private static String range(ExcludedRange r) {
        return (r.start() == r.end() ? String.valueOf(r.start()) : r.start() + "-" + r.end()) + (r.administered() ? "*" : "");
    }

    private static void appendEvidence(StringBuilder out, CheckResult result) {
        HostFacts facts = result.evidence();
        // Linux rows and process names come from ss; the words say which command the reader should look at.
        String sockets = facts.platform() == Platform.LINUX ? "ss" : "netstat";
        out.append("Evidence: ").append(sockets).append(" TCP rows ").append(facts.netstat().tcpRows())
                .append(facts.platform() == Platform.LINUX ? ", processes named " : ", tasklist processes ")
                .append(facts.processes().processes().size()).append('\n');
        Map<Integer, ProcessInfo> processes = facts.processes().indexByPid();
        for (PortReport report : result.ports()) {
            // Appended, not String.format: the formatter sets up the JDK's locale data (docs/startup.md). The line
            // end stays the platform's, as %n gave.
            out.append("  port ").append(report.port().port()).append(" (").append(clean(report.port().label()))
                    .append(", ").append(report.port().origin().name().toLowerCase(Locale.ROOT)).append(", owners ")
                    .append(String.join("/", report.port().owners())).append(')').append(System.lineSeparator());
            for (Family family : Family.values()) {
                for (TcpEndpoint e : facts.netstat().onLocalPort(report.port().port(), family)) {
                    ProcessInfo p = processes.get(e.pid());
                    out.append("    ").append(sockets).append(' ').append(family.label()).append(' ')
                            .append(clean(e.localAddress())).append(':').append(e.localPort()).append(" -> ")
                            .append(clean(e.foreignAddress())).append(':').append(e.foreignPort()).append(' ')
                            .append(clean(e.stateWord())).append(" PID ")
                            .append(e.ownerUnknown() ? "?" : String.valueOf(e.pid()))
                            .append(p == null ? "" : " " + clean(p.image()) + (p.services().isEmpty() ? ""
                                    : " (" + clean(String.join(", ", p.services())) + ")"))
                            .append('\n');
                }
            }
            for (Holder h : report.holders()) {
                if (h.owner()) {
                    out.append("    owner ").append(clean(h.image())).append(" PID ").append(h.pid()).append(' ')
                            .append(clean(h.localAddress())).append(' ').append(clean(h.tcpState())).append('\n');
                }
            }
        }
    }
}
