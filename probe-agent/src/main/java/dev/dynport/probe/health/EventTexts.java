package dev.dynport.probe.health;

import dev.dynport.check.judge.CheckResult;
import dev.dynport.check.judge.Finding;
import dev.dynport.check.judge.Holder;
import dev.dynport.check.judge.PortReport;
import dev.dynport.check.model.Family;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The human texts of a port event, taken from the check's result so that an event says exactly what
 * {@code check_dynport} says about the same port.
 */
final class EventTexts {
    /** A number standing on its own (startport=9955), not a digit inside a word (MSExchangePOP3BE). */
    private static final Pattern ANY_PORT = Pattern.compile("(?<![0-9A-Za-z])[0-9]+(?![0-9A-Za-z])");

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

    /**
     * The check's remediation for this port: the commands that name the port as a whole number (a
     * {@code netsh ... startport=9955 numberofports=1} line belongs to 9955, not to 99550), with the commands that
     * name no port and bracket a run of this port's commands ({@code net stop winnat} before a run of exclusions,
     * {@code net start MSExchangePOP3BE} after one), in the check's order; then the check's notes that name the
     * port (e.g. what to do about a foreign holder first). A service name such as MSExchangePOP3BE is a word, not
     * a port number.
     */
    static List<String> remediation(CheckResult result, int port) {
        Pattern self = Pattern.compile("(?<![0-9])" + port + "(?![0-9])");
        List<String> lines = result.remediation();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (self.matcher(line).find() || !ANY_PORT.matcher(line).find() && brackets(lines, i, self)) {
                out.add(line);
            }
        }
        for (String note : result.notes()) {
            if (self.matcher(note).find()) {
                out.add(note);
            }
        }
        return out;
    }

    /** Whether the run of port-naming lines right after or right before line i names the port. */
    private static boolean brackets(List<String> lines, int i, Pattern self) {
        for (int step : new int[] {1, -1}) {
            for (int j = i + step; j >= 0 && j < lines.size() && ANY_PORT.matcher(lines.get(j)).find(); j += step) {
                if (self.matcher(lines.get(j)).find()) {
                    return true;
                }
            }
        }
        return false;
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
