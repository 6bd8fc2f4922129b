package dev.dynport.check.judge;

import dev.dynport.check.model.ExcludedRange;
import dev.dynport.check.model.ExcludedRanges;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.HostFacts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fix on Linux: add the exposed ports to {@code net.ipv4.ip_local_reserved_ports}, now ({@code sysctl -w}) and
 * at boot (a drop-in under {@code /etc/sysctl.d/}). The sysctl takes the whole list, so the new value is the list
 * the host printed merged with the new ports, never the new ports alone (which would drop every existing
 * reservation). One value for all ports: per-port lines run one after another would each undo the one before.
 *
 * <p>Unlike netsh, the kernel accepts a reserved port while it is in use, and a reservation only keeps the
 * ephemeral allocator off the port; a service still binds it explicitly (ip-sysctl.rst, ip_local_reserved_ports).
 * So no service is stopped first. A port held by another process's connection is free only when that connection
 * closes or that process stops.
 */
final class LinuxRemediation {
    static final String DROP_IN = "/etc/sysctl.d/90-dynport-reserved-ports.conf";

    private LinuxRemediation() {
    }

    static Remediation.Advice advise(List<PortReport> reports, HostFacts facts) {
        TreeSet<Integer> add = new TreeSet<>();
        Map<Integer, List<String>> notes = new LinkedHashMap<>();
        for (PortReport report : reports) {
            int port = report.port().port();
            for (Family family : Family.values()) {
                for (Finding f : report.findings(family)) {
                    switch (f.code()) {
                        case EXPOSED, RECENT_EPHEMERAL_USE -> add.add(port);
                        case FOREIGN_HOLDER -> notes.computeIfAbsent(port, k -> new ArrayList<>()).add("Port " + port
                                + " is held by another process: it is free only when that connection closes or that"
                                + " process stops; then start " + (report.port().owners().isEmpty() ? "the service"
                                        : String.join("/", report.port().owners())) + ".");
                        default -> {
                        }
                    }
                }
            }
        }
        List<String> commands = new ArrayList<>();
        Set<String> caveats = new LinkedHashSet<>();
        Map<Integer, Remediation.PortAdvice> perPort = new LinkedHashMap<>();
        ExcludedRanges existing = facts.exclusions().get(Family.IPV4);
        if (!add.isEmpty()) {
            if (existing == null) {
                caveats.add("The current net.ipv4.ip_local_reserved_ports could not be read, so no command is given:"
                        + " the sysctl takes the whole list and a value without the current entries would drop"
                        + " them; add " + join(add) + " to the list the host prints (sysctl"
                        + " net.ipv4.ip_local_reserved_ports).");
            } else {
                String value = merged(existing, add);
                commands.add("sysctl -w net.ipv4.ip_local_reserved_ports=" + value);
                commands.add("echo 'net.ipv4.ip_local_reserved_ports = " + value + "' > " + DROP_IN);
                caveats.add("Run as root. The value is the whole list: the host's current reservations"
                        + (existing.ranges().isEmpty() ? " (none)" : " (" + format(existing) + ")") + " plus "
                        + join(add) + ". The kernel accepts a reserved port while it is in use and still lets a"
                        + " service bind it; it only stops handing it out to outbound connections.");
                caveats.add("If another file in /etc/sysctl.d/ or /etc/sysctl.conf also sets"
                        + " net.ipv4.ip_local_reserved_ports, the file read last wins (names in lexical order):"
                        + " merge the lists into one place. Each network namespace (container) has its own value.");
            }
        }
        notes.values().forEach(caveats::addAll);
        for (PortReport report : reports) {
            int port = report.port().port();
            List<String> own = add.contains(port) ? List.copyOf(commands) : List.of();
            List<String> portNotes = notes.getOrDefault(port, List.of());
            if (!own.isEmpty() || !portNotes.isEmpty()) {
                perPort.put(port, new Remediation.PortAdvice(own, List.copyOf(portNotes)));
            }
        }
        return new Remediation.Advice(commands, new ArrayList<>(caveats), perPort);
    }

    /** The existing list and the new ports, ascending, runs as {@code a-b}: the form the kernel prints. */
    static String merged(ExcludedRanges existing, Set<Integer> add) {
        TreeSet<int[]> spans = new TreeSet<>((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0])
                : Integer.compare(a[1], b[1]));
        for (ExcludedRange r : existing.ranges()) {
            spans.add(new int[] {r.start(), r.end()});
        }
        add.forEach(p -> spans.add(new int[] {p, p}));
        List<int[]> out = new ArrayList<>();
        for (int[] s : spans) {
            int[] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && s[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], s[1]);
            } else {
                out.add(new int[] {s[0], s[1]});
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int[] s : out) {
            sb.append(sb.length() == 0 ? "" : ",").append(s[0] == s[1] ? "" + s[0] : s[0] + "-" + s[1]);
        }
        return sb.toString();
    }

    private static String format(ExcludedRanges ranges) {
        return merged(ranges, Set.of());
    }

    private static String join(Set<Integer> ports) {
        return String.join(", ", ports.stream().map(String::valueOf).toList());
    }
}
