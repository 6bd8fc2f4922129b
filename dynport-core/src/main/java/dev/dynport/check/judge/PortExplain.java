package dev.dynport.check.judge;

import dev.dynport.check.acquire.Snapshot;
import dev.dynport.check.judge.ExplainResult.Answer;
import dev.dynport.check.judge.ExplainResult.Verdict;
import dev.dynport.check.model.DynamicRange;
import dev.dynport.check.model.ExcludedRange;
import dev.dynport.check.model.ExcludedRanges;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.HostFacts;
import dev.dynport.check.model.ProcessInfo;
import dev.dynport.check.model.State;
import dev.dynport.check.model.TcpEndpoint;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code --explain PORT}: "why can't I bind PORT?" answered from the same facts as the check, per family, most
 * decisive cause first. A system reservation refuses every bind (WSAEACCES 10013, whatever holds the port); a
 * holder refuses it next (WSAEADDRINUSE 10048); then the range says whether a free port stays free. An administered
 * exclusion does not refuse a bind: it keeps the allocator and WinNAT/HNS off the port so that its program can bind
 * it (what the check's remediation and the usual WinNAT workaround rely on; docs/audit.md). Never throws for bad
 * input: what a missing section leaves open is an UNKNOWN answer naming it.
 */
public final class PortExplain {
    static final String EACCES = "WSAEACCES (10013)";
    static final String EADDRINUSE = "WSAEADDRINUSE (10048)";
    private static final String EACCES_TEXT = EACCES + " \"An attempt was made to access a socket in a way forbidden by"
            + " its access permissions\" (EACCES, \"permission denied\", in Node, Python, Go and Java)";
    private static final String EADDRINUSE_TEXT = EADDRINUSE + " \"Only one usage of each socket address"
            + " (protocol/network address/port) is normally permitted\" (EADDRINUSE, \"address already in use\")";
    /** Stands for the program the user wants to bind the port with, in the remediation's notes. */
    static final String USERS_PROGRAM = "the program that needs it";

    private PortExplain() {
    }

    public static ExplainResult explain(Snapshot snapshot, int port, CheckOptions options, Freshness freshness,
            Clock clock) {
        Freshness.Outcome identity = freshness.evaluate(snapshot, clock);
        SnapshotParsing.Parsed parsed = SnapshotParsing.parse(snapshot, Set.of(port));
        HostFacts facts = parsed.facts();
        List<String> problems = new ArrayList<>(identity.problems());
        problems.addAll(parsed.problems());
        List<Answer> answers = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        List<Holder> holders = new ArrayList<>();
        for (Family family : Family.values()) {
            Answer a = answer(port, family, facts, parsed.netstatRead(), findings);
            answers.add(a);
            holders.addAll(a.holders());
        }
        State state = problems.isEmpty() ? State.OK : State.UNKNOWN;
        for (Answer a : answers) {
            state = State.worst(state, a.state());
        }
        if (!identity.problems().isEmpty()) {
            state = State.UNKNOWN; // another host's or an old snapshot's answer is not this host's now
        }
        String label = RpcEndpoints.label(port, options);
        PortReport report = new PortReport(new WatchedPort(port, label == null ? "port " + port : label,
                List.of(USERS_PROGRAM), WatchedPort.Origin.USER), findings, holders);
        Remediation.Advice advice = Remediation.advise(List.of(report), facts, identity.info());
        List<String> notes = new ArrayList<>(identity.notes());
        notes.addAll(advice.caveats());
        String name = "port " + port + (label == null ? "" : " (" + label + ")");
        return new ExplainResult(state, summary(name, answers, problems), port, answers, advice.commands(), notes,
                problems, null, identity.info());
    }

    private static Answer answer(int port, Family family, HostFacts facts, boolean netstatRead, List<Finding> findings) {
        String f = family.label() + ": " + port;
        DynamicRange range = facts.dynamicRanges().get(family);
        ExcludedRanges exclusions = facts.exclusions().get(family);
        List<TcpEndpoint> rows = netstatRead ? facts.netstat().onLocalPort(port, family) : null;
        List<Holder> holders = rows == null ? List.of() : holders(rows, family, facts);
        Optional<ExcludedRange> system = exclusions == null ? Optional.empty() : exclusions.systemCovering(port);
        if (system.isPresent()) {
            findings.add(new Finding(FindingCode.SYSTEM_RESERVED, family, State.CRITICAL, f + " reserved"));
            SystemReservation kind = SystemReservation.classify(system.get(), family, facts);
            String held = holders.isEmpty() ? ""
                    : kind == SystemReservation.HTTP_SYS ? " " + holding(rows, facts) + " holds it through that reservation."
                    : " " + holding(rows, facts) + " holds it now (it bound before the reservation was made); once it"
                            + " lets go, it cannot bind it again either.";
            return new Answer(family, Verdict.RESERVED, State.CRITICAL, EACCES, f + " is inside the system reservation "
                    + PortRules.span(system.get()) + ", " + kind.description() + ". Windows refuses every bind inside"
                    + " it: " + EACCES_TEXT + "." + held, holders);
        }
        boolean exposed = range != null && exclusions != null && range.contains(port)
                && exclusions.administeredCovering(port).isEmpty();
        String rangeText = range == null ? "" : range.start() + "-" + range.end();
        Optional<ExcludedRange> administered = exclusions == null ? Optional.empty()
                : exclusions.administeredCovering(port);
        if (!holders.isEmpty()) {
            boolean listening = rows.stream().anyMatch(e -> !e.isOwnerless() && e.isListener());
            if (exposed) {
                findings.add(new Finding(FindingCode.EXPOSED, family, State.WARNING, f + " exposed"));
                findings.add(new Finding(FindingCode.FOREIGN_HOLDER, family, State.CRITICAL, f + " held"));
            }
            return new Answer(family, Verdict.HELD, State.CRITICAL, EADDRINUSE, f + " is held by " + holding(rows, facts)
                    + ": a bind gets " + EADDRINUSE_TEXT + "." + (exposed ? " It is inside the dynamic port range "
                    + rangeText + " without an exclusion, so the allocator may hand it to any connection again once it"
                    + " is free." : "")
                    + administered.map(x -> " It is inside the administered exclusion " + PortRules.span(x)
                            + ", so only a program that binds it explicitly can hold it, never the allocator.").orElse("")
                    + (!listening ? " Wait until its connection closes, or stop that process."
                            : holders.stream().allMatch(h -> h.pid() == PortRules.SYSTEM_PID)
                                    ? " PID 4 is the kernel: a driver listens there for a service (SMB on 139 and"
                                            + " 445; http.sys for a URL, which netsh http show servicestate names):"
                                            + " stop that service or move it, or use another port."
                                    : " Stop that process or use another port."),
                    holders);
        }
        if (range == null || exclusions == null || rows == null) {
            List<String> missing = new ArrayList<>();
            if (range == null) {
                missing.add("the dynamic port range");
            }
            if (exclusions == null) {
                missing.add("the exclusions");
            }
            if (rows == null) {
                missing.add("the sockets (netstat)");
            }
            return new Answer(family, Verdict.UNKNOWN, State.UNKNOWN, null, f + ": cannot tell, " + String.join(" and ",
                    missing) + " of this family could not be read (see the problems above).", holders);
        }
        long timeWait = rows.stream().filter(TcpEndpoint::isOwnerless).count();
        if (exposed) {
            findings.add(new Finding(FindingCode.EXPOSED, family, State.WARNING, f + " exposed"));
        }
        if (timeWait > 0) {
            return new Answer(family, Verdict.RECENTLY_USED, State.WARNING, null, f + " is held by no process, but "
                    + HostAudit.count((int) timeWait, "closed connection") + " used it as its local port moments ago"
                    + " (TIME_WAIT, PID 0: Windows keeps a closed connection's port for a while, TcpTimedWaitDelay, and"
                    + " no process owns it any more). A bind may get " + EADDRINUSE + " until that ends. "
                    + (exposed ? "The dynamic port allocator is handing it out: it is inside the dynamic port range "
                            + rangeText + " without an exclusion."
                            : "It is not the allocator's to hand out here, so a program chose it explicitly."),
                    holders);
        }
        if (administered.isPresent()) {
            return new Answer(family, Verdict.PROTECTED, State.OK, null, f + " is free and inside the administered"
                    + " exclusion " + PortRules.span(administered.get()) + ": the dynamic port allocator and WinNAT/HNS"
                    + " leave it alone and a program binds it explicitly. It should bind.", holders);
        }
        if (exposed) {
            return new Answer(family, Verdict.DYNAMIC_FREE, State.WARNING, null, f + " is free now and in no"
                    + " reservation, so it should bind now. But it is inside the dynamic port range " + rangeText
                    + " without an exclusion: any outbound connection may take it as its local port at any time"
                    + " (then a bind gets " + EADDRINUSE + "). The exclusion below keeps it free.", holders);
        }
        return new Answer(family, Verdict.FREE, State.OK, null, f + " is free, outside the dynamic port range "
                + rangeText + " and in no reservation: it should bind. If a bind still fails, the host changed since"
                + " this capture: ask again with a fresh one.", holders);
    }

    private static List<Holder> holders(List<TcpEndpoint> rows, Family family, HostFacts facts) {
        Map<Integer, ProcessInfo> processes = facts.processes().indexByPid();
        List<Holder> holders = new ArrayList<>();
        for (TcpEndpoint e : rows) {
            if (e.isOwnerless()) {
                continue;
            }
            ProcessInfo p = processes.get(e.pid());
            holders.add(new Holder(e.pid(), image(e.pid(), p), p == null ? List.of() : p.services(), family,
                    PortRules.address(e.localAddress(), family) + ":" + e.localPort(), PortRules.tcpStateText(e),
                    false));
        }
        return holders;
    }

    /** "svchost.exe (PID 1240: Dnscache) as the local end of ... ESTABLISHED, and ..." */
    private static String holding(List<TcpEndpoint> rows, HostFacts facts) {
        Map<Integer, ProcessInfo> processes = facts.processes().indexByPid();
        Map<String, Boolean> parts = new LinkedHashMap<>();
        for (TcpEndpoint e : rows) {
            if (!e.isOwnerless()) {
                ProcessInfo p = processes.get(e.pid());
                String who = "?".equals(image(e.pid(), p)) ? "PID " + e.pid() + " (not in tasklist)"
                        : PortRules.describeProcess(e.pid(), p == null ? "System" : p.image(),
                                p == null ? List.of() : p.services());
                parts.put(who + " " + PortRules.connection(e).replace("as local end", "as the local end"), true);
            }
        }
        return String.join(", and ", parts.keySet());
    }

    private static String image(int pid, ProcessInfo p) {
        return p != null ? p.image() : pid == PortRules.SYSTEM_PID ? "System" : "?";
    }

    private static String summary(String name, List<Answer> answers, List<String> problems) {
        Map<String, List<String>> byText = new LinkedHashMap<>();
        for (Answer a : answers) {
            byText.computeIfAbsent(brief(a), k -> new ArrayList<>()).add(a.family().label());
        }
        List<String> parts = new ArrayList<>();
        byText.forEach((text, families) -> parts.add(text + " [" + String.join(", ", families) + "]"));
        String s = name + ": " + String.join("; ", parts);
        return problems.isEmpty() ? s : s + "; " + String.join("; ", problems);
    }

    private static String brief(Answer a) {
        return switch (a.verdict()) {
            case RESERVED -> "cannot be bound (WSAEACCES 10013), inside a system reservation";
            case HELD -> "cannot be bound (WSAEADDRINUSE 10048), held by " + a.holders().stream().map(h -> h.pid() == PortRules.SYSTEM_PID
                    ? "System (PID 4)" : h.image() + " (PID " + h.pid() + ")").distinct()
                    .reduce((x, y) -> x + ", " + y).orElse("?");
            case RECENTLY_USED -> "free, but just used as a connection's local port (TIME_WAIT)";
            case DYNAMIC_FREE -> "free now, but inside the dynamic range without an exclusion";
            case PROTECTED -> "free, protected by an administered exclusion";
            case FREE -> "free, outside the dynamic range";
            case UNKNOWN -> "cannot tell";
        };
    }
}
