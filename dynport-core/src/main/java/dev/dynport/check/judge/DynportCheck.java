package dev.dynport.check.judge;

import dev.dynport.check.acquire.Snapshot;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.HostFacts;
import dev.dynport.check.model.Platform;
import dev.dynport.check.model.State;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Parse and judge one snapshot (acquisition is {@code run.CheckRun}'s). Never throws for bad input: UNKNOWN instead. */
public final class DynportCheck {
    private DynportCheck() {
    }

    /**
     * The ports that may be watched before anything is read: the profile's, {@code --port}, and the back-end ports
     * the user gives. Reading netstat keeps their rows; other watched ports cost a second reading of the section.
     */
    static Set<Integer> portsKnownBefore(CheckOptions options) {
        Set<Integer> ports = new HashSet<>();
        options.profile().ports().forEach(p -> ports.add(p.port()));
        options.extraPorts().forEach(p -> ports.add(p.port()));
        ports.addAll(options.backendPorts().values());
        return ports;
    }

    /**
     * The Exchange profiles name Windows services on Windows ports; on a Linux host they would judge ports nothing
     * there is meant to hold. So a Linux snapshot is judged on the {@code --port}s alone, and one without any is a
     * problem (UNKNOWN): a check that watches nothing would say OK forever.
     */
    static CheckOptions forLinux(CheckOptions options, List<String> notes, List<String> problems) {
        if (options.profile() != Profile.NONE) {
            notes.add("profile " + options.profile().profileName() + " (Exchange on Windows) not applied: this is a"
                    + " Linux host, so only the --port ports are judged");
        }
        CheckOptions linux = new CheckOptions(Profile.NONE, options.extraPorts(), options.exposedState(),
                options.expectListening(), Map.of(), options.watchUnused(), options.usage());
        if (linux.watchesNothing()) {
            problems.add("nothing to watch on a Linux host: the Exchange profiles are for Windows; give the ports"
                    + " with --port PORT[:LABEL[:PROCESS,...]], or -w/-c for the dynamic port usage (docs/linux.md)");
        }
        return linux;
    }

    /** Parses every section of the snapshot and applies the rules. Never throws for bad input: UNKNOWN instead. */
    public static CheckResult judge(Snapshot snapshot, CheckOptions options) {
        return judge(snapshot, options, Freshness.NONE, Clock.systemUTC());
    }

    /**
     * As above; a snapshot too old, from another host, or without a readable capture-info section when
     * {@code freshness} asks for one, is UNKNOWN (a problem), whatever its ports show.
     */
    public static CheckResult judge(Snapshot snapshot, CheckOptions options, Freshness freshness, Clock clock) {
        Freshness.Outcome identity = freshness.evaluate(snapshot, clock);
        List<String> platformNotes = new ArrayList<>();
        List<String> platformProblems = new ArrayList<>();
        if (SnapshotParsing.platformOf(snapshot).platform() == Platform.LINUX) {
            options = forLinux(options, platformNotes, platformProblems);
        }
        SnapshotParsing.Parsed parsed = SnapshotParsing.parse(snapshot, portsKnownBefore(options));
        HostFacts facts = parsed.facts();
        boolean socketsKnown = parsed.netstatRead() && parsed.tasklistRead();
        WatchList.Result watch = WatchList.build(options, facts);
        PortUse.Result use = PortUse.assess(watch.ports(), facts, options, socketsKnown);
        List<WatchedPort> watched = new ArrayList<>(watch.ports());
        watched.addAll(use.added());
        watched.sort((a, b) -> Integer.compare(a.port(), b.port()));
        // Discovery and the back-end evidence may add ports whose connections the first reading dropped.
        List<String> rereading = new ArrayList<>();
        facts = SnapshotParsing.coverNetstat(snapshot, facts, watched.stream().map(WatchedPort::port)
                .collect(Collectors.toSet()), rereading);
        List<PortReport> reports = new ArrayList<>();
        for (WatchedPort port : watched) {
            List<Finding> findings = new ArrayList<>();
            List<Holder> holders = new ArrayList<>();
            for (Family family : Family.values()) {
                PortRules.evaluate(port, family, facts, options, socketsKnown, findings, holders);
            }
            String unused = use.notInUse().get(port.port());
            if (unused != null) {
                // Listed with its holders, not judged: what holds or blocks a port the host never binds harms nothing.
                findings.clear();
                for (Family family : Family.values()) {
                    findings.add(PortRules.notInUse(port, family, unused, holders));
                }
            }
            reports.add(new PortReport(port, findings, holders));
        }
        List<String> problems = new ArrayList<>(identity.problems());
        problems.addAll(platformProblems);
        problems.addAll(parsed.problems());
        problems.addAll(rereading);
        if (socketsKnown) {
            ServiceVisibility.unseenBackendListeners(facts, watched.stream().map(WatchedPort::port)
                    .collect(Collectors.toSet())).ifPresent(problems::add);
        }
        State state = problems.isEmpty() ? State.OK : State.UNKNOWN;
        for (PortReport report : reports) {
            state = State.worst(state, report.state());
        }
        // The tally covers every row of the first reading, whatever ports it kept.
        List<DynamicUsage> usage = UsageCount.of(parsed.facts(), parsed.netstatRead(), options.usage());
        for (DynamicUsage u : usage) {
            state = State.worst(state, u.state());
        }
        if (!identity.problems().isEmpty()) {
            // Findings from another host or from long ago say nothing about this host now: not even a CRITICAL.
            state = State.UNKNOWN;
        }
        Remediation.Advice advice = Remediation.advise(reports, facts, identity.info());
        reports = reports.stream().map(r -> r.withAdvice(advice.of(r.port().port()).commands(),
                advice.of(r.port().port()).notes())).toList();
        List<String> notes = new ArrayList<>(identity.notes());
        notes.addAll(platformNotes);
        notes.addAll(parsed.notes());
        notes.addAll(watch.notes());
        notes.addAll(use.notes());
        if (socketsKnown && ServiceVisibility.namesHidden(facts.processes())) {
            notes.add(ServiceVisibility.MISSING_RIGHT + ".");
        }
        notes.addAll(advice.caveats());
        return new CheckResult(state, Summary.of(reports, problems, facts, usage), reports,
                facts.dynamicRanges(), facts.exclusions(), advice.commands(), notes, problems, null,
                Perfdata.of(reports, facts.dynamicRanges(), facts.exclusions(), usage), facts, identity.info(), usage);
    }
}
