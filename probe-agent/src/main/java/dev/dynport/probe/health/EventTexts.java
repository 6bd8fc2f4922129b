package dev.dynport.probe.health;

import dev.dynport.check.judge.Finding;
import dev.dynport.check.judge.Holder;
import dev.dynport.check.judge.PortReport;
import dev.dynport.check.model.Family;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The human texts of a port event, taken from the check's result so that an event says exactly what
 * {@code check_dynport} says about the same port.
 */
final class EventTexts {
    private EventTexts() {
    }

    /** The finding sentences for one port and family, joined by "; ". */
    static String summary(PortReport report, Family family) {
        return report.findings(family).stream().map(Finding::text).collect(Collectors.joining("; "));
    }

    /** Every finding of the port, both families, one line each: {@code ipv4 CRITICAL FOREIGN_HOLDER: text}. */
    static String details(PortReport report) {
        return report.findings().stream().map(EventTexts::line).collect(Collectors.joining("\n"));
    }

    static String line(Finding f) {
        return f.family().label() + " " + f.state() + " " + f.code() + ": " + f.text();
    }

    static List<String> codes(PortReport report, Family family) {
        return report.findings(family).stream().map(f -> f.code().name()).distinct().toList();
    }

    /** The check's remediation for this port (its commands in order, then its notes), from the result tree. */
    static List<String> remediation(PortReport report) {
        List<String> out = new ArrayList<>(report.remediation());
        out.addAll(report.notes());
        return out;
    }

    /** Holders of the port in this family: {@code svchost.exe PID 1234 (Dnscache) 0.0.0.0:9955 ESTABLISHED}. */
    static List<String> evidence(PortReport report, Family family) {
        return report.holders().stream().filter(h -> h.family() == family).map(EventTexts::holder).toList();
    }

    static String holder(Holder h) {
        StringBuilder b = new StringBuilder();
        b.append(h.image()).append(" PID ").append(h.pid());
        if (!h.services().isEmpty()) {
            b.append(" (").append(String.join(",", h.services())).append(')');
        }
        b.append(' ').append(h.localAddress());
        if (h.tcpState() != null && !h.tcpState().isEmpty()) {
            b.append(' ').append(h.tcpState().toUpperCase(Locale.ROOT));
        }
        if (h.owner()) {
            b.append(" (owner)");
        }
        return b.toString();
    }
}
