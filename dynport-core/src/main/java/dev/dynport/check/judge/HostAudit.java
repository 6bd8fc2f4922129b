package dev.dynport.check.judge;

import dev.dynport.check.acquire.Snapshot;
import dev.dynport.check.judge.AuditResult.Group;
import dev.dynport.check.judge.AuditResult.Kind;
import dev.dynport.check.judge.AuditResult.Listener;
import dev.dynport.check.model.DynamicRange;
import dev.dynport.check.model.ExcludedRange;
import dev.dynport.check.model.ExcludedRanges;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.Platform;
import dev.dynport.check.model.HostFacts;
import dev.dynport.check.model.ProcessInfo;
import dev.dynport.check.model.State;
import dev.dynport.check.model.TcpEndpoint;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code --audit}: every listener on the host that the next restart can lose, found before it fails. Reads the
 * same facts as the check ({@link SnapshotParsing}: the listeners are kept whatever the port), judges only
 * {@link HostFacts} and {@link Family}, and never throws for bad input: a section it needs that is missing or
 * unreadable is a problem naming it, and the audit is UNKNOWN.
 */
public final class HostAudit {
    private HostAudit() {
    }

    public static AuditResult audit(Snapshot snapshot, CheckOptions options, Freshness freshness, Clock clock) {
        Freshness.Outcome identity = freshness.evaluate(snapshot, clock);
        SnapshotParsing.Parsed parsed = SnapshotParsing.parse(snapshot, Set.of());
        HostFacts facts = parsed.facts();
        Map<Integer, ProcessInfo> processes = facts.processes().indexByPid();
        Set<Integer> fixed = RpcEndpoints.fixedPorts(options);
        // (kind, pid) -> port -> the rows and details of that port
        Map<Kind, Map<Integer, Map<Integer, Rows>>> found = new TreeMap<>();
        Set<Integer> outside = new TreeSet<>();
        if (parsed.netstatRead()) {
            for (TcpEndpoint e : facts.netstat().listeners()) {
                DynamicRange range = facts.dynamicRanges().get(e.family());
                ExcludedRanges exclusions = facts.exclusions().get(e.family());
                if (range == null || exclusions == null) {
                    continue; // the section's problem makes the audit UNKNOWN
                }
                ProcessInfo process = processes.get(e.pid());
                String image = process == null ? (e.pid() == PortRules.SYSTEM_PID ? "System" : null) : process.image();
                Classified c = classify(e, range, exclusions, facts, RpcEndpoints.dynamicByDesign(image, e.localPort(), fixed),
                        fixed.contains(e.localPort()));
                if (c == null) {
                    outside.add(e.localPort());
                    continue;
                }
                found.computeIfAbsent(c.kind(), k -> new TreeMap<>()).computeIfAbsent(e.pid(), k -> new TreeMap<>())
                        .computeIfAbsent(e.localPort(), k -> new Rows()).add(e, c.detail());
            }
        }
        List<Group> groups = groups(found, processes, options);
        List<String> problems = new ArrayList<>(identity.problems());
        problems.addAll(parsed.problems());
        State state = problems.isEmpty() ? State.OK : State.UNKNOWN;
        Remediation.Advice advice = Remediation.advise(AuditRemediation.reports(groups), facts, identity.info());
        List<String> notes = new ArrayList<>(identity.notes());
        if (parsed.tasklistRead() && ServiceVisibility.namesHidden(facts.processes())) {
            notes.add(ServiceVisibility.MISSING_RIGHT + ".");
        }
        if (groups.stream().anyMatch(g -> g.kind() == Kind.RPC_DYNAMIC)) {
            notes.add("RPC endpoints: the endpoint mapper gives an RPC server a free port from the dynamic range at each"
                    + " start (KB154596), so these move and lose nothing. A service given a static RPC port (AD"
                    + " replication, Netlogon, Exchange RPC Client Access) looks the same here: name such a port with"
                    + " --port to see it listed as exposed.");
        }
        if (facts.platform() == Platform.WINDOWS) {
            // Linux reserves a port in use without complaint; only netsh refuses one.
            notes.addAll(AuditRemediation.busyNotes(groups));
        }
        notes.addAll(advice.caveats());
        List<PerfDatum> perf = problems.isEmpty() ? perfdata(groups, outside.size()) : List.of();
        return new AuditResult(state, summary(groups, problems), groups, outside.size(), facts.dynamicRanges(),
                facts.exclusions(), advice.commands(), notes, problems, null, perf, identity.info());
    }

    private record Classified(Kind kind, String detail) {
    }

    /** The kind of one listener, or null when it is outside the dynamic range and every system reservation. */
    private static Classified classify(TcpEndpoint e, DynamicRange range, ExcludedRanges exclusions, HostFacts facts,
            boolean rpc, boolean fixed) {
        int port = e.localPort();
        Optional<ExcludedRange> system = exclusions.systemCovering(port);
        if (system.isPresent()) {
            SystemReservation what = SystemReservation.classify(system.get(), e.family(), facts);
            String detail = "system reservation " + PortRules.span(system.get()) + ", " + what.brief();
            // http.sys listening on its own reservation is what the reservation is for, unless the port is a fixed
            // port of another service (a profile or --port port): that service cannot bind it.
            if (what == SystemReservation.HTTP_SYS && e.pid() == PortRules.SYSTEM_PID && !fixed) {
                return new Classified(Kind.RESERVATION_HOLDER, detail);
            }
            // An RPC endpoint inside a reservation moves at its next start like any other: nothing to keep.
            return new Classified(rpc && range.contains(port) ? Kind.RPC_DYNAMIC : Kind.RESERVED, detail);
        }
        if (!range.contains(port)) {
            return null;
        }
        Optional<ExcludedRange> administered = exclusions.administeredCovering(port);
        if (administered.isPresent()) {
            return new Classified(Kind.PROTECTED, "administered exclusion " + PortRules.span(administered.get()));
        }
        return new Classified(rpc ? Kind.RPC_DYNAMIC : Kind.EXPOSED, "");
    }

    /** The rows of one process on one port, across families. */
    private static final class Rows {
        final Set<Family> families = new TreeSet<>();
        final Set<String> addresses = new LinkedHashSet<>();
        final Map<String, Set<Family>> details = new LinkedHashMap<>();

        void add(TcpEndpoint e, String detail) {
            families.add(e.family());
            addresses.add((e.family() == Family.IPV6 ? "[" + e.localAddress() + "]" : e.localAddress()) + ":"
                    + e.localPort());
            if (!detail.isEmpty()) {
                details.computeIfAbsent(detail, k -> new TreeSet<>()).add(e.family());
            }
        }

        /** Each detail once; its families named only where they are not all of the listener's. */
        String detail() {
            List<String> texts = new ArrayList<>();
            details.forEach((text, of) -> texts.add(of.equals(families) ? text
                    : text + " (" + String.join(", ", of.stream().map(Family::label).toList()) + ")"));
            return String.join("; ", texts);
        }
    }

    private static List<Group> groups(Map<Kind, Map<Integer, Map<Integer, Rows>>> found,
            Map<Integer, ProcessInfo> processes, CheckOptions options) {
        List<Group> groups = new ArrayList<>();
        for (Map.Entry<Kind, Map<Integer, Map<Integer, Rows>>> byKind : found.entrySet()) {
            List<Group> ofKind = new ArrayList<>();
            for (Map.Entry<Integer, Map<Integer, Rows>> byPid : byKind.getValue().entrySet()) {
                int pid = byPid.getKey();
                ProcessInfo process = processes.get(pid);
                List<Listener> listeners = new ArrayList<>();
                byPid.getValue().forEach((port, rows) -> listeners.add(new Listener(port,
                        RpcEndpoints.label(port, options), List.copyOf(rows.families), List.copyOf(rows.addresses),
                        rows.detail())));
                ofKind.add(new Group(byKind.getKey(), pid, process == null
                        ? (pid == PortRules.SYSTEM_PID ? "System" : "?") : process.image(),
                        process == null ? List.of() : process.services(), listeners));
            }
            ofKind.sort(Comparator.comparingInt(g -> g.listeners().get(0).port()));
            groups.addAll(ofKind);
        }
        return groups;
    }

    /** Ports per kind, each counted once however many processes and families it has. */
    static Map<Kind, Integer> portCounts(List<Group> groups) {
        Map<Kind, Set<Integer>> ports = new LinkedHashMap<>();
        for (Kind k : Kind.values()) {
            ports.put(k, new TreeSet<>());
        }
        groups.forEach(g -> g.listeners().forEach(l -> ports.get(g.kind()).add(l.port())));
        Map<Kind, Integer> counts = new LinkedHashMap<>();
        ports.forEach((k, v) -> counts.put(k, v.size()));
        return counts;
    }

    private static String summary(List<Group> groups, List<String> problems) {
        Map<Kind, Integer> n = portCounts(groups);
        long exposedProcesses = groups.stream().filter(g -> g.kind() == Kind.EXPOSED).count();
        List<String> parts = new ArrayList<>();
        if (n.get(Kind.EXPOSED) + n.get(Kind.RESERVED) == 0) {
            parts.add("no listening port exposed to the dynamic range or inside a system reservation");
        } else {
            if (n.get(Kind.EXPOSED) > 0) {
                parts.add(count(n.get(Kind.EXPOSED), "listening port") + " exposed to the dynamic range ("
                        + count((int) exposedProcesses, "process") + ")");
            }
            if (n.get(Kind.RESERVED) > 0) {
                parts.add(count(n.get(Kind.RESERVED), "listening port") + " inside a system reservation");
            }
        }
        if (n.get(Kind.RPC_DYNAMIC) > 0) {
            parts.add(count(n.get(Kind.RPC_DYNAMIC), "RPC dynamic endpoint") + " (expected to move)");
        }
        if (n.get(Kind.PROTECTED) > 0) {
            parts.add(n.get(Kind.PROTECTED) + " protected");
        }
        if (problems.isEmpty()) {
            return "audit: " + String.join(", ", parts);
        }
        // Without the sections, "no listening port exposed" would read as an all-clear.
        String incomplete = "audit incomplete: " + String.join("; ", problems);
        return groups.isEmpty() ? incomplete : incomplete + "; found so far: " + String.join(", ", parts);
    }

    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : noun.endsWith("s") ? "es" : "s");
    }

    private static List<PerfDatum> perfdata(List<Group> groups, int outside) {
        Map<Kind, Integer> n = portCounts(groups);
        return List.of(new PerfDatum("exposed_listeners", n.get(Kind.EXPOSED), ""),
                new PerfDatum("reserved_listeners", n.get(Kind.RESERVED), ""),
                new PerfDatum("rpc_dynamic_listeners", n.get(Kind.RPC_DYNAMIC), ""),
                new PerfDatum("protected_listeners", n.get(Kind.PROTECTED), ""),
                new PerfDatum("outside_range_listeners", outside, ""));
    }
}
