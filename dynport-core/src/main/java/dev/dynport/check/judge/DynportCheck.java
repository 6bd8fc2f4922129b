package dev.dynport.check.judge;

import dev.dynport.check.acquire.Snapshot;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.HostFacts;
import dev.dynport.check.model.Platform;
import dev.dynport.check.model.State;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Parse and judge one snapshot (acquisition is {@code run.CheckRun}'s). Never throws for bad input: UNKNOWN instead. */
public final class DynportCheck {
    private DynportCheck() {
    }

    /**
     * The ports that may be watched before anything is read: the profile's, {@code --port}, and the back-end ports
     * the user gives. Reading netstat keeps their rows; other watched ports cost a second reading of the section.
     */
    static Set<Integer> portsKnownBefore(CheckOptions options) {
        Set<Integer> ports = numbers(options.profile().ports());
        ports.addAll(numbers(options.extraPorts()));
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
        CheckOptions linux = options.onLinux();
        if (linux.watchesNothing()) {
            problems.add("nothing to watch on a Linux host: the Exchange profiles are for Windows; give the ports"
                    + " with --port PORT[:LABEL[:PROCESS,...]], or -w/-c for the dynamic port usage (docs/linux.md)");
        }
        return linux;
    }

    // Loops rather than lambdas and streams in this class: each is linked on first use, at start-up (docs/startup.md).
    private static Set<Integer> numbers(List<WatchedPort> ports) {
        Set<Integer> numbers = new HashSet<>();
        for (WatchedPort p : ports) {
            numbers.add(p.port());
        }
        return numbers;
    }

    /** Ascending port numbers. */
    private static final Comparator<WatchedPort> BY_PORT = new Comparator<>() {
        @Override
        public int compare(WatchedPort a, WatchedPort b) {
            return Integer.compare(a.port(), b.port());
        }
    };

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
        watched.sort(BY_PORT);
        // Discovery and the back-end evidence may add ports whose connections the first reading dropped.
        List<String> rereading = new ArrayList<>();
        facts = SnapshotParsing.coverNetstat(snapshot, facts, numbers(watched), rereading);
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
            Optional<String> unseen = ServiceVisibility.unseenBackendListeners(facts, numbers(watched));
            if (unseen.isPresent()) {
                problems.add(unseen.get());
            }
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
        List<PortReport> advised = new ArrayList<>();
        for (PortReport r : reports) {
            advised.add(r.withAdvice(advice.of(r.port().port()).commands(), advice.of(r.port().port()).notes()));
        }
        reports = List.copyOf(advised);
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
