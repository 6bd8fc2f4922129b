package dev.dynport.check.judge;

import dev.dynport.check.model.DynamicRange;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.HostFacts;
import dev.dynport.check.model.State;
import dev.dynport.check.model.TcpEndpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/** The status-line text: the problems and non-OK findings, worst first; or what was checked when all is OK. */
final class Summary {
    static final int MAX_ITEMS = 4;

    private Summary() {
    }

    static String of(List<PortReport> reports, List<String> problems, HostFacts facts) {
        return of(reports, problems, facts, List.of());
    }

    /** As above; usage over a threshold comes first at its level: it concerns the whole host, not one port. */
    static String of(List<PortReport> reports, List<String> problems, HostFacts facts, List<DynamicUsage> usage) {
        Map<Family, DynamicRange> ranges = facts.dynamicRanges();
        List<String> items = new ArrayList<>(problems);
        for (State level : List.of(State.CRITICAL, State.WARNING, State.UNKNOWN)) {
            for (DynamicUsage u : usage) {
                if (u.state() == level) {
                    items.add(u.brief());
                }
            }
            for (PortReport report : reports) {
                // A family once, however many rows of it (a listener and its accepted connections) gave the brief.
                Map<String, Set<String>> familiesByBrief = new LinkedHashMap<>();
                for (Finding f : report.findings()) {
                    if (f.state() == level) {
                        String brief = brief(f, report, facts);
                        Set<String> families = familiesByBrief.get(brief);
                        if (families == null) {
                            families = new LinkedHashSet<>();
                            familiesByBrief.put(brief, families);
                        }
                        families.add(f.family().label());
                    }
                }
                for (Map.Entry<String, Set<String>> e : familiesByBrief.entrySet()) {
                    items.add(report.port().port() + "/tcp " + report.port().label() + " " + e.getKey() + " ["
                            + String.join("+", e.getValue()) + "]");
                }
            }
        }
        if (items.isEmpty()) {
            return okSummary(reports, ranges);
        }
        String shown = String.join("; ", items.subList(0, Math.min(MAX_ITEMS, items.size())));
        return items.size() > MAX_ITEMS ? shown + "; and " + (items.size() - MAX_ITEMS) + " more" : shown;
    }

    private static String brief(Finding f, PortReport report, HostFacts facts) {
        return switch (f.code()) {
            case SYSTEM_RESERVED -> "blocked by " + SystemReservation.covering(report.port().port(), f.family(), facts)
                    .orElse(SystemReservation.UNKNOWN).brief();
            case FOREIGN_HOLDER -> "held by " + foreignHolders(report, f.family());
            case NOT_LISTENING -> "has no owner listening";
            case OWNER_UNKNOWN -> "holder undecided: tasklist shows no service names";
            case RECENT_EPHEMERAL_USE -> "was recently handed out as an ephemeral port";
            case EXPOSED -> "exposed to the dynamic port range";
            case NOT_IN_USE -> "not in use";
            case PROTECTED -> "protected";
            case OUTSIDE_RANGE -> "outside the dynamic range";
        };
    }

    // Loops rather than streams and lambdas in this class: it runs on every check's start-up path, where each
    // lambda call site costs a link on first use (docs/startup.md).
    private static String foreignHolders(PortReport report, Family family) {
        Set<String> described = new LinkedHashSet<>();
        for (Holder h : report.holders()) {
            if (!h.owner() && h.family() == family) {
                described.add(h.pid() == TcpEndpoint.UNKNOWN_PID
                        ? PortRules.describeProcess(h.pid(), h.image(), h.services())
                        : "?".equals(h.image()) ? "PID " + h.pid() + " (not in tasklist)"
                        : PortRules.describeProcess(h.pid(), h.image(), h.services()));
            }
        }
        return String.join(", ", described);
    }

    private static String okSummary(List<PortReport> reports, Map<Family, DynamicRange> ranges) {
        if (reports.isEmpty()) {
            return "no ports watched (profile none and no --port)" + rangeText(ranges);
        }
        StringJoiner ports = new StringJoiner(", ");
        for (PortReport r : reports) {
            ports.add(r.port().port() + " " + okBrief(r));
        }
        return reports.size() + " watched port" + (reports.size() == 1 ? "" : "s") + " safe: " + ports + rangeText(ranges);
    }

    private static String okBrief(PortReport report) {
        if (has(report, FindingCode.NOT_IN_USE)) {
            return "not in use";
        }
        return has(report, FindingCode.PROTECTED) ? "protected" : "outside range";
    }

    /** Whether any of the report's findings has that code. */
    static boolean has(PortReport report, FindingCode code) {
        for (Finding f : report.findings()) {
            if (f.code() == code) {
                return true;
            }
        }
        return false;
    }

    private static String rangeText(Map<Family, DynamicRange> ranges) {
        if (ranges.isEmpty()) {
            return "";
        }
        // In the order of Family's constants, as sorting the entries by key did.
        StringJoiner text = new StringJoiner(", ");
        for (Family family : Family.values()) {
            DynamicRange r = ranges.get(family);
            if (r != null) {
                text.add(family.label() + " " + r.start() + "-" + r.end());
            }
        }
        return "; dynamic range " + text;
    }
}
