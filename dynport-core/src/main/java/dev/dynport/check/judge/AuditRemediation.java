package dev.dynport.check.judge;

import dev.dynport.check.judge.AuditResult.Group;
import dev.dynport.check.judge.AuditResult.Kind;
import dev.dynport.check.judge.AuditResult.Listener;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.State;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The audit's listeners as the port reports {@link Remediation} reads, so that the audit offers exactly the
 * commands and caveats the check does (the same stop/exclude/start order, WinNAT handling and KB notes).
 *
 * <p>A listening process is taken as the port's owner only when it hosts exactly one service: then that service
 * is stopped and started around the exclusion. A process hosting several services, or none, cannot be stopped by
 * a service name that is sure to be the listener's; a note says to stop it first instead.
 */
final class AuditRemediation {
    private AuditRemediation() {
    }

    static List<PortReport> reports(List<Group> groups) {
        Map<Integer, List<Map.Entry<Group, Listener>>> byPort = new TreeMap<>();
        for (Group g : groups) {
            if (g.kind() == Kind.EXPOSED || g.kind() == Kind.RESERVED) {
                g.listeners().forEach(l -> byPort.computeIfAbsent(l.port(), k -> new ArrayList<>()).add(Map.entry(g, l)));
            }
        }
        List<PortReport> reports = new ArrayList<>();
        byPort.forEach((port, holding) -> {
            Set<String> owners = new LinkedHashSet<>();
            List<Finding> findings = new ArrayList<>();
            List<Holder> holders = new ArrayList<>();
            for (Map.Entry<Group, Listener> held : holding) {
                Group g = held.getKey();
                Listener l = held.getValue();
                boolean owner = g.services().size() == 1;
                owners.add(owner ? g.services().get(0) : g.image());
                for (Family family : l.families()) {
                    findings.add(g.kind() == Kind.EXPOSED
                            ? new Finding(FindingCode.EXPOSED, family, State.WARNING, port + " exposed")
                            : new Finding(FindingCode.SYSTEM_RESERVED, family, State.CRITICAL, port + " reserved"));
                    holders.add(new Holder(g.pid(), g.image(), g.services(), family, String.join(",", l.addresses()),
                            "LISTENING", owner));
                }
            }
            reports.add(new PortReport(new WatchedPort(port, "port " + port, List.copyOf(owners),
                    WatchedPort.Origin.USER), findings, holders));
        });
        return reports;
    }

    /** For exposed ports whose listener is not stopped by the commands: stop it first, by hand. */
    static List<String> busyNotes(List<Group> groups) {
        List<String> notes = new ArrayList<>();
        for (Group g : groups) {
            if (g.kind() == Kind.EXPOSED && g.services().size() != 1) {
                notes.add(PortRules.describeProcess(g.pid(), g.image(), g.services()) + " listens on "
                        + String.join(", ", g.listeners().stream().map(l -> String.valueOf(l.port())).toList())
                        + ": netsh refuses an exclusion for a port in use, so stop it first (which service of it owns"
                        + " the port is not shown), add the exclusion, then start it again.");
            }
        }
        return notes;
    }
}
